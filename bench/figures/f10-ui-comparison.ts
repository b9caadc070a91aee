// Figure 10: our interface against ODK Web Forms' own (@getodk/web-forms 0.22.0) on figure 2's
// generated questionnaire (ours as JSON in the built app, theirs as the equivalent XForm in a
// bench page), in the same Chromium: from navigation start to the first question painted, and
// to the 100th answer painted (the first questions the walk reaches, answered through each
// interface), each run on a freshly launched browser, the two sides in turn.
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { firstRun, startInterview, waitForServiceWorkerControl } from '../../tests/e2e/harness.ts';
import { timeAnswering, timeReady } from '../engine-timing.ts';
import type { BenchContext, Figure, Row } from '../lib/figure.ts';
import type { Served } from '../lib/browser.ts';
import { launchChromium, serveFolder, tempFolder } from '../lib/browser.ts';
import { FIGURE_QUESTIONNAIRE, syntheticQuestionnaire } from '../synthetic-questionnaire.ts';

const RUNS = 3;
const TARGET = { op: '>=', value: 10 } as const;
/** The synthetic questionnaire's id and version, as the app installs it. */
const ID = 'synthetic';
const VERSION = '1';
/**
 * The answers given in each run: the first questions the walk reaches. All of them (462) take
 * ODK's interface about a minute per run on this machine, three runs more than the figure's share
 * of the bench's time (docs/performance.md has that full walk, measured once).
 */
const ANSWERS = 100;
/** A run that has not ended by then is stuck. */
const RUN_TIMEOUT_MS = 120_000;

type Side = 'ours' | 'odk';

interface DriveArgs {
  readonly side: Side;
  /** The answer each answerable item gets when it is reached (`'1'`/`'2'` or digits to type). */
  readonly answers: Readonly<Record<string, string>>;
  /** Answers to give, in the walk's order; 0: none, the first question painted is the end. */
  readonly limit: number;
}

/** What a run leaves in `window.benchUi`, times from navigation start. */
interface UiRun {
  readonly firstPainted: number;
  /** Ours: when the lock screen was shown, and when it had gone (the PIN accepted); else NaN. */
  readonly lockShown: number;
  readonly unlocked: number;
  /** The frame after the last answer's effect is on screen. */
  readonly endPainted: number;
  /** The items answered, in order. */
  readonly answered: readonly string[];
  readonly error?: string;
}

/**
 * Init script, in the measured page: waits for the first question (ours: its section; ODK: its
 * first question's container with its control), notes the frame that paints it, then answers
 * every question the walk reaches with DOM events dispatched in the page (a click on the
 * choice's radio button; a typed number as the events the control listens to, one per digit:
 * `input` events for our <input>, `keypress` for ODK's PrimeVue InputNumber, which inserts the
 * digit itself), moving on as each interface offers (ours: "Suivant", then the next question in
 * the DOM; ODK: one task for Vue to update the page, then the next question container in the
 * document), until `limit` answers are given, and notes the frame that paints the last one's
 * effect (ours: the next question; ODK: the page updated below the answer).
 */
