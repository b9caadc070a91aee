// A site's own label packs reaching tablets through the sync: a tablet of the site gets the
// latest revision with the version (and the next revision on the next run, compiled anew), a
// tablet of another site never does, and a record asked in the pack's language names its revision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Definition, Questionnaire } from '../../../../src/core/questionnaire/index.ts';
import { translationRows } from '../../../../src/core/xlsform/translation-sheet.ts';
import {
  interviewLanguages,
  sitePackRevisions,
} from '../../../../src/app/questionnaires/catalogue.ts';
import { buildRecord, runSync } from '../../../../src/app/sync/sync-engine.ts';
import type { SyncDeps } from '../../../../src/app/sync/sync-engine.ts';
import type { TestServer } from './fixture.ts';
import {
  DEMO_DEFINITION,
  addInterview,
  enrolledTablet,
  injectTransport,
  manualClock,
  startServer,
} from './fixture.ts';

const DEMO = DEMO_DEFINITION as Definition;

/** A pack of every demo text for `gcr`, our own words, `mark` telling revisions apart. */
function creole(mark: string): { pack: unknown } {
  const texts = Object.fromEntries(
    translationRows(DEMO).map((row) => [row.key, `kreyol ${mark} ${row.key}`]),
  );
  return { pack: { questionnaire: 'demo', version: '1', language: 'gcr', texts } };
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ sites: ['a', 'b'], admin: true });
});
afterAll(async () => {
  await server.close();
});

async function tablet(site: string) {
  const net = injectTransport(server.app);
  const device = await enrolledTablet(server, net.transport, site);
  const deps: SyncDeps = {
    store: device.store,
    cache: device.cache,
    transport: net.transport,
    now: manualClock().now,
    random: () => 0.5,
  };
  return { ...device, net, deps };
}

const titleIn = (q: Questionnaire | readonly unknown[] | undefined, language: string) =>
  q !== undefined && 'definition' in q ? q.definition.title[language] : undefined;

describe('site label packs on tablets', () => {
  it('brings a site its own packs, the next revision on the next run, and never to another site', async () => {
    const atB = await tablet('b');
    const atA = await tablet('a');
    // Compiled before any pack: the cache must not keep this copy once a pack comes.
    expect(titleIn(await atB.cache.get('demo', '1'), 'gcr')).toBeUndefined();
    await server.call('PUT', '/api/v1/sites/b/label-packs/demo/1/gcr', creole('one'));

    expect(await runSync(atB.deps)).toMatchObject({ kind: 'done' });
    const installed = await atB.store.getQuestionnaire('demo', '1');
    expect(installed?.sitePacks?.map((p) => [p.language, p.revision])).toEqual([['gcr', 1]]);
    expect(installed?.definition).toEqual(DEMO_DEFINITION);
    expect(titleIn(await atB.cache.get('demo', '1'), 'gcr')).toBe('kreyol one title');
    const settingsB = await atB.store.getSettings();
    expect(settingsB?.sitePackLanguages).toEqual(['gcr']);
    // Offered beside the site's own languages (French here).
    expect(interviewLanguages(settingsB)).toEqual(['fr', 'gcr']);

    expect(await runSync(atA.deps)).toMatchObject({ kind: 'done' });
    expect((await atA.store.getQuestionnaire('demo', '1'))?.sitePacks).toBeUndefined();
    expect((await atA.store.getSettings())?.sitePackLanguages).toBeUndefined();
    expect(interviewLanguages(await atA.store.getSettings())).toEqual(['fr']);
    expect(titleIn(await atA.cache.get('demo', '1'), 'gcr')).toBeUndefined();
    expect(atA.net.seen.some((r) => r.path === '/api/v1/questionnaires/demo/1')).toBe(false);

    // A newer revision replaces the older at the next run.
    await server.call('PUT', '/api/v1/sites/b/label-packs/demo/1/gcr', creole('two'));
    await runSync(atB.deps);
    const revised = await atB.store.getQuestionnaire('demo', '1');
    expect(revised?.sitePacks?.map((p) => p.revision)).toEqual([2]);
    expect(titleIn(await atB.cache.get('demo', '1'), 'gcr')).toBe('kreyol two title');
    // Nothing new: the version is not downloaded again.
    const downloads = () =>
      atB.net.seen.filter((r) => r.path === '/api/v1/questionnaires/demo/1').length;
    const before = downloads();
    await runSync(atB.deps);
    expect(downloads()).toBe(before);
  });

  it('sends a record asked in the pack’s language with the revision it started with', async () => {
    const atB = await tablet('b');
    await runSync(atB.deps);
    const installed = await atB.store.getQuestionnaire('demo', '1');
    if (installed === undefined) throw new Error('demo 1 is not installed');
    const pinned = sitePackRevisions(installed);
    expect(pinned).toEqual({ labelPacks: { gcr: 2 } });
    const interview = await addInterview(atB);
    await atB.store.updateInterview(interview.id, {
      language: 'gcr',
      languages: ['fr', 'gcr'],
      ...pinned,
    });
    const stored = await atB.store.getInterview(interview.id);
    if (stored === undefined) throw new Error('the interview is gone');
    const built = await buildRecord(atB.store, atB.cache, stored);
    expect('record' in built && built.record.labelPacks).toEqual({ gcr: 2 });
    // One asked in French only names no pack.
    const french = await addInterview(atB);
    await atB.store.updateInterview(french.id, pinned);
    const frenchRecord = await buildRecord(
      atB.store,
      atB.cache,
      (await atB.store.getInterview(french.id)) ?? french,
    );
    expect('record' in frenchRecord && 'labelPacks' in frenchRecord.record).toBe(false);
    expect(await runSync(atB.deps)).toMatchObject({ kind: 'done', sent: 2, refused: 0 });
    const bodies = (await server.records('b')).map((row) => JSON.parse(row.body) as unknown);
    expect(bodies).toContainEqual(
      expect.objectContaining({ id: interview.id, language: 'gcr', labelPacks: { gcr: 2 } }),
    );
  });
});
