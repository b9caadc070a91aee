// Figure 6, the tablet half: the export of 10,000 generated SMPG interviews on the device, in the
// built app in Chromium, as the interviewer does it. The interviews are written first (untimed)
// into the app's own IndexedDB in the shape its Dexie schema stores them (src/app/storage), as this
// tablet's; then, on the export screen, each run clicks "Entretiens complets (CSV)" and then
// "Dictionnaire des variables (CSV)" and is timed in the page from each click to its download
// being offered, while a PerformanceObserver records the main thread's long tasks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Download, Page } from 'playwright-core';
import { CODEBOOK_HEADER, exportHeader, exportLayout } from '../../src/core/export/index.ts';
import type { InterviewRecordWire } from '../../src/core/protocol/index.ts';
import type { Answer } from '../../src/core/questionnaire/index.ts';
import { loadQuestionnaire } from '../../src/core/questionnaire/index.ts';
import type { AnonymisedAnswers } from '../../src/core/record/index.ts';
import { anonymiseAnswers, endDayClock } from '../../src/core/record/index.ts';
import { QUOTA_FULL_SCREEN_OUT } from '../../src/core/quota/index.ts';
import { countText } from '../../src/app/components/plurals.ts';
import { HOME_TEXT } from '../../src/app/home-text.ts';
import type {
  AnonymisedAnswersRecord,
  FinishedAnswersRecord,
} from '../../src/app/storage/index.ts';
import { firstRun, waitForServiceWorkerControl } from '../../tests/e2e/harness.ts';
import type { BenchContext, Row } from '../lib/figure.ts';
import { launchChromium, serveFolder, tempFolder } from '../lib/browser.ts';

/** Interviews on the tablet, as issue #8 sets them. */
export const TABLET_INTERVIEWS = 10_000;
/** Runs of the export; each reads some 880,000 answers, tens of seconds on two busy cores. */
const RUNS = 3;
/** Interviews written per IndexedDB transaction while filling the tablet. */
const SEED_CHUNK = 500;
const WORDS = HOME_TEXT.fr;
/** Where the tablet's interviews are said to have taken place (the tablet has no server list). */
const PICKUP_POINT = 'Place de la République';

/** What the page needs to make one interview of the tablet from a generated record. */
interface SeedInterview {
  readonly id: string;
  /** Index of the respondent of the pool whose answers it has. */
  readonly respondent: number;
  readonly status: 'completed' | 'screened_out';
  readonly screenOutId: string | undefined;
  readonly language: string;
  readonly appVersion: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly alerts: readonly string[];
  readonly quotaCategories: Readonly<Record<string, string>>;
  /** Its answers anonymised, as the app's end of an interview keeps them (WriteOptions.seal). */
  readonly anonymised: AnonymisedAnswers;
}

interface Tablet {
  readonly site: string;
  readonly interviewer: string;
  readonly deviceId: string;
  readonly versions: readonly string[];
}

/** In the page: the device's settings and the SMPG versions installed, read from IndexedDB. */
async function readTablet(questionnaireId: string): Promise<Tablet> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('smpg-collect');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('indexedDB.open failed'));
  });
  const read = <T>(store: string, query?: IDBValidKey | IDBKeyRange) =>
    new Promise<T>((resolve, reject) => {
      const request =
        query === undefined
          ? db.transaction(store).objectStore(store).getAll()
          : db.transaction(store).objectStore(store).get(query);
      request.onsuccess = () => resolve(request.result as T);
      request.onerror = () => reject(request.error ?? new Error(`${store}: read failed`));
    });
  const settings = await read<{ site: string; interviewer: string; deviceId: string } | undefined>(
    'settings',
    'device',
  );
  const installed = await read<{ questionnaireId: string; version: string }[]>('questionnaires');
  db.close();
  if (settings === undefined) throw new Error('the tablet has no settings');
  return {
    site: settings.site,
    interviewer: settings.interviewer,
    deviceId: settings.deviceId,
    versions: installed
      .filter((entry) => entry.questionnaireId === questionnaireId)
      .map((entry) => entry.version),
  };
}

interface SeedArgs {
  readonly pool?: readonly (readonly [string, Answer])[][];
  readonly interviews: readonly SeedInterview[];
  readonly tablet: { readonly questionnaireId: string; readonly version: string } & Tablet;
  readonly pickupPoint: string;
  readonly quotaFull: string;
}

/**
 * In the page: writes interviews and their answers into the app's database, one transaction,
 * as the app's Dexie tables hold them (interviews keyed by `id`, answers by
 * `[interviewId, itemId]`, and the answers of each finished interview in one row keyed by
 * `interviewId`, item ids in key order, and the same answers anonymised in `anonymisedAnswers`,
 * as the write that ends an interview in the app makes them).
 * The pool's answers come once, with the first call.
 */