function watchAndDrive(args: DriveArgs): void {
  const painted = () =>
    new Promise<number>((resolve) =>
      requestAnimationFrame(() => {
        // A task queued from the frame callback runs once that frame has been rendered.
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(null);
      }),
    );
  const task = () =>
    new Promise<void>((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(null);
    });
  const waitFor = <T>(check: () => T | undefined, what: string) =>
    new Promise<T>((resolve, reject) => {
      const now = check();
      if (now !== undefined) return resolve(now);
      const observer = new MutationObserver(() => {
        const value = check();
        if (value === undefined) return;
        observer.disconnect();
        clearTimeout(timer);
        resolve(value);
      });
      const timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error(`timed out waiting for ${what}`));
      }, 20_000);
      observer.observe(document, { childList: true, subtree: true, attributes: true });
    });
  const setValue = (input: HTMLInputElement, value: string) =>
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, value);

  const ours = async (answered: string[]) => {
    const next = () => {
      const button = document.querySelector<HTMLElement>('nav.interview-nav button.primary');
      if (button === null) throw new Error('no "Suivant" button');
      button.click();
    };
    for (;;) {
      if (document.querySelector('[role="alertdialog"]') !== null) throw new Error('an alert');
      const section = document.querySelector('section[data-item-id]');
      if (section === null) break;
      const id = section.getAttribute('data-item-id') ?? '';
      const value = args.answers[id];
      if (value !== undefined) {
        const radio = section.querySelector<HTMLInputElement>(
          `input[type="radio"][name="${id}"][value="${value}"]`,
        );
        if (radio !== null) radio.click();
        else {
          const input = document.getElementById(`input-${id}`);
          if (!(input instanceof HTMLInputElement)) throw new Error(`"${id}": no input`);
          for (let n = 1; n <= value.length; n++) {
            setValue(input, value.slice(0, n));
            input.dispatchEvent(new Event('input', { bubbles: true }));
          }
        }
        answered.push(id);
      }
      next();
      await waitFor(() => {
        const shown = document.querySelector('section[data-item-id]');
        if (shown === null)
          return document.getElementById('review-title') === null ? undefined : true;
        return shown.getAttribute('data-item-id') === id ? undefined : true;
      }, `the screen after "${id}"`);
      if (answered.length >= args.limit) return;
    }
  };

  const odk = async (answered: string[]) => {
    const idOf = (container: Element) =>
      /^(?:Question|How many) (\w+)\?/.exec(
        container.querySelector('label')?.textContent ?? '',
      )?.[1];
    const isQuestion = (node: Node): node is Element =>
      node instanceof Element && node.classList.contains('question-container');
    /** The question container after `from` in the document (the first one from null). */
    const after = (from: Element | null): Element | undefined => {
      if (from === null) return document.querySelector('.question-container') ?? undefined;
      // The first node past the container and its descendants, then on in document order.
      let node: Node | null = from;
      while (node !== null && node.nextSibling === null) node = node.parentNode;
      if (node?.nextSibling == null) return undefined;
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
      walker.currentNode = node.nextSibling;
      for (let at: Node | null = walker.currentNode; at !== null; at = walker.nextNode())
        if (isQuestion(at)) return at;
      return undefined;
    };
    let current: Element | undefined;
    for (;;) {
      // Vue updates the page in a microtask after the engine's change: relevance shows or hides
      // the questions below.
      await task();
      current = after(current ?? null);
      if (current === undefined) break;
      const id = idOf(current);
      if (id === undefined) throw new Error('a question without a known label');
      const value = args.answers[id];
      if (value === undefined) continue;
      const radio = current.querySelector<HTMLInputElement>(
        `input[type="radio"][value="${value}"]`,
      );
      if (radio !== null) radio.click();
      else {
        const input = current.querySelector<HTMLInputElement>('input[role="spinbutton"]');
        if (input === null) throw new Error(`"${id}": no input`);
        for (const key of value)
          input.dispatchEvent(
            new KeyboardEvent('keypress', { key, bubbles: true, cancelable: true }),
          );
      }
      answered.push(id);
      if (answered.length >= args.limit) return task();
    }
  };

  const firstSelector =
    args.side === 'ours' ? 'section[data-item-id]' : '.question-container input';
  let lockShown = Number.NaN;
  let unlocked = Number.NaN;
  const observer = new MutationObserver(() => {
    const locked = document.querySelector('main[data-lock]') !== null;
    if (locked && Number.isNaN(lockShown)) lockShown = performance.now();
    if (!locked && !Number.isNaN(lockShown) && Number.isNaN(unlocked)) unlocked = performance.now();
    if (document.querySelector(firstSelector) === null) return;
    observer.disconnect();
    const answered: string[] = [];
    const result = window as unknown as { benchUi?: UiRun };
    void (async () => {
      let firstPainted = Number.NaN;
      try {
        firstPainted = await painted();
        if (args.limit > 0) await (args.side === 'ours' ? ours(answered) : odk(answered));
        const endPainted = args.limit > 0 ? await painted() : firstPainted;
        result.benchUi = { firstPainted, lockShown, unlocked, endPainted, answered };
      } catch (error) {
        result.benchUi = {
          firstPainted,
          lockShown,
          unlocked,
          endPainted: Number.NaN,
          answered,
          error: error instanceof Error ? error.message : String(error),
        };
      }
    })();
  });
  observer.observe(document, { childList: true, subtree: true });
}

