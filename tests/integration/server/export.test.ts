// The server's CSV exports on a real store (SQLite file, then PostgreSQL): a site's interviews of
// two questionnaire versions together or of one, every site, the codebook, the screen-outs; the
// options (separator, BOM, labels, formulas: an uploaded text that starts like a formula comes out
// neutralised, or raw on request); who may export; and, on SQLite over real HTTP, a site of
// 20,000 SMPG interviews streamed by a server process whose heap is capped.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportOptions } from '../../../src/core/export/index.ts';
import {
  BREAK_OFF_COLUMNS,
  CODEBOOK_HEADER,
  codebookRows,
  exportHeader,
  exportLayout,
  exportRow,
  fileColumnRows,
  screenOutHeader,
} from '../../../src/core/export/index.ts';
import type { InterviewRecordWire } from '../../../src/core/protocol/index.ts';
import type { Questionnaire } from '../../../src/core/questionnaire/index.ts';
import { toStoredRecord } from '../../../src/server/admit.ts';
import { buildApp, createUser } from '../../../src/server/app.ts';
import { EXPORT_PAGE } from '../../../src/server/routes/exports.ts';
import { SqliteStore } from '../../../src/server/store/sqlite-store.ts';
import type { ServerStore } from '../../../src/server/store/types.ts';
import { load } from '../../helpers/builder.ts';
import { tinyDemoPlan } from '../../helpers/plans.ts';
import { STORE_BACKENDS } from '../../helpers/stores.ts';
import { makeRecord, randomPolicy, seededRandom, seededUuid } from '../../helpers/records.ts';
import { DEMO_CALM } from '../../e2e/demo-answers.ts';

const AT = '2026-11-23T10:00:00.000Z';
const readText = (path: string) => readFileSync(path, 'utf8');
const demo1 = load(JSON.parse(readText('questionnaires/demo/1.json')));
const demo2 = load(JSON.parse(readText('questionnaires/demo/2.json')));

async function publish(store: ServerStore, path: string): Promise<void> {
  const definition = JSON.parse(readText(path)) as { id: string; version: string };
  await store.publishQuestionnaire({
    questionnaireId: definition.id,
    version: definition.version,
    definition: JSON.stringify(definition),
    labelPacks: '[]',
    publishedAt: AT,
  });
}

/** Records of both demo versions: random respondents, some of whom screen out. */
function demoRecords(site: string, count: number, seed: number): InterviewRecordWire[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const q: Questionnaire = i % 2 === 0 ? demo1 : demo2;
    const script = i % 7 === 3 ? { consent: '2' } : { consent: '1' };
    const { record } = makeRecord(q, script, randomPolicy(q, seededRandom(seed + i)), {
      id: seededUuid(random),
      site,
      // The device that stores them (the server keeps its uploader's id, not the body's).
      deviceId: 'tablet',
      interviewer: `ENQ-0${i % 3}`,
      pickupPoint: 'Marché de Wazemmes',
      quotaCategories: { age: i % 2 === 0 ? 'young' : 'old' },
    });
    return record;
  });
}

/** The server's layout: its sites' plans (the tiny demo plan's `age`) add `quota_age` and `weight`. */
const serverLayout = (questionnaires: readonly Questionnaire[]) =>
  exportLayout(questionnaires, { quotaVariables: ['age'] });

/**
 * What the server should write beside the answers, worked out here apart from its code: the sites'
 * time zone (the default, Paris), and each completed interview's weight on the tiny plan (one table,
 * two cells of equal targets: post-stratification, each cell weighted to half the site's sample).
 */
function serverOptions(records: readonly InterviewRecordWire[]): ExportOptions {
  const completed = records.filter((record) => record.status === 'completed');
  const young = completed.filter((record) => record.quotaCategories['age'] === 'young').length;
  const half = completed.length / 2;
  return {
    timeZones: new Map(records.map((record) => [record.site, 'Europe/Paris'])),
    weightOf: (record) =>
      record.quotaCategories['age'] === 'young' ? half / young : half / (completed.length - young),
  };
}

function parseCsv(text: string, delimiter: ',' | ';'): string[][] {
  const result = Papa.parse<string[]>(text, { delimiter, newline: '\r\n', skipEmptyLines: true });
  expect(result.errors).toEqual([]);
  return result.data;
}