async function seed(args: SeedArgs): Promise<number> {
  const holder = window as unknown as {
    benchPool?: SeedArgs['pool'];
    /** Each respondent's answers in key order (IndexedDB sorts string keys by code unit). */
    benchSorted?: { readonly itemIds: string[]; readonly values: Answer[] }[];
  };
  if (args.pool !== undefined) {
    holder.benchPool = args.pool;
    holder.benchSorted = args.pool.map((given) => {
      const sorted = [...given].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return { itemIds: sorted.map(([id]) => id), values: sorted.map(([, value]) => value) };
    });
  }
  const pool = holder.benchPool;
  const sortedPool = holder.benchSorted;
  if (pool === undefined || sortedPool === undefined) throw new Error('no respondent pool');
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('smpg-collect');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('indexedDB.open failed'));
  });
  const { tablet } = args;
  let answers = 0;
  await new Promise<void>((resolve, reject) => {
    const stores = ['interviews', 'answers', 'finishedAnswers', 'anonymisedAnswers'];
    const transaction = db.transaction(stores, 'readwrite', {
      durability: 'relaxed',
    });
    const interviews = transaction.objectStore('interviews');
    const answerStore = transaction.objectStore('answers');
    const finishedStore = transaction.objectStore('finishedAnswers');
    const anonymisedStore = transaction.objectStore('anonymisedAnswers');
    for (const interview of args.interviews) {
      const given = pool[interview.respondent];
      const sorted = sortedPool[interview.respondent];
      if (given === undefined || sorted === undefined)
        throw new Error(`no respondent ${interview.respondent}`);
      const categories = interview.quotaCategories;
      interviews.put({
        id: interview.id,
        questionnaireId: tablet.questionnaireId,
        questionnaireVersion: tablet.version,
        site: tablet.site,
        interviewer: tablet.interviewer,
        deviceId: tablet.deviceId,
        pickupPoint: args.pickupPoint,
        status: interview.status,
        practice: false,
        position: interview.status === 'completed' ? 'review' : (given.at(-1)?.[0] ?? null),
        language: interview.language,
        appVersion: interview.appVersion,
        startedAt: interview.startedAt,
        updatedAt: interview.endedAt,
        endedAt: interview.endedAt,
        ...(interview.screenOutId === undefined ? {} : { screenOutId: interview.screenOutId }),
        alerts: interview.alerts.map((id) => ({ id, at: interview.startedAt })),
        ...(Object.keys(categories).length === 0
          ? {}
          : {
              quota: {
                categories,
                status: interview.screenOutId === args.quotaFull ? 'full' : 'accepted',
                at: interview.startedAt,
              },
            }),
      });
      for (const [itemId, value] of given) {
        answerStore.put({
          interviewId: interview.id,
          itemId,
          value,
          answeredAt: interview.startedAt,
        });
        answers++;
      }
      // Every interview here is completed or screened out.
      finishedStore.put({
        interviewId: interview.id,
        itemIds: sorted.itemIds,
        values: sorted.values,
      } satisfies FinishedAnswersRecord);
      anonymisedStore.put({
        ...interview.anonymised,
        interviewId: interview.id,
      } satisfies AnonymisedAnswersRecord);
    }
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('seeding failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('seeding aborted'));
  });
  db.close();
  return answers;
}

/** In the page: starts listening for the clicks, the downloads offered and the long tasks. */
function watchExports(): void {
  const probe: Watched = { clicks: [], downloads: [], longTasks: [] };
  (window as unknown as { benchExport: typeof probe }).benchExport = probe;
  document.addEventListener(
    'click',
    (event) => {
      const target = event.target;
      if (target instanceof HTMLAnchorElement && target.download !== '')
        probe.downloads.push({ name: target.download, at: performance.now() });
      else if (target instanceof HTMLButtonElement)
        probe.clicks.push({ label: target.textContent, at: event.timeStamp });
    },
    true,
  );
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      probe.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/** What watchExports keeps in the page (the clicks and downloads of one run, every long task). */
interface Watched {
  readonly clicks: { label: string; at: number }[];
  readonly downloads: { name: string; at: number }[];
  readonly longTasks: { start: number; duration: number }[];
}

/** Clicks an export button as the interviewer does; returns the file offered. */
async function exportFile(page: Page, button: string): Promise<Download> {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 300_000 }),
    page.getByRole('button', { name: button }).click(),
  ]);
  return download;
}