/** One run in a browser launched on `profile`: opens `url`, waits for the walk to end. */
async function measureRun(profile: string, url: string, args: DriveArgs): Promise<UiRun> {
  const browser = await launchChromium(profile);
  try {
    await browser.context.addInitScript(watchAndDrive, args);
    await browser.page.goto(url, { waitUntil: 'commit' });
    const handle = await browser.page.waitForFunction(
      () => (window as unknown as { benchUi?: UiRun }).benchUi,
      undefined,
      { timeout: RUN_TIMEOUT_MS, polling: 500 },
    );
    const run = (await handle.jsonValue()) as UiRun;
    if (run.error !== undefined)
      throw new Error(`${args.side}: ${run.error} after ${run.answered.length} answers`);
    return run;
  } finally {
    await browser.close();
  }
}

/**
 * The built app with the synthetic questionnaire shipped beside its own: a folder of links to
 * dist/'s files, and a catalogue (questionnaires/index.json) that lists it too.
 */
function appWithSynthetic(
  dist: string,
  definitionText: string,
): { path: string; remove: () => void } {
  const folder = tempFolder('smpg-bench-f10-app-');
  for (const entry of readdirSync(dist))
    if (entry !== 'questionnaires') symlinkSync(join(dist, entry), join(folder.path, entry));
  const shipped = join(dist, 'questionnaires');
  const questionnaires = join(folder.path, 'questionnaires');
  mkdirSync(join(questionnaires, ID), { recursive: true });
  for (const entry of readdirSync(shipped))
    if (!entry.startsWith('index.json'))
      symlinkSync(join(shipped, entry), join(questionnaires, entry));
  const catalogue = JSON.parse(readFileSync(join(shipped, 'index.json'), 'utf8')) as unknown[];
  const file = `questionnaires/${ID}/${VERSION}.json`;
  writeFileSync(
    join(questionnaires, 'index.json'),
    JSON.stringify([...catalogue, { id: ID, version: VERSION, file, labelPacks: [] }]),
  );
  writeFileSync(join(folder.path, file), definitionText);
  return folder;
}

/** Bundles ODK's page (bench/browser/odk-web-forms.html) with Vite, the XForm beside it. */
async function buildOdkPage(
  root: string,
  xform: string,
): Promise<{ path: string; remove: () => void }> {
  const out = tempFolder('smpg-bench-f10-odk-');
  const pageRoot = join(root, 'bench', 'browser');
  await build({
    configFile: false,
    root: pageRoot,
    // ODK's package warns about its own eval and size; nothing of ours.
    logLevel: 'error',
    // Vue's compile-time flags, as @vitejs/plugin-vue would set them (PrimeVue uses the Options API).
    define: {
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
    build: {
      outDir: out.path,
      emptyOutDir: true,
      target: 'es2022',
      reportCompressedSize: false,
      rolldownOptions: { input: join(pageRoot, 'odk-web-forms.html') },
    },
  });
  writeFileSync(join(out.path, 'synthetic.xml'), xform);
  return out;
}

/**
 * Ours: a fresh profile set up (the tablet, the questionnaire installed, a new interview started),
 * then timed on a relaunched browser; then opened once more, the compiled copy kept this time.
 */
async function oursRun(app: Served, args: DriveArgs): Promise<{ timed: UiRun; reopened: UiRun }> {
  const profile = tempFolder('smpg-bench-f10-ours-');
  try {
    const setup = await launchChromium(profile.path);
    let interviewUrl: string;
    try {
      await setup.page.goto(app.url);
      await firstRun(setup.page);
      await waitForServiceWorkerControl(setup.page);
      await startInterview(setup.page, ID);
      interviewUrl = setup.page.url();
      await setup.page.evaluate(removeCompiledCopy);
    } finally {
      await setup.close();
    }
    const timed = await measureRun(profile.path, interviewUrl, args);
    const reopened = await measureRun(profile.path, interviewUrl, { ...args, limit: 0 });
    return { timed, reopened };
  } finally {
    profile.remove();
  }
}

/**
 * In the app's page: removes the compiled questionnaire the app keeps for its next start (written
 * in the background once the first question is shown), so that the timed start loads and
 * compiles the definition, as ODK's page does its XForm on every opening.
 */
async function removeCompiledCopy(): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('smpg-collect');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('indexedDB.open failed'));
  });
  const count = () =>
    new Promise<number>((resolve, reject) => {
      const request = db.transaction('compiled').objectStore('compiled').count();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('count failed'));
    });
  for (let i = 0; i < 100 && (await count()) === 0; i++)
    await new Promise((resolve) => setTimeout(resolve, 50));
  if ((await count()) === 0) throw new Error('the app kept no compiled questionnaire');
  await new Promise<void>((resolve, reject) => {
    const transaction = db.transaction('compiled', 'readwrite');
    transaction.objectStore('compiled').clear();
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('clear failed'));
  });
  db.close();
}