function describeExport(
  name: string,
  open: () => Promise<{ store: ServerStore; cleanup: () => Promise<void> }>,
) {
  describe(`CSV exports on ${name}`, () => {
    let app: FastifyInstance;
    let store: ServerStore;
    let cleanup: () => Promise<void>;
    const tokens: Record<string, string> = {};
    const lille = demoRecords('lille', 40, 100);
    const lyon = demoRecords('lyon', 6, 200);

    const get = async (url: string, who?: string) => {
      const response = await app.inject({
        method: 'GET',
        url,
        headers: who === undefined ? {} : { authorization: `Bearer ${tokens[who] ?? who}` },
      });
      return { status: response.statusCode, headers: response.headers, body: response.body };
    };

    beforeAll(async () => {
      ({ store, cleanup } = await open());
      await store.migrate();
      for (const site of ['lille', 'lyon']) {
        await store.createSite({
          id: site,
          name: site,
          plan: tinyDemoPlan(site),
          shortInterviewSeconds: 600,
          createdAt: AT,
        });
      }
      await publish(store, 'questionnaires/demo/1.json');
      await publish(store, 'questionnaires/demo/2.json');
      await createUser(
        store,
        'coord',
        'pw-coord',
        { admin: false, grants: [{ site: 'lille', role: 'coordinator' }] },
        AT,
      );
      await createUser(
        store,
        'analyst',
        'pw-analyst',
        { admin: false, grants: [{ site: 'lille', role: 'analyst' }] },
        AT,
      );
      await createUser(
        store,
        'coordlyon',
        'pw-lyon',
        { admin: false, grants: [{ site: 'lyon', role: 'coordinator' }] },
        AT,
      );
      await createUser(store, 'admin', 'pw-admin', { admin: true, grants: [] }, AT);
      await store.putRecords([...lille, ...lyon].map((r) => toStoredRecord(r, 'tablet', AT)));
      app = await buildApp({ store, now: () => new Date(AT) });
      for (const [user, password] of [
        ['coord', 'pw-coord'],
        ['analyst', 'pw-analyst'],
        ['coordlyon', 'pw-lyon'],
        ['admin', 'pw-admin'],
      ] as const) {
        const login = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: user, password },
        });
        tokens[user] = (login.json() as { token: string }).token;
      }
    }, 120_000);

    afterAll(async () => {
      await app?.close();
      await cleanup?.();
    });

    it("exports a site's completed interviews of both versions, row for row", async () => {
      const response = await get('/api/v1/sites/lille/export/interviews.csv', 'analyst');
      expect(response.status, response.body).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toBe(
        'attachment; filename="demo_lille_interviews_2026-11-23.csv"',
      );
      const layout = serverLayout([demo1, demo2]);
      const completed = lille.filter((record) => record.status === 'completed');
      expect(completed.length).toBeGreaterThan(20);
      expect(completed.length).toBeLessThan(lille.length);
      const [header, ...rows] = parseCsv(response.body, ',');
      expect(header).toEqual(exportHeader(layout));
      expect(header?.slice(-2)).toEqual(['quota_age', 'weight']);
      const byId = new Map(rows.map((row) => [row[header?.indexOf('interview_id') ?? -1], row]));
      expect([...byId.keys()].sort()).toEqual(completed.map((record) => record.id).sort());
      const options = serverOptions(lille);
      for (const record of completed)
        expect(byId.get(record.id)).toEqual(exportRow(layout, record, options));
      // The weights add up to the sample, and each age cell weighs half of it, as planned.
      const weights = rows.map((row) => Number(row.at(-1)));
      expect(weights.reduce((sum, weight) => sum + weight, 0)).toBeCloseTo(completed.length, 9);
      const young = rows.filter((row) => row.at(-2) === 'young');
      expect(young.reduce((sum, row) => sum + Number(row.at(-1)), 0)).toBeCloseTo(
        completed.length / 2,
        9,
      );
      // Local times: the interviews took place in June, when Paris is two hours ahead of UTC.
      const local = header?.indexOf('started_at_local') ?? -1;
      const started = header?.indexOf('started_at') ?? -1;
      for (const row of rows) {
        const utc = new Date(row[started] ?? '');
        expect(utc.getUTCMonth()).toBe(5);
        expect(row[local]?.slice(11, 13)).toBe(
          String((utc.getUTCHours() + 2) % 24).padStart(2, '0'),
        );
      }
    });

    it('takes the options: one version, semicolons, BOM, labels in English', async () => {
      const response = await get(
        '/api/v1/sites/lille/export/interviews.csv?questionnaire=demo&version=1&separator=semicolon&bom=1&values=labels&language=en&decimal=comma',
        'coord',
      );
      expect(response.status, response.body).toBe(200);
      expect(response.body.startsWith('\uFEFF')).toBe(true);
      const layout = serverLayout([demo1]);
      const [header, ...rows] = parseCsv(response.body.slice(1), ';');
      expect(header).toEqual(exportHeader(layout));
      const v1 = lille.filter(
        (record) => record.status === 'completed' && record.questionnaireVersion === '1',
      );
      const options = serverOptions(lille);
      expect(rows).toEqual(
        expect.arrayContaining(
          v1.map((record) =>
            exportRow(layout, record, {
              ...options,
              values: 'labels',
              language: 'en',
              decimalComma: true,
            }),
          ),
        ),
      );
      expect(rows).toHaveLength(v1.length);
      expect(response.body).toContain('Yes');
    });

    it('exports every site the user may see', async () => {
      const all = await get('/api/v1/export/interviews.csv', 'admin');
      expect(all.status).toBe(200);
      const ids = (text: string) => {
        const [header, ...rows] = parseCsv(text, ',');
        const at = header?.indexOf('interview_id') ?? -1;
        return rows.map((row) => row[at]).sort();
      };
      const completed = (records: InterviewRecordWire[]) =>
        records.filter((record) => record.status === 'completed').map((record) => record.id);
      expect(ids(all.body)).toEqual([...completed(lille), ...completed(lyon)].sort());
      const mine = await get('/api/v1/export/interviews.csv', 'coord');
      expect(ids(mine.body)).toEqual(completed(lille).sort());
    });

    it('exports the screen-outs with their reason and quota categories', async () => {
      const response = await get('/api/v1/sites/lille/export/screen-outs.csv', 'coord');
      expect(response.status).toBe(200);
      const [header, ...rows] = parseCsv(response.body, ',');
      expect(header).toEqual(screenOutHeader(['age']));
      const screened = lille.filter((record) => record.status === 'screened_out');
      expect(rows.map((row) => row[0]).sort()).toEqual(screened.map((record) => record.id).sort());
      const reason = header?.indexOf('reason') ?? -1;
      expect(new Set(rows.map((row) => row[reason]))).toEqual(
        new Set(screened.map((record) => record.screenOutId)),
      );
      expect(rows.map((row) => row[reason])).toContain('no_consent');
      expect(rows.every((row) => row[header?.indexOf('reason_label') ?? -1] !== '')).toBe(true);
    });

    it('gives the codebook of the columns, in the language asked', async () => {
      const response = await get(
        '/api/v1/export/codebook.csv?questionnaire=demo&language=en',
        'analyst',
      );
      expect(response.status).toBe(200);
      const [header, ...rows] = parseCsv(response.body, ',');
      expect(header).toEqual([...CODEBOOK_HEADER]);
      const layout = serverLayout([demo1, demo2]);
      // The interviews' columns, then those proper to the break-offs' and paradata files; the
      // weight's note ends with the method of each site the analyst sees (lille only).
      const expected = [...codebookRows(layout, 'en'), ...fileColumnRows(layout, 'en')];
      const note = CODEBOOK_HEADER.indexOf('note');
      const weight = rows.findIndex((row) => row[0] === 'weight');
      expect(rows[weight]?.[note]).toMatch(
        /^each site raked .* \| lille: Weights: post-stratification on the quota plan's table age, to the shares of the plan's targets .*Converged in 1 iteration/,
      );
      expect(rows[weight]?.[note]).not.toContain('lyon');
      expect(rows.map((row, i) => (i === weight ? row.slice(0, note) : row))).toEqual(
        expected.map((row, i) => (i === weight ? row.slice(0, note) : row)),
      );
      expect(rows.map((row) => row[0])).toEqual([
        ...exportHeader(layout),
        ...BREAK_OFF_COLUMNS,
        'status',
        'item',
        'seconds',
        'languages',
      ]);
    });

    it("gives each site's margins: census, sample and weighted shares per quota cell", async () => {
      const response = await get('/api/v1/export/margins.csv?questionnaire=demo', 'admin');
      expect(response.status, response.body).toBe(200);
      expect(response.headers['content-disposition']).toBe(
        'attachment; filename="demo_all-sites_margins_2026-11-23.csv"',
      );
      const [header, ...rows] = parseCsv(response.body, ',');
      const at = (name: string) => header?.indexOf(name) ?? -1;
      expect(at('weighted_share')).toBeGreaterThan(-1);
      // Two sites, two cells each; the weighted shares are the plan's (half each).
      expect(rows.map((row) => `${row[at('site')]} ${row[at('cell')]}`).sort()).toEqual([
        'lille old',
        'lille young',
        'lyon old',
        'lyon young',
      ]);
      for (const row of rows) expect(Number(row[at('weighted_share')])).toBeCloseTo(0.5, 6);
      const mine = await get('/api/v1/sites/lille/export/margins.csv?questionnaire=demo', 'coord');
      expect(
        parseCsv(mine.body, ',')
          .slice(1)
          .map((row) => row[at('site')]),
      ).toEqual(['lille', 'lille']);
      expect((await get('/api/v1/sites/lille/export/margins.csv', 'coordlyon')).status).toBe(403);
    });

    it('gives the scripts that load the interviews of the same scope and day, labelled', async () => {
      for (const [extension, marker] of [
        ['R', 'haven'],
        ['do', 'import delimited'],
        ['sps', 'GET DATA'],
      ] as const) {
        const response = await get(
          `/api/v1/sites/lille/export/interviews.${extension}?questionnaire=demo&separator=semicolon&decimal=comma&bom=1`,
          'analyst',
        );
        expect(response.status, response.body).toBe(200);
        expect(response.headers['content-disposition']).toBe(
          `attachment; filename="demo_lille_interviews_2026-11-23.${extension}"`,
        );
        expect(response.body).toContain('demo_lille_interviews_2026-11-23.csv');
        expect(response.body).toContain(marker);
        // Every column of the CSV is named in the script, the quota category and weight included.
        for (const column of ['consent', 'quota_age', 'weight'])
          expect(response.body).toContain(column);
      }
      const labels = await get(
        '/api/v1/export/interviews.R?questionnaire=demo&values=labels',
        'admin',
      );
      expect(labels.status).toBe(400);
      expect(JSON.parse(labels.body).message).toContain('values');
      expect((await get('/api/v1/sites/lille/export/interviews.do', 'coordlyon')).status).toBe(403);
    });

    it('refuses devices, strangers, other sites and bad options, with a message', async () => {
      const url = '/api/v1/sites/lille/export/interviews.csv';
      expect((await get(url)).status).toBe(401);
      expect((await get(url, 'ses_wrong')).status).toBe(401);
      expect((await get(url, 'dev_wrong')).status).toBe(401);
      expect((await get(url, 'coordlyon')).status).toBe(403);
      expect((await get('/api/v1/sites/lille/export/screen-outs.csv', 'coordlyon')).status).toBe(
        403,
      );
      expect((await get('/api/v1/export/codebook.csv')).status).toBe(401);
      const bad = await get(`${url}?separator=tab`, 'coord');
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body)).toMatchObject({ error: 'bad_request' });
      expect(JSON.parse(bad.body).message).toContain('separator');
      expect((await get(`${url}?questionnaire=smpg`, 'coord')).status).toBe(404);
      expect((await get(`${url}?version=9`, 'coord')).status).toBe(404);
      expect((await get('/api/v1/sites/paris/export/interviews.csv', 'admin')).status).toBe(404);
      // Two questionnaires published: which one must be said.
      await publish(store, 'questionnaires/smpg/2026.1.json');
      const which = await get(url, 'coord');
      expect(which.status).toBe(400);
      expect(JSON.parse(which.body).message).toContain('demo, smpg');
      expect((await get(`${url}?questionnaire=demo`, 'coord')).status).toBe(200);
    });

    it('neutralises texts that start like a formula, in every file, unless formulas=raw', async () => {
      // A tablet enrols and uploads an interview whose free-text answer is a formula.
      const auth = (who: string) => ({ authorization: `Bearer ${tokens[who] ?? who}` });
      const code = await app.inject({
        method: 'POST',
        url: '/api/v1/sites/lille/enrolment-codes',
        headers: auth('coord'),
      });
      expect(code.statusCode, code.body).toBe(200);
      const enrol = await app.inject({
        method: 'POST',
        url: '/api/v1/devices/enrol',
        payload: { code: (code.json() as { code: string }).code, label: 'T9' },
      });
      expect(enrol.statusCode, enrol.body).toBe(200);
      const device = enrol.json() as { token: string; deviceId: string };
      const attack = '=HYPERLINK("http://x","y")';
      const { record } = makeRecord(demo2, { ...DEMO_CALM, wish: attack }, 'skip', {
        id: seededUuid(seededRandom(900)),
        site: 'lille',
        deviceId: device.deviceId,
        interviewer: 'ENQ-09',
        pickupPoint: 'Marché de Wazemmes',
        quotaCategories: { age: 'young' },
        startedAt: '2026-11-23T09:00:00.000Z',
        endedAt: '2026-11-23T09:40:00.000Z',
      });
      const upload = await app.inject({
        method: 'POST',
        url: '/api/v1/records',
        headers: auth(device.token),
        payload: { records: [record], pending: 0 },
      });
      expect(upload.statusCode, upload.body).toBe(200);
      expect(upload.json()).toEqual({ results: [{ id: record.id, status: 'accepted' }] });

      const wishOf = (text: string, delimiter: ',' | ';') => {
        const [header, ...rows] = parseCsv(text, delimiter);
        const row = rows.find(
          (cells) => cells[header?.indexOf('interview_id') ?? -1] === record.id,
        );
        return row?.[header?.indexOf('wish') ?? -1];
      };
      const url = '/api/v1/sites/lille/export/interviews.csv?questionnaire=demo';
      const escaped = await get(url, 'analyst');
      expect(escaped.status, escaped.body).toBe(200);
      expect(wishOf(escaped.body, ',')).toBe(`'${attack}`);
      // Quoted for its comma and quotes, the `'` inside the quotes: no cell starts with `=`.
      expect(escaped.body).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
      expect(escaped.body).not.toMatch(/(^|[,\n])"?=/);
      const french = await get(`${url}&separator=semicolon&decimal=comma&values=labels`, 'coord');
      expect(wishOf(french.body, ';')).toBe(`'${attack}`);
      const raw = await get(`${url}&formulas=raw`, 'analyst');
      expect(raw.status, raw.body).toBe(200);
      expect(wishOf(raw.body, ',')).toBe(attack);
      const all = await get('/api/v1/export/interviews.csv?questionnaire=demo', 'admin');
      expect(wishOf(all.body, ',')).toBe(`'${attack}`);
      expect((await get(`${url}&formulas=maybe`, 'analyst')).status).toBe(400);

      // A screen-out whose typed pick-up point and interviewer code start like formulas (stored
      // as it came, whatever checks the upload makes).
      const screened = {
        ...lille.find((candidate) => candidate.status === 'screened_out'),
        id: seededUuid(seededRandom(901)),
        pickupPoint: '-Gare',
        interviewer: '-ENQ',
      } as InterviewRecordWire;
      await store.putRecords([toStoredRecord(screened, 'tablet', AT)]);
      const outs = `/api/v1/sites/lille/export/screen-outs.csv?questionnaire=demo`;
      const cellsOf = async (query: string) => {
        const response = await get(`${outs}${query}`, 'coord');
        expect(response.status, response.body).toBe(200);
        const [header, ...rows] = parseCsv(response.body, ',');
        const row = rows.find((cells) => cells[0] === screened.id) ?? [];
        return [
          row[header?.indexOf('pickup_point') ?? -1],
          row[header?.indexOf('interviewer') ?? -1],
        ];
      };
      expect(await cellsOf('')).toEqual(["'-Gare", "'-ENQ"]);
      expect(await cellsOf('&formulas=raw')).toEqual(['-Gare', '-ENQ']);

      // The codebook: the text columns' codes ("-8 = ...") and notes; raw on request.
      const book = await get('/api/v1/export/codebook.csv?questionnaire=demo', 'analyst');
      const [header, ...rows] = parseCsv(book.body, ',');
      expect(header).toEqual([...CODEBOOK_HEADER]);
      const wish = rows.find((row) => row[0] === 'wish') ?? [];
      expect(wish[CODEBOOK_HEADER.indexOf('codes')]).toMatch(/^'-8 = /);
      expect(wish[CODEBOOK_HEADER.indexOf('note')]).toContain("précédé de '");
      expect(rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
      const rawBook = await get(
        '/api/v1/export/codebook.csv?questionnaire=demo&formulas=raw',
        'analyst',
      );
      const [, ...rawRows] = parseCsv(rawBook.body, ',');
      expect(rawRows.find((row) => row[0] === 'wish')?.[CODEBOOK_HEADER.indexOf('codes')]).toMatch(
        /^-8 = /,
      );
    });
  });
}