/** Checks the interviews file: French Excel's BOM and ";", the header, one row per completed. */
function checkInterviews(text: string, header: readonly string[], ids: ReadonlySet<string>): void {
  if (!text.startsWith(`\uFEFF${header.join(';')}\r\n`))
    throw new Error(`the interviews file does not start with the header: ${text.slice(0, 80)}`);
  const parsed = Papa.parse<string[]>(text.slice(1), { delimiter: ';', skipEmptyLines: true });
  if (parsed.errors.length > 0)
    throw new Error(`the interviews file does not parse: ${parsed.errors[0]?.message ?? ''}`);
  const rows = parsed.data.slice(1);
  const column = header.indexOf('interview_id');
  const exported = new Set(rows.map((row) => row[column] ?? ''));
  if (
    rows.length !== ids.size ||
    exported.size !== ids.size ||
    [...ids].some((id) => !exported.has(id))
  )
    throw new Error(`the interviews file has ${rows.length} rows, not the ${ids.size} completed`);
}

/** Checks the codebook: its header, then one variable a row, those of the interviews file. */
function checkCodebook(text: string, header: readonly string[]): void {
  const parsed = Papa.parse<string[]>(text.slice(1), { delimiter: ';', skipEmptyLines: true });
  const [first, ...rows] = parsed.data;
  if (first?.join(';') !== CODEBOOK_HEADER.join(';'))
    throw new Error(`the codebook's header is ${first?.join(';') ?? 'missing'}`);
  if (rows.map((row) => row[0]).join(';') !== header.join(';'))
    throw new Error('the codebook does not list the interviews file’s variables');
}

