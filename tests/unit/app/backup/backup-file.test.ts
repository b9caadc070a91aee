// The tablet's backup encryption (WebCrypto, as the browser runs it) against Node's own crypto: a
// file is opened with the private key by RSA-OAEP then AES-256-GCM, its labels bound to it, and by
// the server's `openBackup`, which refuses it once altered.
import {
  constants,
  createDecipheriv,
  createPrivateKey,
  generateKeyPairSync,
  privateDecrypt,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64Of, encryptBackup } from '../../../../src/app/backup/backup-file.ts';
import type { BackupFile, ServerPublicJwk } from '../../../../src/core/protocol/index.ts';
import { backupAdditionalData, BackupFileSchema } from '../../../../src/core/protocol/index.ts';
import { keyIdOf, openBackup, UnreadableBackup } from '../../../../src/server/server-key.ts';

const pair = generateKeyPairSync('rsa', { modulusLength: 3072 });
const exported = pair.publicKey.export({ format: 'jwk' });
const jwk: ServerPublicJwk = {
  kty: 'RSA',
  n: String(exported.n),
  e: String(exported.e),
  alg: 'RSA-OAEP-256',
};
const key = { keyId: keyIdOf(jwk), jwk };
const serverKey = { public: key, privateKey: pair.privateKey };
const labels = { createdAt: '2026-12-08T14:30:00.000Z', deviceId: 'tablet-7', site: 'lille' };
const payload = {
  token: 'dev_secret-token',
  records: [
    { id: '00000000-0000-4000-8000-000000000001', answers: { wish: 'une maison, près du métro' } },
    { id: '00000000-0000-4000-8000-000000000002', answers: {} },
  ],
};

/** The file opened with Node's crypto alone, as written in core/protocol/backup.ts. */
function decryptWithNode(file: BackupFile): unknown {
  const fileKey = privateDecrypt(
    {
      key: createPrivateKey(pair.privateKey.export({ type: 'pkcs8', format: 'pem' })),
      padding: constants.RSA_PKCS1_OAEP_PADDING,
      oaepHash: 'sha256',
    },
    Buffer.from(file.wrappedKey, 'base64'),
  );
  const sealed = Buffer.from(file.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', fileKey, Buffer.from(file.iv, 'base64'));
  decipher.setAAD(Buffer.from(backupAdditionalData(file)));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  const plain = Buffer.concat([
    decipher.update(sealed.subarray(0, sealed.length - 16)),
    decipher.final(),
  ]);
  return JSON.parse(plain.toString('utf8')) as unknown;
}

describe('a backup file', () => {
  it('is written in the format the server reads, and opens with the private key alone', async () => {
    const file = await encryptBackup(payload, key, labels);
    expect(BackupFileSchema.safeParse(file).success).toBe(true);
    expect(file).toMatchObject({
      format: 'smpg-collect-backup',
      version: 1,
      keyId: key.keyId,
      count: 2,
      ...labels,
    });
    expect(Buffer.from(file.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(file.wrappedKey, 'base64')).toHaveLength(384);
    expect(decryptWithNode(file)).toEqual(payload);
    // Nothing of the payload in clear.
    const text = JSON.stringify(file);
    for (const secret of ['dev_secret-token', 'métro', '00000000-0000-4000-8000-000000000001'])
      expect(text).not.toContain(secret);
  });

  it('is opened by the server, and refused once its content or its labels are changed', async () => {
    const file = await encryptBackup(payload, key, labels);
    expect(JSON.parse(openBackup(file, serverKey).toString('utf8'))).toEqual(payload);
    const sealed = Buffer.from(file.ciphertext, 'base64');
    sealed[0] = (sealed[0] ?? 0) ^ 0x80;
    for (const altered of [
      { ...file, ciphertext: sealed.toString('base64') },
      { ...file, site: 'lyon' },
      { ...file, count: 1 },
      { ...file, iv: base64Of(new Uint8Array(12)) },
      { ...file, wrappedKey: base64Of(new Uint8Array(384)) },
      { ...file, ciphertext: '' },
    ])
      expect(() => openBackup(altered, serverKey)).toThrow(UnreadableBackup);
    expect(() => openBackup({ ...file, keyId: 'someone-else' }, serverKey)).toThrow(
      /another server/,
    );
  });

  it('uses a fresh key and iv for every file', async () => {
    const one = await encryptBackup(payload, key, labels);
    const two = await encryptBackup(payload, key, labels);
    expect(one.iv).not.toBe(two.iv);
    expect(one.wrappedKey).not.toBe(two.wrappedKey);
    expect(one.ciphertext).not.toBe(two.ciphertext);
  });

  it('writes large payloads in base64 Node reads back', () => {
    const bytes = new Uint8Array(200_000).map((_, index) => (index * 7919) % 256);
    const text = base64Of(bytes);
    expect(text).toBe(Buffer.from(bytes).toString('base64'));
    expect(base64Of(new Uint8Array())).toBe('');
  });
});
