// The quality figures' backfill on a real store (SQLite file, then PostgreSQL): records an older
// server stored without figures get, once the app is ready, the figures an upload of the same
// record gets, and the dashboard counts them; a record whose version or body does not load keeps
// none without stopping the others; closing the app in the middle stops it cleanly.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InterviewRecordWire, SiteSummary } from '../../../src/core/protocol/index.ts';
import { SiteSummarySchema } from '../../../src/core/protocol/index.ts';
import type { Answer, Questionnaire } from '../../../src/core/questionnaire/index.ts';
import { DONT_KNOW, REFUSED } from '../../../src/core/questionnaire/index.ts';
import { anonymise } from '../../../src/core/record/index.ts';
import { toStoredRecord } from '../../../src/server/admit.ts';
import type { AppOptions } from '../../../src/server/app.ts';
import { buildApp, createUser } from '../../../src/server/app.ts';
import type { ServerStore, StoredRecord } from '../../../src/server/store/types.ts';
import { loadScreening, screeningDefinition } from '../../helpers/screening.ts';
import { injectCaller, signInAndEnrol } from '../../helpers/inject.ts';
import { STORE_BACKENDS } from '../../helpers/stores.ts';

const AT = '2026-11-24T10:00:00.000Z';
const definition = screeningDefinition();
const q: Questionnaire = loadScreening(definition);

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const at = (minutes: number) =>
  new Date(Date.parse('2026-11-23T09:00:00.000Z') + minutes * 60_000).toISOString();

/** A record as a tablet sends it. */
function record(
  n: number,
  interviewer: string,
  minutes: number,
  answers: Readonly<Record<string, Answer>>,
): InterviewRecordWire {
  const status = answers['consent'] === '2' ? 'screened_out' : 'completed';
  const endedAt = at(10 * n + minutes);
  return anonymise(
    q,
    {
      id: uuid(n),
      site: 'lille',
      interviewer,
      deviceId: 'tablet',
      status,
      ...(status === 'screened_out' ? { screenOutId: 'no_consent' } : {}),
      language: 'fr',
      appVersion: 'test',
      startedAt: at(10 * n),
      endedAt,
      quotaCategories: {},
      alerts: [],
    },
    new Map(Object.entries(answers)),
    { today: () => endedAt.slice(0, 10) },
  );
}

/** Answers with every figure in play: don't know, refused, positive and negative screens. */
const ANSWERS: readonly Readonly<Record<string, Answer>>[] = [
  { consent: '1', dep_screen1: '1', dep_screen2: '1', dep_sleep: DONT_KNOW, mood: '2' },
  { consent: '1', dep_screen1: '2', dep_screen2: REFUSED, mood: DONT_KNOW },
  { consent: '1', dep_screen1: '1', dep_screen2: '2', dep_sleep: '1', mood: '1' },
  { consent: '2' },
];
/** ENQ01's records, as an older server stored them: without figures. */
const OLD = ANSWERS.map((answers, i) => record(i + 1, 'ENQ01', 20 + i, answers));
/** The same interviews by ENQ02, uploaded to this server: the figures to match. */
const TWINS = ANSWERS.map((answers, i) => record(i + 101, 'ENQ02', 20 + i, answers));

/** A record stored without figures, as a server before them stored it. */
const stored = (wire: InterviewRecordWire): StoredRecord => toStoredRecord(wire, 'old-tablet', AT);

/**
 * Records that keep no figures: of a version never published (two, met on two pages), of a
 * published version that no longer loads, and two whose body does not read as a record.
 */
const STUCK: readonly StoredRecord[] = [
  stored({ ...record(5, 'ENQ09', 20, ANSWERS[0] ?? {}), questionnaireVersion: '9' }),
  { ...stored(record(6, 'ENQ09', 20, ANSWERS[0] ?? {})), body: '{"answers":' },
  stored({ ...record(7, 'ENQ09', 20, ANSWERS[0] ?? {}), questionnaireVersion: '0' }),
  stored({ ...record(8, 'ENQ09', 20, ANSWERS[1] ?? {}), questionnaireVersion: '9' }),
  { ...stored(record(9, 'ENQ09', 20, ANSWERS[0] ?? {})), body: '{"answers":{"mood":{"x":1}}}' },
];

/** Log lines as the app writes them, parsed, and a wait for one. */
class LogLines extends Writable {
  readonly entries: Record<string, unknown>[] = [];
  private readonly waiting: {
    check: (entry: Record<string, unknown>) => boolean;
    go: () => void;
  }[] = [];

