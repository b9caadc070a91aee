// The server's own key pair for tablets' backup files: RSA-OAEP (SHA-256, 3072 bits), made on
// first use and kept in the database, its public half served to tablets as a WebCrypto JWK; and the
// opening of a backup file (core/protocol/backup.ts says its format) with the private half.
import {
  constants,
  createDecipheriv,
  createHash,
  createPrivateKey,
  generateKeyPair,
  privateDecrypt,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { BackupFile, ServerKey, ServerPublicJwk } from '../core/protocol/index.ts';
import { backupAdditionalData, ServerPublicJwkSchema } from '../core/protocol/index.ts';
import type { ServerKeyRow, ServerStore } from './store/types.ts';

const BACKUP_PURPOSE = 'backup';
const MODULUS_BITS = 3072;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AES_KEY_BYTES = 32;

const makeKeyPair = promisify(generateKeyPair);

/**
 * The key's id: its RFC 7638 thumbprint (SHA-256 of its required members in lexicographic order,
 * base64url), cut to 16 characters, enough to tell a server's key from another's.
 */
export function keyIdOf(jwk: Pick<ServerPublicJwk, 'e' | 'n'>): string {
  const members = JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n });
  return createHash('sha256').update(members).digest('base64url').slice(0, 16);
}

/** The server's key pair, ready to use. */
export interface BackupKey {
  /** What `GET /server-key` answers. */
  readonly public: ServerKey;
  readonly privateKey: KeyObject;
}

function keyOf(row: ServerKeyRow): BackupKey {
  const jwk = ServerPublicJwkSchema.parse(JSON.parse(row.publicKey));
  return { public: { keyId: row.keyId, jwk }, privateKey: createPrivateKey(row.privateKey) };
}

async function newKeyRow(at: string): Promise<ServerKeyRow> {
  const { publicKey, privateKey } = await makeKeyPair('rsa', {
    modulusLength: MODULUS_BITS,
    publicExponent: 0x10001,
  });
  const exported = publicKey.export({ format: 'jwk' });
  const jwk: ServerPublicJwk = {
    kty: 'RSA',
    n: String(exported.n),
    e: String(exported.e),
    alg: 'RSA-OAEP-256',
  };
  return {
    purpose: BACKUP_PURPOSE,
    keyId: keyIdOf(jwk),
    publicKey: JSON.stringify(jwk),
    privateKey: String(privateKey.export({ type: 'pkcs8', format: 'pem' })),
    createdAt: at,
  };
}

/**
 * The backup key of the server behind `store`: read from the database, or made and kept there the
 * first time it is asked for (a second server making one at the same moment keeps the first one
 * kept). Read once per process; a failure is tried again at the next call.
 */
export function backupKeys(store: ServerStore, now: () => Date): () => Promise<BackupKey> {
  let key: Promise<BackupKey> | undefined;
  return () => {
    key ??= (async () => {
      const kept =
        (await store.getServerKey(BACKUP_PURPOSE)) ??
        (await store.addServerKey(await newKeyRow(now().toISOString())));
      return keyOf(kept);
    })().catch((error: unknown) => {
      key = undefined;
      throw error;
    });
    return key;
  };
}

/** Why a backup file cannot be opened, in words for the coordinator. */
export class UnreadableBackup extends Error {}

/**
 * The payload of a backup file as bytes (UTF-8 JSON), decrypted with the server's private key.
 * Throws `UnreadableBackup` when the file was made for another key, or cannot be decrypted (damaged,
 * altered, its labels edited).
 */
export function openBackup(file: BackupFile, key: BackupKey): Buffer {
  if (file.keyId !== key.public.keyId)
    throw new UnreadableBackup(
      `this file was encrypted for another server (key ${file.keyId}; this server's is ${key.public.keyId}): import it on the server the tablet was enrolled with`,
    );
  const damaged = () =>
    new UnreadableBackup(
      'this file cannot be decrypted: it is damaged or was changed after the tablet wrote it',
    );
  const iv = Buffer.from(file.iv, 'base64');
  const sealed = Buffer.from(file.ciphertext, 'base64');
  if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) throw damaged();
  let aesKey: Buffer;
  try {
    aesKey = privateDecrypt(
      { key: key.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      Buffer.from(file.wrappedKey, 'base64'),
    );
  } catch {
    throw damaged();
  }
  if (aesKey.length !== AES_KEY_BYTES) throw damaged();
  try {
    const decipher = createDecipheriv('aes-256-gcm', aesKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(backupAdditionalData(file), 'utf8'));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw damaged();
  }
}
