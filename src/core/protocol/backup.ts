/**
 * The wire contract of a tablet's backup file and of the recovery secret: the server's public key
 * (`GET /server-key`), the file a tablet writes of the interviews the server has not acknowledged
 * (encrypted to that key, which only the server can read), the report of its import on the
 * dashboard (`POST /sites/:site/backups`), and a tablet's recovery secret (`PUT /devices/recovery`,
 * revealed to its coordinator by `POST /sites/:site/devices/:id/recovery`).
 */
import { z } from 'zod/mini';

/** What a backup file says it is, in clear. */
export const BACKUP_FORMAT = 'smpg-collect-backup';
export const BACKUP_VERSION = 1;
/**
 * Most bytes of a backup file the server takes: about 8,000 interviews of the usual 2.5 KB, far
 * beyond what a tablet keeps unsent (a few hundred at worst).
 */
export const MAX_BACKUP_BYTES = 32 * 1024 * 1024;
/** Most records in one backup file. */
export const MAX_BACKUP_RECORDS = 10_000;

const Base64 = z.string().check(z.regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'));
const Base64Url = z.string().check(z.regex(/^[A-Za-z0-9_-]+$/, 'must be base64url'));

/**
 * The server's RSA-OAEP public key as a JWK that WebCrypto imports as it is
 * (`importKey('jwk', jwk, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['encrypt'])`).
 */
export const ServerPublicJwkSchema = z.strictObject({
  kty: z.literal('RSA'),
  n: Base64Url,
  e: Base64Url,
  alg: z.literal('RSA-OAEP-256'),
});
export type ServerPublicJwk = z.infer<typeof ServerPublicJwkSchema>;

/**
 * `GET /server-key` (anyone, no login): the key tablets encrypt their backup files to, and its id
 * (a short hash of it: the RFC 7638 thumbprint's first 16 characters), which the file names.
 */
export const ServerKeySchema = z.strictObject({
  keyId: z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be a key id')),
  jwk: ServerPublicJwkSchema,
});
export type ServerKey = z.infer<typeof ServerKeySchema>;

/**
 * A backup file, as the tablet writes it and the dashboard sends it. `deviceId`, `site`, `count`
 * and `createdAt` are labels for people, never believed: the server takes the tablet and its site
 * from the device token inside. The labels are the AES-GCM additional data
 * (`backupAdditionalData`), so a file whose labels were edited does not decrypt. `wrappedKey` is a
 * random AES-256-GCM key encrypted with RSA-OAEP (SHA-256) to the key `keyId`; `ciphertext` is the
 * payload (`BackupPayload`, JSON, UTF-8) encrypted with it, the 16-byte tag at its end, as
 * WebCrypto writes it; `iv` is 12 bytes.
 */
export const BackupFileSchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  keyId: z.string().check(z.minLength(1), z.maxLength(64)),
  createdAt: z.string().check(z.maxLength(40)),
  deviceId: z.string().check(z.maxLength(100)),
  site: z.string().check(z.maxLength(200)),
  count: z.int().check(z.gte(0), z.lte(MAX_BACKUP_RECORDS)),
  wrappedKey: Base64,
  iv: Base64,
  ciphertext: Base64,
});
export type BackupFile = z.infer<typeof BackupFileSchema>;

/** A backup file's clear labels, as `backupAdditionalData` binds them. */
export type BackupLabels = Pick<
  BackupFile,
  'format' | 'version' | 'keyId' | 'createdAt' | 'deviceId' | 'site' | 'count'
>;

/** The AES-GCM additional data of a file: its labels, in a fixed order, as JSON text. */
export function backupAdditionalData(labels: BackupLabels): string {
  return JSON.stringify([
    labels.format,
    labels.version,
    labels.keyId,
    labels.createdAt,
    labels.deviceId,
    labels.site,
    labels.count,
  ]);
}

/**
 * What a backup file holds once decrypted: the device token (the server authenticates the file
 * with it as it does an upload) and the records exactly as a sync would upload them, each checked
 * by the server as an uploaded record is.
 */
export const BackupPayloadSchema = z.strictObject({
  token: z.string().check(z.minLength(1), z.maxLength(200)),
  records: z.array(z.unknown()).check(z.maxLength(MAX_BACKUP_RECORDS)),
});
export type BackupPayload = z.infer<typeof BackupPayloadSchema>;

const Count = z.int().check(z.gte(0));

/**
 * `POST /sites/:site/backups`: what became of a file's records. `added`: stored now; `duplicates`:
 * the server had them already (the tablet sent them, or the file was imported before); `refused`:
 * kept apart with the reason, as a sync's refused records are (the site's refused records list).
 */
export const BackupReportSchema = z.strictObject({
  /** The tablet the token inside belongs to. */
  deviceId: z.string(),
  deviceLabel: z.string(),
  /** When the tablet wrote the file (its label). */
  createdAt: z.string(),
  total: Count,
  added: Count,
  duplicates: Count,
  refused: z.array(z.strictObject({ id: z.string(), reason: z.string() })),
});
export type BackupReport = z.infer<typeof BackupReportSchema>;

/**
 * A tablet's recovery secret: 20 to 40 characters of base32 (A-Z, 2-7), dashes allowed between
 * groups, made on the tablet. Read by the coordinator to the interviewer who forgot the PIN.
 */
export const RecoverySecretSchema = z
  .string()
  .check(z.regex(/^[A-Z2-7-]{20,40}$/, 'must be 20 to 40 characters A-Z, 2-7 or -'));

/** `PUT /devices/recovery` (the tablet, with its token): its recovery secret, kept per device. */
export const RecoveryRequestSchema = z.strictObject({ secret: RecoverySecretSchema });
export type RecoveryRequest = z.infer<typeof RecoveryRequestSchema>;

/** `POST /sites/:site/devices/:id/recovery` (the site's coordinator): the tablet's secret. */
export const RecoveryResponseSchema = z.strictObject({ secret: RecoverySecretSchema });
export type RecoveryResponse = z.infer<typeof RecoveryResponseSchema>;
