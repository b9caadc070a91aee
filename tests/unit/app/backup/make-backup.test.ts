// "Sauvegarde" against the real server in process: no file before the tablet has the server's key
// (fetched by the next sync), nothing to write once all is acknowledged, then a file of exactly
// the interviews the server has not acknowledged (never practice or drafts), holding the records a
// sync would upload and the token; the coordinator imports it, and the tablet's sync then finds
// them all already there.
import { createPrivateKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupFileName, makeBackup } from '../../../../src/app/backup/make-backup.ts';
import { buildRecord, runSync } from '../../../../src/app/sync/sync-engine.ts';
import type { SyncDeps } from '../../../../src/app/sync/sync-engine.ts';
import { BackupPayloadSchema, ServerPublicJwkSchema } from '../../../../src/core/protocol/index.ts';
import { openBackup } from '../../../../src/server/server-key.ts';
import type { TestServer } from './../sync/fixture.ts';
import { addInterview, enrolledTablet, injectTransport, startServer } from './../sync/fixture.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

describe('making a backup', () => {
  it('holds every unacknowledged interview as a sync would send it, and imports as a sync would', async () => {
    const net = injectTransport(server.app);
    const t = await enrolledTablet(server, net.transport);
    const deps: SyncDeps = {
      store: t.store,
      cache: t.cache,
      transport: net.transport,
      random: () => 0.5,
    };
    const early = await addInterview(t, { age: 30 });
    // Enrolled without the key (through the API alone): no file can be written yet.
    expect(await makeBackup(t.store, t.cache, new Date())).toEqual({
      ok: false,
      problem: 'no_key',
    });
    expect(await runSync(deps)).toMatchObject({ kind: 'done', sent: 1 });
    const settings = await t.store.getSettings();
    expect(settings?.serverKey?.keyId).toBe((await server.store.getServerKey('backup'))?.keyId);
    expect(await makeBackup(t.store, t.cache, new Date())).toEqual({
      ok: false,
      problem: 'nothing',
    });

    const done = await addInterview(t, { age: 31 });
    const minor = await addInterview(t, { age: 16 });
    await addInterview(t, { age: 60, practice: true });
    await t.store.createInterview({ ...done, id: crypto.randomUUID(), status: 'in_progress' });
    // Refused by an earlier sync: not acknowledged, so it goes too (refused again, kept apart).
    const refused = await addInterview(t, { age: 45 });
    await t.store.updateInterview(refused.id, {
      sync: { state: 'refused', attempts: 1, reason: 'refused' },
    });
    const at = new Date('2026-12-08T14:30:00');
    const result = await makeBackup(t.store, t.cache, at);
    if (!result.ok) throw new Error(`no backup: ${result.problem}`);
    expect(result.name).toBe(`smpg-sauvegarde-lille-${t.settings.deviceId}-2026-12-08-1430.json`);
    expect(result.skipped).toEqual([]);
    expect(result.file).toMatchObject({ site: 'lille', deviceId: t.settings.deviceId, count: 3 });

    const row = await server.store.getServerKey('backup');
    if (row === undefined) throw new Error('the server has no key');
    const key = {
      public: { keyId: row.keyId, jwk: ServerPublicJwkSchema.parse(JSON.parse(row.publicKey)) },
      privateKey: createPrivateKey(row.privateKey),
    };
    const payload = BackupPayloadSchema.parse(
      JSON.parse(openBackup(result.file, key).toString('utf8')),
    );
    expect(payload.token).toBe(settings?.deviceToken);
    const expected = await Promise.all(
      [done, minor, refused].map(async (interview) => {
        const built = await buildRecord(t.store, t.cache, interview);
        if ('problem' in built) throw new Error(built.problem);
        return built.record;
      }),
    );
    expect(payload.records).toEqual(expect.arrayContaining(expected));
    expect(payload.records).toHaveLength(3);
    expect(payload.records.map((record) => (record as { id: string }).id)).not.toContain(early.id);

    const imported = await server.app.inject({
      method: 'POST',
      url: '/api/v1/sites/lille/backups',
      headers: { authorization: `Bearer ${server.token}` },
      payload: result.file,
    });
    expect(imported.json()).toMatchObject({ total: 3, added: 3, duplicates: 0, refused: [] });
    const stored = await server.records('lille');
    const receivedAt = new Map(stored.map((record) => [record.id, record.receivedAt]));

    // The tablet syncs later: what it sends is already there, stored once, untouched.
    expect(await runSync(deps, { force: true })).toMatchObject({
      kind: 'done',
      sent: 2,
      refused: 0,
      pending: 0,
    });
    const after = await server.records('lille');
    expect(after).toHaveLength(stored.length);
    for (const interview of [done, minor])
      expect(after.find((record) => record.id === interview.id)?.receivedAt).toBe(
        receivedAt.get(interview.id),
      );
    expect(await makeBackup(t.store, t.cache, new Date())).toMatchObject({
      ok: true,
      file: { count: 1 },
    });
  });

  it('names the file after the site and the tablet, safe in any file system', () => {
    expect(backupFileName('Lille sud/2', 'a1b2', new Date('2027-01-02T03:04:00'))).toBe(
      'smpg-sauvegarde-Lille_sud_2-a1b2-2027-01-02-0304.json',
    );
  });
});
