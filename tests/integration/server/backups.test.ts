// Issue #23's backup a coordinator brings back, and the recovery code of a forgotten PIN, through
// the API on both stores: the server's key (stable across restarts), a file encrypted by the
// tablet's own code (src/app/backup/backup-file.ts, WebCrypto in Node) imported once, then as
// duplicates, then the tablet's sync of the same records as duplicates; files of another site,
// altered or unknown, refused with a clear 400; a recovery code sent by a tablet and read only by
// its site's coordinator or an admin, each reading logged without the code.
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupFile, BackupReport, ServerKey } from '../../../src/core/protocol/index.ts';
import { BackupReportSchema, ServerKeySchema } from '../../../src/core/protocol/index.ts';
import { encryptBackup } from '../../../src/app/backup/backup-file.ts';
import { buildApp, createUser } from '../../../src/server/app.ts';
import { keyIdOf } from '../../../src/server/server-key.ts';
import type { ServerStore } from '../../../src/server/store/types.ts';
import { AT, demoDefinition, validRecord } from '../../helpers/api-world.ts';
import { tinyDemoPlan } from '../../helpers/plans.ts';
import { STORE_BACKENDS } from '../../helpers/stores.ts';

const PASSWORD = 'correct horse battery staple';
const SECRET = 'K7QF-2MZX-P4LA-6WTE-H3NB';