for (const { name, open } of STORE_BACKENDS) describeExport(name, open);

describe('a large site, streamed', () => {
  const SITE_SIZE = 20_000;
  // The server runs in its own process with its JavaScript heap capped: V8 must collect garbage
  // rather than grow, and an export that held the site in memory would die of it. Measured here
  // (2 cores, Node 20): 20,000 SMPG interviews (24 MB of CSV) export under a 48 MB cap; at 40 MB
  // the server dies mid-export, at 32 MB before answering (its code, the compiled questionnaire
  // and a page of records need that much). The site's record bodies alone are ~86 MB. The bound:
  // 64 MB of heap.
  const HEAP_MB = 64;
  let dir: string;
  let file: string;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smpg-export-large-'));
    file = join(dir, 'smpg.sqlite');
    const store = new SqliteStore(file);
    await store.migrate();
    await store.createSite({
      id: 'lille',
      name: 'Lille',
      plan: null,
      shortInterviewSeconds: 600,
      createdAt: AT,
    });
    await publish(store, 'questionnaires/smpg/2026.1.json');
    await createUser(
      store,
      'analyst',
      'pw-analyst',
      { admin: false, grants: [{ site: 'lille', role: 'analyst' }] },
      AT,
    );
    // 200 distinct random SMPG respondents, each stored 100 times under new ids.
    const smpg = load(JSON.parse(readText('questionnaires/smpg/2026.1.json')));
    const eligible = { elig_adult: '1', elig_zone: '1', elig_first: '1', elig_consent: '1' };
    const models = Array.from(
      { length: 200 },
      (_, i) =>
        makeRecord(smpg, eligible, randomPolicy(smpg, seededRandom(i)), {
          id: seededUuid(() => 0.5),
        }).record,
    );
    const random = seededRandom(99);
    for (let start = 0; start < SITE_SIZE; start += 1000) {
      const batch = Array.from({ length: 1000 }, (_, i) => {
        const model = models[(start + i) % models.length] as InterviewRecordWire;
        return toStoredRecord({ ...model, id: seededUuid(random) }, 'tablet', AT);
      });
      await store.putRecords(batch);
    }
    await store.close();
  }, 300_000);

  afterAll(() => {
    server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`streams ${SITE_SIZE} interviews from a server whose heap is capped at ${HEAP_MB} MB`, async () => {
    const child = spawn(
      process.execPath,
      [
        `--max-old-space-size=${HEAP_MB}`,
        '--import',
        'tsx',
        'tests/helpers/export-server.ts',
        file,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server = child;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
      child.once('exit', (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'analyst', password: 'pw-analyst' }),
    });
    const { token } = (await login.json()) as { token: string };
    const response = await fetch(`${base}/api/v1/sites/lille/export/interviews.csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    let bytes = 0;
    let lines = 0;
    let previous = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      // Rows end with CRLF (texts hold bare LFs only); a CRLF may straddle two chunks.
      for (const byte of chunk) {
        if (byte === 10 && previous === 13) lines++;
        previous = byte;
      }
    }
    const peak = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    console.log(
      `export of ${SITE_SIZE} interviews: ${(bytes / 1e6).toFixed(1)} MB of CSV from a server with a ${HEAP_MB} MB heap, peak resident ${Math.round(Number(peak?.[1] ?? 0) / 1024)} MB (${EXPORT_PAGE} records a page)`,
    );
    expect(child.exitCode, stderr).toBeNull();
    expect(lines).toBe(SITE_SIZE + 1);
    expect(bytes).toBeGreaterThan(HEAP_MB * 1e5);
  }, 300_000);
});