  constructor() {
    super({
      write: (chunk: Buffer, _encoding, done) => {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (line === '') continue;
          const entry = JSON.parse(line) as Record<string, unknown>;
          this.entries.push(entry);
          for (const waiter of this.waiting.filter((each) => each.check(entry))) waiter.go();
        }
        done();
      },
    });
  }

  of(event: string): Record<string, unknown>[] {
    return this.entries.filter((entry) => entry['event'] === event);
  }

  /** Resolves when an entry of `event` (and `that`) is written, at once if one was. */
  next(
    event: string,
    that: (entry: Record<string, unknown>) => boolean = () => true,
  ): Promise<void> {
    if (this.of(event).some(that)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} logged`)), 20_000);
      this.waiting.push({
        check: (entry) => entry['event'] === event && that(entry),
        go: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

function describeBackfill(name: string, open: (typeof STORE_BACKENDS)[number]['open']) {
  describe(`quality figures backfill on ${name}`, () => {
    let store: ServerStore;
    let cleanup: () => Promise<void>;
    /** The app tablets upload to and coordinators read, without a backfill of its own. */
    let app: FastifyInstance;
    const tokens: Record<string, string> = {};
    const opened: FastifyInstance[] = [];

    const call = injectCaller(() => app);
    const summary = async (): Promise<SiteSummary> =>
      SiteSummarySchema.parse(
        (await call('GET', '/api/v1/sites/lille/summary', tokens['coord'])).json(),
      );
    const figuresOf = async (id: string) => (await store.getRecord(id))?.figures;

    /** An app that backfills, logging to `log`. */
    const backfilling = async (
      log: LogLines,
      backfillFigures: NonNullable<AppOptions['backfillFigures']>,
    ): Promise<FastifyInstance> => {
      const made = await buildApp({
        store,
        now: () => new Date(AT),
        logStream: log,
        backfillFigures,
      });
      opened.push(made);
      return made;
    };

    beforeAll(async () => {
      ({ store, cleanup } = await open());
      await store.migrate();
      await store.createSite({
        id: 'lille',
        name: 'Lille',
        plan: null,
        shortInterviewSeconds: 60,
        createdAt: AT,
        timeZone: 'UTC',
      });
      await createUser(store, 'admin', 'secret-admin', { admin: true, grants: [] }, AT);
      await createUser(
        store,
        'coord',
        'secret-coord',
        { admin: false, grants: [{ site: 'lille', role: 'coordinator' }] },
        AT,
      );
      // Version 0 was published, but its definition no longer reads.
      await store.publishQuestionnaire({
        questionnaireId: 'screening',
        version: '0',
        definition: 'not json',
        labelPacks: '[]',
        publishedAt: AT,
      });
      expect(await store.putRecords([...OLD.map(stored), ...STUCK])).toEqual(
        [...OLD, ...STUCK].map(() => 'accepted'),
      );
      app = await buildApp({ store, now: () => new Date(AT), uploadsPerMinute: 1000 });
      await signInAndEnrol(call, ['admin', 'coord'], definition, tokens);
      const upload = await call('POST', '/api/v1/records', tokens['device'], { records: TWINS });
      expect((upload.json() as { results: { status: string }[] }).results).toEqual(
        TWINS.map((twin) => ({ id: twin.id, status: 'accepted' })),
      );
    });

    afterAll(async () => {
      for (const each of opened) await each.close();
      await app.close();
      await cleanup();
    });

    it('pages the records without figures by id, and never overwrites figures kept', async () => {
      const ids = [...OLD, ...STUCK.map((each) => ({ id: each.id }))].map((each) => each.id);
      const first = await store.recordsWithoutFigures(null, 4);
      expect(first.map((each) => each.id)).toEqual(ids.slice(0, 4));
      expect(first[0]).toEqual({
        id: uuid(1),
        questionnaireId: 'screening',
        questionnaireVersion: '1',
        body: stored(OLD[0] as InterviewRecordWire).body,
      });
      const rest = await store.recordsWithoutFigures(uuid(4), 100);
      expect(rest.map((each) => each.id)).toEqual(ids.slice(4));
      await expect(store.recordsWithoutFigures(null, 0)).rejects.toThrow(RangeError);
      // An uploaded record has its figures: a second writer (another server) leaves them.
      const twin = TWINS[0]?.id ?? '';
      const kept = await figuresOf(twin);
      const other = { asked: 99, dontKnow: 9, refused: 9, screens: 9, positiveScreens: 9 };
      expect(await store.setRecordFigures([{ id: twin, figures: other }])).toBe(0);
      expect(await figuresOf(twin)).toEqual(kept);
      expect(await store.setRecordFigures([])).toBe(0);
    });

    it('counts the records stored without figures in the median only, before the backfill', async () => {
      for (const old of OLD) expect(await figuresOf(old.id)).toBeNull();
      const quality = (await summary()).quality ?? [];
      expect(quality.find((entry) => entry.interviewer === 'ENQ01')).toMatchObject({
        completed: 3,
        dontKnowShare: null,
        positiveScreenShare: null,
      });
    });

    it('gives each record the figures an upload gives it, and goes on past those it cannot count', async () => {
      const log = new LogLines();
      await (await backfilling(log, { pageSize: 2 })).ready();
      await log.next('figures_backfill_end');
      for (const [i, old] of OLD.entries()) {
        const expected = await figuresOf(TWINS[i]?.id ?? '');
        expect(expected).not.toBeNull();
        expect(await figuresOf(old.id), old.id).toEqual(expected);
      }
      // Every figure is at work in these records (the comparison above is not of zeros).
      expect(await figuresOf(uuid(1))).toEqual({
        asked: 5,
        dontKnow: 1,
        refused: 0,
        screens: 2,
        positiveScreens: 2,
      });
      for (const stuck of STUCK) expect(await figuresOf(stuck.id), stuck.id).toBeNull();

      // A version that does not load is told once, however many records and pages it has.
      const versions = log.of('figures_backfill_version');
      expect(
        versions.map((entry) => [entry['version'], entry['firstRecord'], entry['level']]),
      ).toEqual([
        ['9', uuid(5), 40],
        ['0', uuid(7), 40],
      ]);
      expect(log.of('figures_backfill_body').map((entry) => entry['record'])).toEqual([
        uuid(6),
        uuid(9),
      ]);
      // A line per page of 2 with the counts so far, and one at the end.
      const pages = log.of('figures_backfill_page');
      expect(
        pages.map((entry) => [entry['page'], entry['read'], entry['filled'], entry['left']]),
      ).toEqual([
        [1, 2, 2, 0],
        [2, 4, 4, 0],
        [3, 6, 4, 2],
        [4, 8, 4, 4],
        [5, 9, 4, 5],
      ]);
      expect(log.of('figures_backfill_end')).toMatchObject([
        { read: 9, filled: 4, left: 5, stopped: false },
      ]);
    });

    it('lets the dashboard count them: the same figures as the same interviews uploaded now', async () => {
      const quality = (await summary()).quality ?? [];
      const enq01 = quality.find((entry) => entry.interviewer === 'ENQ01');
      const enq02 = quality.find((entry) => entry.interviewer === 'ENQ02');
      expect(enq01?.dontKnowShare).toBe(2 / 14);
      expect(enq01?.refusedShare).toBe(1 / 14);
      expect(enq01?.positiveScreenShare).toBe(3 / 6);
      expect({ ...enq01, interviewer: 'ENQ02' }).toEqual(enq02);
    });

    it('counts nothing twice when run again: only the records it cannot count are read', async () => {
      const before = await Promise.all([...OLD, ...TWINS].map((each) => figuresOf(each.id)));
      const log = new LogLines();
      await (await backfilling(log, true)).ready();
      await log.next('figures_backfill_end');
      expect(log.of('figures_backfill_end')).toMatchObject([
        { read: 5, filled: 0, left: 5, stopped: false },
      ]);
      expect(await Promise.all([...OLD, ...TWINS].map((each) => figuresOf(each.id)))).toEqual(
        before,
      );
    });

    it('stops cleanly when the app closes in the middle, and the next start goes on', async () => {
      const many = Array.from({ length: 40 }, (_, i) =>
        stored(record(201 + i, 'ENQ03', 20, ANSWERS[i % ANSWERS.length] ?? {})),
      );
      await store.putRecords(many);
      const log = new LogLines();
      const closing = await backfilling(log, { pageSize: 1 });
      await closing.ready();
      // Ready before the backfill is done: it runs behind the server's start.
      expect(log.of('figures_backfill_end')).toEqual([]);
      // The records that keep no figures come first (their ids sort first): past them.
      await log.next('figures_backfill_page', (entry) => entry['filled'] === 1);
      await closing.close();
      const [end] = log.of('figures_backfill_end');
      expect(end).toMatchObject({ stopped: true });
      const after = await Promise.all(many.map((each) => figuresOf(each.id)));
      const filled = after.filter((figures) => figures !== null).length;
      expect(filled).toBeGreaterThan(0);
      expect(filled).toBeLessThan(many.length);
      expect(end?.['filled']).toBe(filled);
      // Nothing was left holding the records: a new start fills the rest.
      const next = new LogLines();
      await (await backfilling(next, { pageSize: 16 })).ready();
      await next.next('figures_backfill_end');
      expect(next.of('figures_backfill_end')).toMatchObject([
        { filled: many.length - filled, left: STUCK.length, stopped: false },
      ]);
      for (const each of many) expect(await figuresOf(each.id)).not.toBeNull();
    });
  });
}

for (const { name, open } of STORE_BACKENDS) describeBackfill(name, open);