interface Answer {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

describe.each(STORE_BACKENDS)('tablet backups and recovery codes on $name', ({ open }) => {
  let store: ServerStore;
  let cleanup: () => Promise<void>;
  let app: FastifyInstance;
  const apps: FastifyInstance[] = [];
  const lines: string[] = [];
  const tokens: Record<'admin' | 'lille' | 'lyon', string> = { admin: '', lille: '', lyon: '' };
  let counter = 0;

  const send = async (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    token?: string,
    payload?: unknown,
    on: FastifyInstance = app,
  ): Promise<Answer> => {
    const response = await on.inject({
      method,
      url,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    return {
      status: response.statusCode,
      json: response.body === '' ? {} : (response.json() as Record<string, unknown>),
    };
  };

  const ok = async (...args: Parameters<typeof send>): Promise<Record<string, unknown>> => {
    const answer = await send(...args);
    expect(answer.status, `${args[0]} ${args[1]}: ${JSON.stringify(answer.json)}`).toBeLessThan(
      300,
    );
    return answer.json;
  };

  /** A new tablet of `site`: its token and id. */
  const enrol = async (site: 'lille' | 'lyon') => {
    const { code } = await ok('POST', `/api/v1/sites/${site}/enrolment-codes`, tokens[site]);
    const answer = await ok('POST', '/api/v1/devices/enrol', undefined, { code, label: 'T' });
    return { token: String(answer['token']), deviceId: String(answer['deviceId']) };
  };

  const serverKey = async (on: FastifyInstance = app): Promise<ServerKey> =>
    ServerKeySchema.parse(await ok('GET', '/api/v1/server-key', undefined, undefined, on));

  const uuid = () => {
    counter += 1;
    return `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  };

  /** The file a tablet writes with `token` and `records`, with the tablet's own code. */
  const backupOf = async (
    token: string,
    records: readonly unknown[],
    site = 'lille',
  ): Promise<BackupFile> =>
    encryptBackup({ token, records: [...records] }, await serverKey(), {
      createdAt: AT,
      deviceId: 'label only',
      site,
    });

  const importAs = async (token: string, file: unknown, site = 'lille') =>
    send('POST', `/api/v1/sites/${site}/backups`, token, file);

  const reportOf = (answer: Answer): BackupReport => {
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    return BackupReportSchema.parse(answer.json);
  };

  const logged = () =>
    lines.filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeAll(async () => {
    ({ store, cleanup } = await open());
    await store.migrate();
    for (const site of ['lille', 'lyon'])
      await store.createSite({
        id: site,
        name: site,
        plan: tinyDemoPlan(site),
        shortInterviewSeconds: 600,
        createdAt: AT,
      });
    await store.publishQuestionnaire({
      questionnaireId: 'demo',
      version: '1',
      definition: JSON.stringify(demoDefinition),
      labelPacks: '[]',
      publishedAt: AT,
    });
    await createUser(store, 'admin', PASSWORD, { admin: true, grants: [] }, AT);
    for (const site of ['lille', 'lyon'] as const)
      await createUser(
        store,
        `coord-${site}`,
        PASSWORD,
        { admin: false, grants: [{ site, role: 'coordinator' }] },
        AT,
      );
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n')));
    app = await buildApp({ store, now: () => new Date(AT), logStream: stream });
    apps.push(app);
    for (const [who, username] of [
      ['admin', 'admin'],
      ['lille', 'coord-lille'],
      ['lyon', 'coord-lyon'],
    ] as const) {
      const login = await ok('POST', '/api/v1/auth/login', undefined, {
        username,
        password: PASSWORD,
      });
      tokens[who] = String(login['token']);
    }
  }, 120_000);

  afterAll(async () => {
    for (const each of apps) await each.close();
    await cleanup?.();
  });

  it('serves one key, a WebCrypto RSA-OAEP key named by its thumbprint, the same after a restart', async () => {
    const first = await serverKey();
    expect(first.keyId).toBe(keyIdOf(first.jwk));
    expect(first.keyId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    // 3072 bits: 384 bytes of modulus, 512 characters of base64url.
    expect(first.jwk.n).toHaveLength(512);
    const imported = await crypto.subtle.importKey(
      'jwk',
      first.jwk,
      { name: 'RSA-OAEP', hash: 'SHA-256' },
      false,
      ['encrypt'],
    );
    expect(imported.algorithm).toMatchObject({ name: 'RSA-OAEP', modulusLength: 3072 });
    // Asked by a client with credentials or without: the same key.
    expect(await ok('GET', '/api/v1/server-key', tokens.lille)).toEqual(first);
    // Another server process on the same database reads the key kept there, it makes none.
    const restarted = await buildApp({ store, now: () => new Date(AT) });
    apps.push(restarted);
    expect(await serverKey(restarted)).toEqual(first);
    expect((await store.getServerKey('backup'))?.keyId).toBe(first.keyId);
    expect((await store.getServerKey('backup'))?.privateKey).toMatch(/^-----BEGIN PRIVATE KEY/);
  });

  it('imports a backup once; again, and the tablet’s later sync of the same records, are duplicates', async () => {
    const tablet = await enrol('lille');
    const records = [uuid(), uuid(), uuid()].map((id) => validRecord(id, 'lille', tablet.deviceId));
    const forged = validRecord(uuid(), 'lille', tablet.deviceId);
    forged.computed = { ...forged.computed, distress_score: 999 };
    const file = await backupOf(tablet.token, [...records, forged]);
    // Nothing of the records in clear.
    expect(JSON.stringify(file)).not.toContain(records[0]?.id);
    expect(JSON.stringify(file)).not.toContain(tablet.token);

    const first = reportOf(await importAs(tokens.lille, file));
    expect(first).toMatchObject({
      deviceId: tablet.deviceId,
      deviceLabel: 'T',
      createdAt: AT,
      total: 4,
      added: 3,
      duplicates: 0,
    });
    expect(first.refused).toEqual([
      { id: forged.id, reason: expect.stringContaining('distress_score') as unknown },
    ]);
    const stored = await store.listRecords({ site: 'lille' }, null, 100);
    expect(stored.filter((row) => row.deviceId === tablet.deviceId).map((row) => row.id)).toEqual(
      expect.arrayContaining(records.map((record) => record.id)),
    );
    // Refused is not lost: kept apart for the coordinator, as for a sync.
    expect((await store.listRefused('lille')).map((entry) => entry.recordId)).toContain(forged.id);
    // An import is not a sync: the tablet's last sync stays unknown.
    const devices = await store.listDevices('lille');
    expect(devices.find((device) => device.id === tablet.deviceId)?.lastSyncAt).toBeNull();

    const again = reportOf(await importAs(tokens.admin, file));
    expect(again).toMatchObject({ total: 4, added: 0, duplicates: 3 });
    expect(again.refused.map((entry) => entry.id)).toEqual([forged.id]);
    expect(
      (await store.listRefused('lille')).filter((entry) => entry.recordId === forged.id),
    ).toHaveLength(1);

    const synced = await ok('POST', '/api/v1/records', tablet.token, {
      records: [...records, forged],
    });
    expect(synced['results']).toEqual([
      ...records.map((record) => ({ id: record.id, status: 'duplicate' })),
      { id: forged.id, status: 'rejected', reason: expect.any(String) as unknown },
    ]);
    const after = await store.listRecords({ site: 'lille' }, null, 100);
    for (const record of records)
      expect(after.filter((row) => row.id === record.id)).toHaveLength(1);

    const imported = logged().filter((entry) => entry['event'] === 'backup_imported');
    expect(imported.at(-1)).toMatchObject({
      by: 'admin',
      site: 'lille',
      device: tablet.deviceId,
      added: 0,
      duplicates: 3,
      refused: 1,
    });
    expect(lines.join('\n')).not.toContain(tablet.token);
  });

  it('takes the file of a revoked tablet and of a token renewed but not yet used', async () => {
    const tablet = await enrol('lille');
    const renewed = String((await ok('POST', '/api/v1/devices/token', tablet.token))['token']);
    const onRenewed = validRecord(uuid(), 'lille', tablet.deviceId);
    expect(
      reportOf(await importAs(tokens.lille, await backupOf(renewed, [onRenewed]))),
    ).toMatchObject({ deviceId: tablet.deviceId, added: 1 });
    await ok('POST', `/api/v1/sites/lille/devices/${tablet.deviceId}/revoke`, tokens.lille);
    expect(
      (await send('POST', '/api/v1/records', tablet.token, { records: [onRenewed] })).status,
    ).toBe(401);
    const onRevoked = validRecord(uuid(), 'lille', tablet.deviceId);
    expect(
      reportOf(await importAs(tokens.lille, await backupOf(tablet.token, [onRevoked]))),
    ).toMatchObject({ deviceId: tablet.deviceId, added: 1, duplicates: 0, refused: [] });
    expect(
      logged()
        .filter((entry) => entry['event'] === 'backup_imported')
        .at(-1),
    ).toMatchObject({
      revoked: true,
    });
  });

  it('refuses another site’s file, and another site’s coordinator', async () => {
    const lyon = await enrol('lyon');
    const lyonFile = await backupOf(
      lyon.token,
      [validRecord(uuid(), 'lyon', lyon.deviceId)],
      'lyon',
    );
    const wrongSite = await importAs(tokens.lille, lyonFile);
    expect(wrongSite.status).toBe(400);
    expect(wrongSite.json).toMatchObject({
      error: 'wrong_site',
      message: expect.stringContaining('lyon') as unknown,
    });
    // Even labelled as lille's: the site is the token's, never the label's.
    const relabelled = await backupOf(lyon.token, [], 'lille');
    expect((await importAs(tokens.admin, relabelled)).json).toMatchObject({ error: 'wrong_site' });

    const lille = await enrol('lille');
    const lilleFile = await backupOf(lille.token, [validRecord(uuid(), 'lille', lille.deviceId)]);
    const outsider = await importAs(tokens.lyon, lilleFile);
    expect(outsider.status).toBe(403);
    expect((await importAs(lille.token, lilleFile)).status).toBe(403);
    expect((await importAs('', lilleFile)).status).toBe(401);
    // Lyon's coordinator on Lyon's page, with Lille's file: refused, and nothing stored.
    expect((await importAs(tokens.lyon, lilleFile, 'lyon')).json).toMatchObject({
      error: 'wrong_site',
    });
    expect(await store.listRecords({ site: 'lyon' }, null, 100)).toEqual([]);
    expect((await importAs(tokens.admin, lilleFile, 'nowhere')).status).toBe(404);
  });

  it('refuses an altered, foreign or unknown file with a clear 400, storing nothing', async () => {
    const tablet = await enrol('lille');
    const file = await backupOf(tablet.token, [validRecord(uuid(), 'lille', tablet.deviceId)]);
    const before = (await store.listRecords({}, null, 1000)).length;
    const bytes = Buffer.from(file.ciphertext, 'base64');
    bytes[10] = (bytes[10] ?? 0) ^ 1;
    const tampered = await importAs(tokens.lille, {
      ...file,
      ciphertext: bytes.toString('base64'),
    });
    expect(tampered.status).toBe(400);
    expect(tampered.json).toEqual({
      error: 'unreadable_backup',
      message:
        'this file cannot be decrypted: it is damaged or was changed after the tablet wrote it',
    });
    // The labels are bound to the content: a count or a date edited does not decrypt.
    for (const edited of [{ count: 9 }, { createdAt: '2026-11-24T10:00:00.000Z' }])
      expect((await importAs(tokens.lille, { ...file, ...edited })).json).toMatchObject({
        error: 'unreadable_backup',
      });
    const foreign = await importAs(tokens.lille, { ...file, keyId: 'another-servers-key' });
    expect(foreign.json).toMatchObject({
      error: 'unreadable_backup',
      message: expect.stringContaining('another server') as unknown,
    });
    const notOne = await importAs(tokens.lille, { format: 'smpg-collect-backup', version: 2 });
    expect(notOne.status).toBe(400);
    expect(notOne.json).toMatchObject({ error: 'bad_request' });
    const unknown = await importAs(tokens.lille, await backupOf('dev_never-issued', []));
    expect(unknown.json).toMatchObject({ error: 'unknown_device' });
    expect((await store.listRecords({}, null, 1000)).length).toBe(before);
    // The untouched file still imports.
    expect(reportOf(await importAs(tokens.lille, file)).added).toBe(1);
  });

  it('imports more records than an upload holds, checked in worker threads, in files larger than an upload', async () => {
    const threaded = await buildApp({ store, now: () => new Date(AT), checkThreads: 2 });
    apps.push(threaded);
    const tablet = await enrol('lille');
    const records = Array.from({ length: 1_100 }, () =>
      validRecord(uuid(), 'lille', tablet.deviceId),
    );
    // One without an id, named by its place in the file.
    const file = await backupOf(tablet.token, [...records, { answers: {} }]);
    const report = reportOf(
      await send('POST', '/api/v1/sites/lille/backups', tokens.lille, file, threaded),
    );
    expect(report).toMatchObject({ total: 1_101, added: 1_100, duplicates: 0 });
    expect(report.refused).toEqual([
      { id: '#1100', reason: expect.stringContaining('invalid record') as unknown },
    ]);
    const stored = await store.listRecords({ site: 'lille' }, null, 10_000);
    const ids = new Set(stored.map((row) => row.id));
    expect(records.every((record) => ids.has(record.id))).toBe(true);
    // A file well beyond an upload's 4 MiB is read (here, one that does not decrypt)...
    const big = { ...file, ciphertext: Buffer.alloc(6 * 1024 * 1024, 7).toString('base64') };
    for (const on of [app, threaded])
      expect(
        (await send('POST', '/api/v1/sites/lille/backups', tokens.lille, big, on)).json,
      ).toMatchObject({ error: 'unreadable_backup' });
    // ...but not one beyond the limit.
    const huge = { ...file, ciphertext: Buffer.alloc(25 * 1024 * 1024, 7).toString('base64') };
    const refused = await send('POST', '/api/v1/sites/lille/backups', tokens.lille, huge, threaded);
    expect(refused.status).toBe(413);
  }, 60_000);

  it('keeps a tablet’s recovery code, read only by its site’s coordinator or an admin, logged', async () => {
    const tablet = await enrol('lille');
    const other = await enrol('lille');
    const url = `/api/v1/sites/lille/devices/${tablet.deviceId}/recovery`;
    expect((await send('POST', url, tokens.lille)).json).toMatchObject({
      error: 'no_recovery_secret',
    });
    expect(
      (await send('PUT', '/api/v1/devices/recovery', tablet.token, { secret: 'abc' })).status,
    ).toBe(400);
    expect(
      (await send('PUT', '/api/v1/devices/recovery', tokens.lille, { secret: SECRET })).status,
    ).toBe(403);
    expect(
      (await send('PUT', '/api/v1/devices/recovery', undefined, { secret: SECRET })).status,
    ).toBe(401);
    expect(
      (await send('PUT', '/api/v1/devices/recovery', tablet.token, { secret: SECRET })).status,
    ).toBe(204);
    expect(await ok('POST', url, tokens.lille)).toEqual({ secret: SECRET });
    expect(await ok('POST', url, tokens.admin)).toEqual({ secret: SECRET });
    expect((await send('POST', url, tokens.lyon)).status).toBe(403);
    expect((await send('POST', url, tablet.token)).status).toBe(403);
    expect((await send('POST', url)).status).toBe(401);
    // Named under another site: not found there.
    expect(
      (await send('POST', `/api/v1/sites/lyon/devices/${tablet.deviceId}/recovery`, tokens.admin))
        .status,
    ).toBe(404);
    // Each tablet its own.
    expect(
      (await send('POST', `/api/v1/sites/lille/devices/${other.deviceId}/recovery`, tokens.lille))
        .status,
    ).toBe(404);
    const reads = logged().filter((entry) => entry['event'] === 'recovery_secret_revealed');
    expect(reads.map((entry) => entry['by'])).toEqual(['coord-lille', 'admin']);
    expect(reads[0]).toMatchObject({ site: 'lille', device: tablet.deviceId });
    expect(logged().some((entry) => entry['event'] === 'recovery_secret_set')).toBe(true);
    expect(lines.join('\n')).not.toContain(SECRET);
  });
});