/** The tablet half's rows (figure 6). */
export async function tabletExport(context: BenchContext): Promise<Row[]> {
  const dist = await context.builtApp();
  const site = await context.siteRecords();
  const definition = site.questionnaire.definition;
  const records: readonly InterviewRecordWire[] = site.records.slice(0, TABLET_INTERVIEWS);
  // Every record shares its answers object with the respondent of the pool it was made from.
  const respondentOf = new Map(site.pool.map((respondent, i) => [respondent.record.answers, i]));
  // What the app's end of each interview keeps: its answers anonymised with its end's day.
  const anonymised = new Map<string, AnonymisedAnswers>();
  const anonymisedOf = (respondent: number, endedAt: string): AnonymisedAnswers => {
    const key = `${respondent} ${endedAt.slice(0, 10)}`;
    let made = anonymised.get(key);
    if (made === undefined) {
      const given = site.pool[respondent]?.answers ?? new Map<string, Answer>();
      made = anonymiseAnswers(site.questionnaire, given, endDayClock(endedAt));
      anonymised.set(key, made);
    }
    return made;
  };
  const interviews = records.map((record): SeedInterview => {
    const respondent = respondentOf.get(record.answers);
    if (respondent === undefined) throw new Error(`record ${record.id}: respondent not found`);
    if (record.status === 'broken_off') throw new Error(`record ${record.id}: broken off`);
    return {
      anonymised: anonymisedOf(respondent, record.endedAt),
      id: record.id,
      respondent,
      status: record.status,
      screenOutId: record.screenOutId,
      language: record.language,
      appVersion: record.appVersion,
      startedAt: record.startedAt,
      endedAt: record.endedAt,
      alerts: record.alerts,
      quotaCategories: record.quotaCategories,
    };
  });
  const completedIds = new Set(
    records.filter((record) => record.status === 'completed').map((record) => record.id),
  );

  const served = await serveFolder(dist);
  const profile = tempFolder('smpg-bench-f6-');
  const browser = await launchChromium(profile.path);
  const exportMs: number[] = [];
  const interviewsMs: number[] = [];
  const codebookMs: number[] = [];
  const longestTask: number[] = [];
  const longTaskCounts: number[] = [];
  let answers = 0;
  let megabytes = 0;
  try {
    const { page, context: browserContext } = browser;
    await page.goto(served.url);
    await firstRun(page);
    await waitForServiceWorkerControl(page);
    const tablet = await page.evaluate(readTablet, definition.id);
    if (!tablet.versions.includes(definition.version))
      throw new Error(`${definition.id} ${definition.version} is not installed on the tablet`);
    // The tablet's file has the columns of every version of the questionnaire it has installed
    // (the app ships them all), in the order its database lists them.
    const header = exportHeader(
      exportLayout(
        tablet.versions.map((version) => {
          if (version === definition.version) return site.questionnaire;
          const file = join(context.root, 'questionnaires', definition.id, `${version}.json`);
          const loaded = loadQuestionnaire(JSON.parse(readFileSync(file, 'utf8')) as unknown);
          if (loaded.status === 'failure') throw new Error(`${file} does not load`);
          return loaded.questionnaire;
        }),
      ),
    );

    context.log(
      `figure 6: writing ${TABLET_INTERVIEWS.toLocaleString('en-GB')} interviews into the tablet’s IndexedDB`,
    );
    const seeding = performance.now();
    const pool = site.pool.map((respondent) => [...respondent.answers]);
    for (let from = 0; from < interviews.length; from += SEED_CHUNK) {
      answers += await page.evaluate(seed, {
        ...(from === 0 ? { pool } : {}),
        interviews: interviews.slice(from, from + SEED_CHUNK),
        tablet: { ...tablet, questionnaireId: definition.id, version: definition.version },
        pickupPoint: PICKUP_POINT,
        quotaFull: QUOTA_FULL_SCREEN_OUT,
      });
    }
    context.log(
      `figure 6: ${answers.toLocaleString('en-GB')} answers written in ${((performance.now() - seeding) / 1000).toFixed(0)} s`,
    );

    // The interviewer's way in: offline, home, "Exporter les données de la tablette".
    await browserContext.setOffline(true);
    await page.reload();
    await page.getByRole('button', { name: WORDS.exportData }).click();
    await page.getByRole('heading', { level: 1, name: WORDS.exportTitle }).waitFor();
    await page.getByLabel(WORDS.exportQuestionnaire).selectOption(definition.id);
    await page
      .getByTestId('export-counts')
      .filter({ hasText: countText(WORDS.exportCompleted, completedIds.size, 'fr') })
      .waitFor({ timeout: 60_000 });
    await page.evaluate(watchExports);

    for (let run = 0; run < RUNS; run++) {
      context.log(`figure 6: tablet export, run ${run + 1} of ${RUNS}`);
      await page.evaluate(() => {
        const probe = (window as unknown as { benchExport: Watched }).benchExport;
        probe.clicks.length = 0;
        probe.downloads.length = 0;
      });
      const csv = await exportFile(page, WORDS.exportInterviews);
      const book = await exportFile(page, WORDS.exportCodebook);
      const watched = await page.evaluate(
        () => (window as unknown as { benchExport: Watched }).benchExport,
      );
      const [csvClick, bookClick] = watched.clicks;
      const [csvOffered, bookOffered] = watched.downloads;
      if (
        csvClick === undefined ||
        bookClick === undefined ||
        csvOffered === undefined ||
        bookOffered === undefined ||
        watched.clicks.length !== 2 ||
        watched.downloads.length !== 2
      )
        throw new Error(`unexpected clicks or downloads: ${JSON.stringify(watched)}`);
      interviewsMs.push(csvOffered.at - csvClick.at);
      codebookMs.push(bookOffered.at - bookClick.at);
      exportMs.push(csvOffered.at - csvClick.at + (bookOffered.at - bookClick.at));
      // Long tasks that ran, even in part, while either file was being made.
      const during = watched.longTasks.filter(
        (task) =>
          (task.start < csvOffered.at && task.start + task.duration > csvClick.at) ||
          (task.start < bookOffered.at && task.start + task.duration > bookClick.at),
      );
      longestTask.push(Math.max(0, ...during.map((task) => task.duration)));
      longTaskCounts.push(during.length);

      const text = readFileSync(await csv.path(), 'utf8');
      megabytes = Buffer.byteLength(text) / 1e6;
      checkInterviews(text, header, completedIds);
      checkCodebook(readFileSync(await book.path(), 'utf8'), header);
    }
  } finally {
    await browser.close();
    await served.close();
    profile.remove();
  }

  const count = TABLET_INTERVIEWS.toLocaleString('en-GB');
  return [
    {
      figure: 6,
      measure: `tablet: export of ${count} interviews, worker, Chromium`,
      unit: 'ms',
      runs: exportMs,
      target: { op: '<=', value: 2000 },
      note:
        `the built app in Chromium, offline, ${count} generated interviews (${completedIds.size.toLocaleString('en-GB')} completed, ` +
        `${answers.toLocaleString('en-GB')} answers) written beforehand into its IndexedDB as its own; on the export screen ` +
        `(French Excel format, codes), a click on the interviews CSV then on the codebook, each timed in the page from the ` +
        `button's click event to the download link clicked (the Blob made in the worker, saveBlob); the sum of the two; ` +
        `${megabytes.toFixed(1)} MB of CSV, its header, rows and interview ids checked each run`,
    },
    {
      figure: 6,
      measure: 'tablet: longest main-thread task during the export',
      unit: 'ms',
      runs: longestTask,
      target: { op: '<=', value: 100 },
      note:
        'PerformanceObserver "longtask" (buffered) in the page, tasks overlapping either export; ' +
        'Chromium reports tasks of 50 ms and more, so 0 means none reached 50 ms; long tasks per run: ' +
        longTaskCounts.join(', '),
    },
    { figure: 6, measure: 'tablet: interviews CSV alone', unit: 'ms', runs: interviewsMs },
    { figure: 6, measure: 'tablet: codebook alone', unit: 'ms', runs: codebookMs },
  ];
}