async function odkRun(page: Served, args: DriveArgs): Promise<UiRun> {
  const profile = tempFolder('smpg-bench-f10-odk-profile-');
  try {
    return await measureRun(profile.path, `${page.url}odk-web-forms.html`, args);
  } finally {
    profile.remove();
  }
}

interface Measured {
  readonly runs: readonly { readonly ours: UiRun; readonly reopened: UiRun; readonly odk: UiRun }[];
  /** Questions the walk reaches in all, and how many each run answers. */
  readonly reached: number;
  readonly answered: number;
}

async function measure(context: BenchContext): Promise<Measured> {
  const synthetic = syntheticQuestionnaire(FIGURE_QUESTIONNAIRE);
  const definitionText = JSON.stringify(synthetic.definition);
  // Our engine's walk with these answers: both interfaces must answer its first ANSWERS items.
  const walk = timeAnswering(timeReady(definitionText), synthetic.answers).answered;
  const expected = walk.slice(0, ANSWERS);
  const answers = Object.fromEntries(
    [...synthetic.answers].map(([id, value]) => [id, String(value)]),
  );
  const dist = await context.builtApp();
  const appFolder = appWithSynthetic(dist, definitionText);
  context.log('  bundling ODK Web Forms’ page (bench/browser/odk-web-forms.html)...');
  const odkFolder = await buildOdkPage(context.root, synthetic.xform);
  const app = await serveFolder(appFolder.path);
  const odkPage = await serveFolder(odkFolder.path);
  const runs: Measured['runs'][number][] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const { timed: ours, reopened } = await oursRun(app, {
        side: 'ours',
        answers,
        limit: ANSWERS,
      });
      const odk = await odkRun(odkPage, { side: 'odk', answers, limit: ANSWERS });
      for (const [side, run] of [
        ['ours', ours],
        ['ODK', odk],
      ] as const) {
        if (run.answered.join() !== expected.join())
          throw new Error(
            `${side} answered ${run.answered.length} questions, not the ${expected.length} ` +
              `first of our engine's walk (first difference at answer ` +
              `${run.answered.findIndex((id, n) => id !== expected[n]) + 1})`,
          );
      }
      context.log(
        `  run ${i + 1}/${RUNS}: ${ours.answered.length} questions answered on each side ` +
          `(ours ${ours.answered.length}, ODK ${odk.answered.length}); first question ours ` +
          `${ours.firstPainted.toFixed(0)} ms (lock shown ${ours.lockShown.toFixed(0)} ms, passed ` +
          `${ours.unlocked.toFixed(0)} ms), ` +
          `reopened ${reopened.firstPainted.toFixed(0)} ms, ODK ${odk.firstPainted.toFixed(0)} ms; ` +
          `to the last answer ours ${ours.endPainted.toFixed(0)} ms, ODK ${odk.endPainted.toFixed(0)} ms`,
      );
      runs.push({ ours, reopened, odk });
    }
  } finally {
    await odkPage.close();
    await app.close();
    odkFolder.remove();
    appFolder.remove();
  }
  return { runs, reached: walk.length, answered: expected.length };
}

