// A backup file's encryption, in WebCrypto only (the same code runs in the tablet's browser and in
// Node's tests): a fresh AES-256-GCM key encrypts the payload, RSA-OAEP wraps that key for the
// server's public key. The tablet keeps no way to read the file back; only the server can.
import type { BackupFile, BackupLabels, BackupPayload } from '../../core/protocol/index.ts';
import { BACKUP_FORMAT, BACKUP_VERSION, backupAdditionalData } from '../../core/protocol/index.ts';

const IV_BYTES = 12;
const encoder = new TextEncoder();

/** Base64 of bytes, in slices (a spread of megabytes would overflow the call stack). */
export function base64Of(bytes: Uint8Array): string {
  let binary = '';
  const slice = 0x8000;
  for (let at = 0; at < bytes.length; at += slice)
    binary += String.fromCharCode(...bytes.subarray(at, at + slice));
  return btoa(binary);
}

/** What a file says of itself in clear, besides its format and key: labels for people. */
export interface BackupFileLabels {
  /** When the file was written (ISO). */
  readonly createdAt: string;
  readonly deviceId: string;
  readonly site: string;
}

/**
 * The backup file of `payload` (the device token and the records as a sync would upload them),
 * encrypted to `key` (`GET /server-key`'s answer, as the settings keep it). The labels in clear (and the record count) are bound to the content as
 * AES-GCM additional data: a file whose labels were edited does not decrypt.
 */
export async function encryptBackup(
  payload: BackupPayload,
  key: { readonly keyId: string; readonly jwk: JsonWebKey },
  labels: BackupFileLabels,
  subtle: SubtleCrypto = crypto.subtle,
): Promise<BackupFile> {
  const publicKey = await subtle.importKey(
    'jwk',
    key.jwk,
    { name: 'RSA-OAEP', hash: 'SHA-256' },
    false,
    ['wrapKey'],
  );
  // Made for this file alone, and forgotten with it: nothing on the tablet can open it again.
  const fileKey = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
  const wrappedKey = await subtle.wrapKey('raw', fileKey, publicKey, { name: 'RSA-OAEP' });
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const head: BackupLabels = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    keyId: key.keyId,
    createdAt: labels.createdAt,
    deviceId: labels.deviceId,
    site: labels.site,
    count: payload.records.length,
  };
  const ciphertext = await subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(backupAdditionalData(head)) },
    fileKey,
    encoder.encode(JSON.stringify(payload)),
  );
  return {
    ...head,
    wrappedKey: base64Of(new Uint8Array(wrappedKey)),
    iv: base64Of(iv),
    ciphertext: base64Of(new Uint8Array(ciphertext)),
  };
}