export const uiComparison: Figure = {
  number: 10,
  title: `Against ODK Web Forms’ interface (@getodk/web-forms), the first ${ANSWERS} answers`,
  async run(context) {
    const { runs, reached, answered } = await measure(context);
    const first = (run: UiRun) => run.firstPainted;
    const end = (run: UiRun) => run.endPainted;
    const lock = (run: UiRun) => run.unlocked - run.lockShown;
    const row = (
      measure: string,
      unit: Row['unit'],
      values: number[],
      extra: Partial<Row> = {},
    ): Row => ({
      figure: 10,
      measure,
      unit,
      runs: values,
      ...extra,
    });
    return [
      row(
        'first question painted: ODK time / ours',
        'x',
        runs.map((run) => first(run.odk) / first(run.ours)),
        {
          target: TARGET,
          note:
            `figure 2's generated questionnaire (${FIGURE_QUESTIONNAIRE.items.toLocaleString('en-GB')} ` +
            'items, ours as JSON, ODK’s as the equivalent XForm), each side on a freshly launched ' +
            'Chromium, from navigation start to the frame after the first question appears ' +
            '(MutationObserver, requestAnimationFrame, then a task). Ours: the built app, service ' +
            'worker in control, a new interview’s URL opened on a tablet set up, through its lock ' +
            'screen (the PIN typed by a script as soon as it shows), the compiled questionnaire ' +
            'the app keeps removed so that it loads the definition as at its first opening. ODK: ' +
            'its OdkWebForm component (the published build, Vue 3.5) in a page of its own that ' +
            'fetches the XForm',
        },
      ),
      row(
        `to the ${answered}th answer painted: ODK time / ours`,
        'x',
        runs.map((run) => end(run.odk) / end(run.ours)),
        {
          target: TARGET,
          note:
            `from navigation start to the frame after the ${answered}th answer’s effect is on ` +
            `screen (ours: the next question; ODK: its page updated), the first ${answered} of ` +
            `the ${reached} questions the walk reaches answered through the interface (the same ` +
            'items in the same order as our engine’s walk, on both sides, checked every run) ' +
            'by DOM events dispatched in the page: a click on the radio button, a number typed ' +
            'one digit at a time as the events each control listens to; ours moves on with ' +
            '"Suivant" (its answer saved in IndexedDB), ODK shows every question on one page',
        },
      ),
      row(
        'first question painted, ours',
        'ms',
        runs.map((run) => first(run.ours)),
      ),
      row(
        '  of which to the lock screen shown, ours',
        'ms',
        runs.map((run) => run.ours.lockShown),
        {
          note:
            'the app’s start before the questionnaire: its scripts, the database opened, the key ' +
            'ring and the settings read, the lock screen rendered',
        },
      ),
      row(
        '  of which the lock screen, ours',
        'ms',
        runs.map((run) => lock(run.ours)),
        {
          note:
            'from the lock screen shown to its leaving the DOM, the PIN typed at once: mostly the ' +
            'tablet’s key unwrapped (PBKDF2, 600,000 iterations); ODK has no lock',
        },
      ),
      row(
        '  of which the lock passed to the first question painted, ours',
        'ms',
        runs.map((run) => run.ours.firstPainted - run.ours.unlocked),
        {
          note:
            'the interview opened: its draft read and unsealed, the definition read and ' +
            'compiled, the first question rendered and painted',
        },
      ),
      row(
        'first question painted, ODK',
        'ms',
        runs.map((run) => first(run.odk)),
      ),
      row(
        'first question painted, ours reopened (compiled copy kept)',
        'ms',
        runs.map((run) => first(run.reopened)),
        {
          note:
            'the same interview opened once more on the same profile after the run: the app ' +
            `reads back its compiled questionnaire, as at every start after the first (it ` +
            `resumes on the question after the ${answered}th answer)`,
        },
      ),
      row(
        `to the ${answered}th answer painted, ours`,
        'ms',
        runs.map((run) => end(run.ours)),
      ),
      row(
        `to the ${answered}th answer painted, ODK`,
        'ms',
        runs.map((run) => end(run.odk)),
      ),
      row(
        `${answered} answers (first question to last answer painted): ODK time / ours`,
        'x',
        runs.map((run) => (end(run.odk) - first(run.odk)) / (end(run.ours) - first(run.ours))),
      ),
    ];
  },
};
