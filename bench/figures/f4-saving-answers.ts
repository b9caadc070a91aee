// Figure 4: saving an answer in the real built app, in Chromium. Generated SMPG interviews are
// answered screen after screen by a driver in the page (clicks on the real inputs, typed values
// as input events): each answer is timed from its input event to the commit of the IndexedDB
// transaction that stores it. Its baseline is the physical limit of a tap made durable: a bare
// page in a window of its own, whose button's click handler puts the same record with the same
// durability (and an explicit commit(), as the app's), clicked the way the driver clicks the app's
// inputs and timed the same way, from the click event's timeStamp to the transaction's complete
// event; both sides pay the same input dispatch. A bare put in the app's page, timed from its call
// (the baseline before), is kept for information and to split an answer's time. Each answer, bare
// click and bare put starts at a random point of its page's display cycle, drawn alike for all (a
// frame's rendering takes the CPU that a commit needs: on two cores, a put started right after a
// paint takes ~2 ms, one started at a quiet moment ~1.2 ms). Each "Suivant" is timed from its
// click to the next question in the DOM and to the frame that paints it. An answer's time is also
// split where it goes: from its input event to the page's first listener (Chromium), to the app
// asking for its transaction (React, then the app's handler), and from there to the commit, the
// part that the bare put times too. All of it runs as a desktop, then as a low-end tablet (its
// screen, both pages' CPU slowed 4x), fewer answers there.
//
// The pages are served cross-origin isolated (COOP and COEP headers, bench only): their clock then
// reads to 5 us instead of 100 us, which on times of 1 to 3 ms would round the ratios by up to
// 10 %.
//
// Bench-only instrumentation, no change to the app: an init script wraps
// IDBDatabase.prototype.transaction to listen for the `complete` event of the app's read-write
// transactions on the `answers` store, and notes the durability the app asks for.
import type { Answer } from '../../src/core/questionnaire/index.ts';
import { TEXT, firstRun, interviewIdOf, startInterview } from '../../tests/e2e/harness.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext, Figure, Row, Target } from '../lib/figure.ts';
import type { Device, Served } from '../lib/browser.ts';
import {
  DESKTOP,
  LOW_END_TABLET,
  launchChromium,
  serveFolder,
  tempFolder,
  throttleCpu,
} from '../lib/browser.ts';
import { quantile } from '../lib/stats.ts';

/** How much each device answers, and what it must meet (the ratios' bound is the same, 1.2x). */
interface Plan {
  readonly device: Device;
  readonly runs: number;
  readonly answersPerRun: number;
  /** The next question painted, p99. */
  readonly painted: Target;
}

const PLANS: readonly Plan[] = [
  { device: DESKTOP, runs: 3, answersPerRun: 1000, painted: { op: '<=', value: 16 } },
  // Fewer answers: slowed 4x, an answer takes about four times as long to drive. Two runs of one
  // SMPG interview each (100 answers or more) cost about as much time as one desktop run.
  { device: LOW_END_TABLET, runs: 2, answersPerRun: 100, painted: { op: '<', value: 50 } },
];
const RATIO_TARGET: Target = { op: '<=', value: 1.2 };

interface Probe {
  count: number;
  durability: string | undefined;
  waiters: ((at: number) => void)[];
  /** When the app last opened a transaction on `answers` (its write issued). */
  answerIssued: number;
  /** When a transaction of the app on `interviews` (a move: position, paradata) last committed. */
  interviewCommitted: number;
}

/** Init script: times the commits of the app's answer writes. */
function instrumentIndexedDb(): void {
  const probe: Probe = {
    count: 0,
    durability: undefined,
    waiters: [],
    answerIssued: 0,
    interviewCommitted: 0,
  };
  (window as unknown as { benchIdb: Probe }).benchIdb = probe;
  const original = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (
    this: IDBDatabase,
    stores: string | string[],
    mode?: IDBTransactionMode,
    options?: IDBTransactionOptions,
  ): IDBTransaction {
    const names = typeof stores === 'string' ? [stores] : Array.from(stores);
    const answerWrite =
      this.name === 'smpg-collect' && mode === 'readwrite' && names.join() === 'answers';
    // Read before the transaction is asked for, as the bare put's start is.
    if (answerWrite) probe.answerIssued = performance.now();
    const transaction = original.call(this, stores, mode, options);
    if (this.name === 'smpg-collect' && mode === 'readwrite' && names.includes('interviews')) {
      transaction.addEventListener('complete', () => {
        probe.interviewCommitted = performance.now();
      });
    }
    if (answerWrite) {
      probe.durability = options?.durability ?? 'default';
      transaction.addEventListener('complete', () => {
        const at = performance.now();
        probe.count++;
        probe.waiters.shift()?.(at);
      });
    }
    return transaction;
  };
}

interface DriveArgs {
  readonly answers: Readonly<Record<string, Answer>>;
  readonly interviewId: string;
  readonly labels: { readonly dontKnow: string; readonly refused: string };
}

interface DriveResult {
  readonly commit: number[];
  readonly reached: number[];
  readonly issued: number[];
  /** From the app asking for its transaction to the commit. */
  readonly fromIssued: number[];
  readonly handled: number[];
  readonly moveCommitted: number[];
  readonly bare: number[];
  readonly bareClick: number[];
  readonly nextInDom: number[];
  readonly nextPainted: number[];
  readonly frameMs: number;
  readonly durability: string;
}

/** What the app's page asks the bare page (through the bench, page.exposeFunction). */
interface BareClickArgs {
  readonly record: object;
  readonly durability: string;
}
/** The exposed function's name in the app's page. */
const BARE_CLICK = 'benchBareClick';

/** The bare page: a button, nothing else. */
const BARE_PAGE = `<!doctype html>
<html lang="fr">
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>Bare put</title>
<button type="button" id="save">Enregistrer</button>
</html>
`;

interface BareState {
  frameMs: number;
  pending:
    | {
        record: object;
        durability: string;
        resolve: (ms: number) => void;
        reject: (error: Error) => void;
      }
    | undefined;
}

/**
 * In the bare page: opens its database, measures the display's frame, and gives the button its
 * click handler: one put of the record it is given and an explicit commit(), as the app writes an
 * answer, timed from the click event's timeStamp to the transaction's complete event.
 */
async function installBarePage(): Promise<void> {
  if (!crossOriginIsolated) throw new Error('the bare page is not cross-origin isolated');
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('bench-bare-click', 1);
    request.onupgradeneeded = () =>
      request.result.createObjectStore('answers', { keyPath: ['interviewId', 'itemId'] });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('indexedDB.open failed'));
  });
  const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
  const frames: number[] = [];
  let previous = await frame();
  for (let i = 0; i < 20; i++) {
    const next = await frame();
    frames.push(next - previous);
    previous = next;
  }
  frames.sort((a, b) => a - b);
  const state: BareState = {
    frameMs: frames[Math.floor(frames.length / 2)] ?? 16,
    pending: undefined,
  };
  (window as unknown as { benchBare: BareState }).benchBare = state;
  const button = document.getElementById('save');
  if (button === null) throw new Error('the bare page has no button');
  button.addEventListener('click', (event) => {
    const pending = state.pending;
    state.pending = undefined;
    if (pending === undefined) return;
    const transaction = db.transaction('answers', 'readwrite', {
      durability: pending.durability as IDBTransactionDurability,
    });
    transaction.objectStore('answers').put(pending.record);
    transaction.commit();
    transaction.oncomplete = () => pending.resolve(performance.now() - event.timeStamp);
    transaction.onerror = () => pending.reject(transaction.error ?? new Error('put failed'));
  });
}

/** In the bare page: at a random point of its display's cycle, clicks the button once. */
async function bareClick(args: BareClickArgs): Promise<number> {
  const state = (window as unknown as { benchBare: BareState }).benchBare;
  if (document.visibilityState !== 'visible') throw new Error('the bare page is hidden');
  await new Promise<void>((resolve) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(null);
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * state.frameMs)));
  const button = document.getElementById('save');
  if (button === null) throw new Error('the bare page has no button');
  return new Promise<number>((resolve, reject) => {
    state.pending = { record: args.record, durability: args.durability, resolve, reject };
    button.click();
  });
}

/** Runs in the page: answers the interview on screen until the review screen. */
async function drive(args: DriveArgs): Promise<DriveResult> {
  if (!crossOriginIsolated) throw new Error('the page is not cross-origin isolated (clock 100 us)');
  const probe = (window as unknown as { benchIdb: Probe }).benchIdb;
  const out = {
    commit: [] as number[],
    reached: [] as number[],
    issued: [] as number[],
    fromIssued: [] as number[],
    handled: [] as number[],
    moveCommitted: [] as number[],
    bare: [] as number[],
    bareClick: [] as number[],
    nextInDom: [] as number[],
    nextPainted: [] as number[],
  };
  const clickBarePage = (
    window as unknown as Record<string, (args: BareClickArgs) => Promise<number>>
  )['benchBareClick'];
  if (clickBarePage === undefined) throw new Error('no bare page to click');
  const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
  const afterPaint = () =>
    new Promise<number>((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(null);
      }),
    );
  const waitFor = <T>(check: () => T | false, what: string) =>
    new Promise<{ value: T; at: number }>((resolve, reject) => {
      const now = check();
      if (now !== false) return resolve({ value: now, at: performance.now() });
      const observer = new MutationObserver(() => {
        const value = check();
        if (value === false) return;
        observer.disconnect();
        clearTimeout(timer);
        resolve({ value, at: performance.now() });
      });
      const timer = setTimeout(() => {
        observer.disconnect();
        const errors = [...document.querySelectorAll('.field-error')].map((e) => e.textContent);
        reject(new Error(`timed out waiting for ${what} ${errors.join(' / ')}`));
      }, 10_000);
      observer.observe(document.body, { childList: true, subtree: true, attributes: true });
    });
  const bareDb = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('bench-bare-put', 1);
    request.onupgradeneeded = () =>
      request.result.createObjectStore('answers', { keyPath: ['interviewId', 'itemId'] });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('indexedDB.open failed'));
  });
  const barePut = (record: object) =>
    new Promise<number>((resolve, reject) => {
      const durability = (probe.durability ?? 'default') as IDBTransactionDurability;
      const start = performance.now();
      const transaction = bareDb.transaction('answers', 'readwrite', { durability });
      transaction.objectStore('answers').put(record);
      // As the app does: the backend commits without waiting for this page to see the put succeed.
      transaction.commit();
      transaction.oncomplete = () => resolve(performance.now() - start);
      transaction.onerror = () => reject(transaction.error ?? new Error('put failed'));
    });
  // The time of the first input event of an action: a click on a radio button or a checkbox
  // fires `click` (which React handles) and then `input`; typing fires `input` only. And when it
  // reached the page's first listener (this one, a capture listener on the document; the app's
  // listeners are all below it): Chromium's share of the way to the app's handler.
  let firstEvent = Number.NaN;
  let firstReached = Number.NaN;
  const stamp = (event: Event) => {
    if (!Number.isNaN(firstEvent)) return;
    firstReached = performance.now();
    firstEvent = event.timeStamp;
  };
  /** Runs an action; returns its first event's times and when its handlers had all returned. */
  const act = (action: () => void): { start: number; reached: number; handled: number } => {
    firstEvent = Number.NaN;
    action();
    const handled = performance.now();
    if (Number.isNaN(firstEvent)) throw new Error('the action fired no input event');
    return { start: firstEvent, reached: firstReached, handled };
  };
  document.addEventListener('click', stamp, true);
  document.addEventListener('input', stamp, true);

  // The display's frame interval, for reading the paint times.
  const frames: number[] = [];
  let previous = await frame();
  for (let i = 0; i < 20; i++) {
    const next = await frame();
    frames.push(next - previous);
    previous = next;
  }
  frames.sort((a, b) => a - b);
  const frameMs = frames[Math.floor(frames.length / 2)] ?? 16;
  // A tap comes at any point of the display's cycle, and what the page does then (a frame's
  // style, layout, paint and raster take the CPU too) weighs on a commit under way. Each answer
  // and each bare put starts at a random point of the cycle, drawn alike for both: after a paint,
  // a wait of 0 to one frame.
  const anyMoment = async () => {
    await afterPaint();
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * frameMs)));
  };

  const acknowledgeAlerts = async () => {
    for (;;) {
      const dialog = document.querySelector('[role="alertdialog"]');
      if (dialog === null) return;
      // Acknowledged at once, while the app may still be writing the alert: the answers given
      // next must stay on screen (the driver's own checks fail if one vanishes).
      dialog.querySelector('button')?.click();
      await waitFor(
        () => document.querySelector('[role="alertdialog"]') === null,
        'the alert to close',
      );
    }
  };
  const section = (itemId: string) => {
    const found = document.querySelector(`section[data-item-id="${itemId}"]`);
    if (found === null) throw new Error(`"${itemId}" is not on screen`);
    return found;
  };
  const click = (itemId: string, selector: string) => () => {
    const element = section(itemId).querySelector<HTMLElement>(selector);
    if (element === null) throw new Error(`"${itemId}": no ${selector}`);
    element.click();
  };
  const nonResponse = (itemId: string, target: string, label: string) => () => {
    const scope =
      target === itemId
        ? section(itemId)
        : section(itemId).querySelector(`.grid-row:has(input[name="${target}"])`);
    const button = [...(scope?.querySelectorAll('.non-response button') ?? [])].find(
      (candidate) => candidate.textContent === label,
    );
    if (!(button instanceof HTMLElement)) throw new Error(`"${target}": no ${label} button`);
    button.click();
  };
  const type = (target: string, text: string) => () => {
    const element = document.getElementById(`input-${target}`);
    const prototype =
      element instanceof HTMLTextAreaElement
        ? HTMLTextAreaElement.prototype
        : HTMLInputElement.prototype;
    if (element === null) throw new Error(`"${target}": no input`);
    Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(element, text);
    element.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const actionsFor = (itemId: string, target: string, value: Answer): (() => void)[] => {
    if (typeof value === 'object' && value !== null && 'nonResponse' in value)
      return [
        nonResponse(
          itemId,
          target,
          value.nonResponse === 'dont_know' ? args.labels.dontKnow : args.labels.refused,
        ),
      ];
    if (Array.isArray(value))
      return (value as readonly string[]).map((code) =>
        click(itemId, `input[name="${target}"][value="${code}"]`),
      );
    const radio = `input[type="radio"][name="${target}"][value="${String(value)}"]`;
    if (section(itemId).querySelector(radio) !== null) return [click(itemId, radio)];
    return [type(target, String(value))];
  };

  for (let guard = 0; guard < 1000; guard++) {
    await acknowledgeAlerts();
    const current = document.querySelector('section[data-item-id]');
    if (current === null) break;
    const itemId = current.getAttribute('data-item-id') ?? '';
    const rows = [
      ...new Set(
        [...current.querySelectorAll<HTMLInputElement>('.grid-row input')].map((i) => i.name),
      ),
    ];
    for (const target of rows.length > 0 ? rows : [itemId]) {
      const value = args.answers[target];
      if (value === undefined) continue;
      for (const action of actionsFor(itemId, target, value)) {
        await anyMoment();
        const before = probe.count;
        probe.answerIssued = Number.NaN;
        const committed = new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`"${target}": no commit`)), 10_000);
          probe.waiters.push((at) => {
            clearTimeout(timer);
            resolve(at);
          });
        });
        const { start, reached, handled } = act(action);
        const at = await committed;
        if (probe.count !== before + 1) throw new Error(`"${target}": more than one commit`);
        out.commit.push(at - start);
        out.reached.push(reached - start);
        if (!(probe.answerIssued >= start)) throw new Error(`"${target}": no write issued`);
        out.issued.push(probe.answerIssued - start);
        out.fromIssued.push(at - probe.answerIssued);
        out.handled.push(handled - start);
        await anyMoment();
        const record = {
          interviewId: args.interviewId,
          itemId: target,
          value,
          answeredAt: new Date().toISOString(),
        };
        out.bare.push(await barePut(record));
        // The bare page waits for its own random point of its display's cycle.
        out.bareClick.push(
          await clickBarePage({ record, durability: probe.durability ?? 'default' }),
        );
        await acknowledgeAlerts();
      }
    }
    const given = (rows.length > 0 ? rows : [itemId]).map(
      (target) => `${target}=${JSON.stringify(args.answers[target])}`,
    );
    const moved = waitFor(
      () => {
        if (document.querySelector('[role="alertdialog"]') !== null) return 'alert';
        const shown = document.querySelector('section[data-item-id]');
        if (shown === null) return 'end';
        return shown.getAttribute('data-item-id') === itemId ? false : 'item';
      },
      `the screen after "${itemId}" (${given.join(', ')})`,
    );
    const next = document.querySelector<HTMLElement>('nav.interview-nav button.primary');
    if (next === null) throw new Error(`"${itemId}": no next button`);
    const { start } = act(() => next.click());
    const { value, at } = await moved;
    if (value === 'item') {
      const painted = await afterPaint();
      out.nextInDom.push(at - start);
      out.nextPainted.push(painted - start);
      // The move's write (position, paradata) commits before the app shows the next question.
      if (probe.interviewCommitted > start)
        out.moveCommitted.push(probe.interviewCommitted - start);
    }
  }
  bareDb.close();
  document.removeEventListener('click', stamp, true);
  document.removeEventListener('input', stamp, true);
  return {
    ...out,
    frameMs,
    durability: probe.durability ?? 'unknown',
  };
}

/** One run's times (ms), each from its action's input event unless said otherwise. */
interface Sample {
  commit: number[];
  /** To the page's first listener. */
  reached: number[];
  issued: number[];
  /** From the app asking for its transaction to the commit: the part a bare put also times. */
  fromIssued: number[];
  handled: number[];
  /** The bare put in the app's page, from its call. */
  bare: number[];
  /** The bare page's click, from its event's timeStamp: the baseline. */
  bareClick: number[];
  painted: number[];
  inDom: number[];
  moveCommitted: number[];
}

interface Measured {
  readonly perRun: readonly Sample[];
  readonly frameMs: number;
  readonly durability: string;
}

/** The plan's runs: each a fresh profile, answering generated interviews until it has enough. */
async function measure(
  context: BenchContext,
  plan: Plan,
  app: Served,
  bare: Served,
  interviews: readonly Record<string, Answer>[],
): Promise<Measured> {
  const perRun: Sample[] = [];
  let frameMs = Number.NaN;
  let durability = '';
  for (let run = 0; run < plan.runs; run++) {
    const profile = tempFolder('smpg-bench-f4-');
    const browser = await launchChromium(profile.path, plan.device);
    const sample: Sample = {
      commit: [],
      reached: [],
      issued: [],
      fromIssued: [],
      handled: [],
      bare: [],
      bareClick: [],
      painted: [],
      inDom: [],
      moveCommitted: [],
    };
    try {
      // The bare page: a window of its own (a second tab of the same window would not be drawn
      // while the app's is, and the app's frames would wait), its CPU slowed as the app's is.
      const [barePage] = await Promise.all([
        browser.context.waitForEvent('page'),
        browser.page.evaluate((url) => {
          window.open(url, '_blank', 'popup');
        }, bare.url),
      ]);
      await barePage.waitForLoadState();
      await throttleCpu(barePage, plan.device);
      await barePage.evaluate(installBarePage);
      await browser.page.exposeFunction(BARE_CLICK, (args: BareClickArgs) =>
        barePage.evaluate(bareClick, args),
      );
      // On the app's page only: the bare page's transactions go unwrapped.
      await browser.page.addInitScript(instrumentIndexedDb);
      await browser.page.goto(app.url);
      await firstRun(browser.page);
      for (let n = 0; sample.commit.length < plan.answersPerRun; n++) {
        const answers = interviews[(run * 7 + n) % interviews.length] ?? {};
        await browser.page.goto(app.url);
        await startInterview(browser.page, 'smpg');
        const result = await browser.page.evaluate(drive, {
          answers,
          interviewId: interviewIdOf(browser.page),
          labels: { dontKnow: TEXT.dontKnow, refused: TEXT.refused },
        });
        sample.commit.push(...result.commit);
        sample.reached.push(...result.reached);
        sample.issued.push(...result.issued);
        sample.fromIssued.push(...result.fromIssued);
        sample.handled.push(...result.handled);
        sample.moveCommitted.push(...result.moveCommitted);
        sample.bare.push(...result.bare);
        sample.bareClick.push(...result.bareClick);
        sample.painted.push(...result.nextPainted);
        sample.inDom.push(...result.nextInDom);
        frameMs = result.frameMs;
        durability = result.durability;
      }
    } finally {
      await browser.close();
      profile.remove();
    }
    perRun.push(sample);
    context.log(
      `  ${plan.device.label}run ${run + 1}/${plan.runs}: ${sample.commit.length} answers, ${sample.painted.length} moves`,
    );
  }
  return { perRun, frameMs, durability };
}

/** The device's rows: its targets first, then where the time goes. */
function rowsOf(plan: Plan, { perRun, frameMs, durability }: Measured): Row[] {
  const label = plan.device.label;
  const desktop = plan.device === DESKTOP;
  const per = (pick: (sample: Sample) => number[], q: number) =>
    perRun.map((sample) => quantile(pick(sample), q));
  const ratio = (
    q: number,
    pick: (sample: Sample) => number[] = (sample) => sample.commit,
    base: (sample: Sample) => number[] = (sample) => sample.bareClick,
  ) => perRun.map((sample) => quantile(pick(sample), q) / quantile(base(sample), q));
  const fromCall = (sample: Sample) => sample.bare;
  const answers = perRun[0]?.commit.length ?? 0;
  const row = (
    measure: string,
    unit: Row['unit'],
    runs: number[],
    extra: { target?: Target; note?: string } = {},
  ): Row => ({ figure: 4, measure: `${label}${measure}`, unit, runs, ...extra });
  /** Notes are given once, on the desktop's rows, unless the tablet's differ. */
  const note = (text: string) => (desktop ? { note: text } : {});
  return [
    row('answer saved p50: ours / bare click', 'x', ratio(0.5), {
      target: RATIO_TARGET,
      note: desktop
        ? `${plan.answersPerRun.toLocaleString('en-GB')} answers or more per run (${answers} in the first; clicks and typed values in the real app, one ` +
          `IndexedDB commit each), from the input event's timeStamp to the transaction's ` +
          'complete event; the bare click: a bare page in a window of its own, a button whose ' +
          'click handler puts the same record in its own database, durability ' +
          `"${durability}" as the app's, then calls commit() as the app does, clicked by a ` +
          'script as the app’s inputs are and timed the same way; each answer and each bare ' +
          'click starts at a random point of its page’s 60 Hz display cycle, drawn alike for both'
        : `${plan.runs} runs of ${plan.answersPerRun} answers or more (${answers} in the first), ` +
          `Chromium as a low-end Android tablet: ${plan.device.viewport.width}x` +
          `${plan.device.viewport.height} CSS pixels, portrait, device pixel ratio ` +
          `${plan.device.deviceScaleFactor}, touch; both pages’ main threads slowed ` +
          `${plan.device.cpuSlowdown}x (DevTools Emulation.setCPUThrottlingRate), not the ` +
          'browser process where IndexedDB commits',
    }),
    row('answer saved p99: ours / bare click', 'x', ratio(0.99), { target: RATIO_TARGET }),
    row(
      'answer saved p50, ours',
      'ms',
      per((s) => s.commit, 0.5),
    ),
    row(
      'answer saved p50, bare click',
      'ms',
      per((s) => s.bareClick, 0.5),
    ),
    row(
      'answer saved p99, ours',
      'ms',
      per((s) => s.commit, 0.99),
    ),
    row(
      'answer saved p99, bare click',
      'ms',
      per((s) => s.bareClick, 0.99),
    ),
    row(
      'answer saved p50: ours / bare put from its call',
      'x',
      ratio(0.5, (s) => s.commit, fromCall),
      note(
        'the baseline before, for information: a bare put of the same record in the app’s own ' +
          'page, timed from its call (no input event, no dispatch) to its complete event',
      ),
    ),
    row(
      'answer saved p99: ours / bare put from its call',
      'x',
      ratio(0.99, (s) => s.commit, fromCall),
    ),
    row('answer saved p50, bare put from its call', 'ms', per(fromCall, 0.5)),
    row('answer saved p99, bare put from its call', 'ms', per(fromCall, 0.99)),
    row(
      'next item painted p99',
      'ms',
      per((s) => s.painted, 0.99),
      {
        target: plan.painted,
        ...note(
          'from the click on "Suivant" to the end of the frame that paints the next question ' +
            `(requestAnimationFrame, then a task); frames come every ${frameMs.toFixed(1)} ms in ` +
            'headless Chromium, so the wait for the next frame is part of it',
        ),
      },
    ),
    row(
      'answer: input event to the page’s first listener p50',
      'ms',
      per((s) => s.reached, 0.5),
      note(
        'Chromium’s share of the way to the app’s handler (a capture listener on the ' +
          'document); the events are dispatched by a script in the page, so a real tap’s way ' +
          'through the browser’s input handling before it is timed on neither side',
      ),
    ),
    row(
      'answer: input event to its write issued p50',
      'ms',
      per((s) => s.issued, 0.5),
      note(
        'to the app asking for its IndexedDB transaction: Chromium, then React bringing the ' +
          'event to the app’s handler, then its validation and the answer’s seal; the bare ' +
          'click’s handler asks for its transaction at once',
      ),
    ),
    row(
      'answer: write issued to committed p50, ours / bare put from its call',
      'x',
      ratio(0.5, (s) => s.fromIssued, fromCall),
      note(
        'the part of an answer that a bare put also times (from the transaction asked for to ' +
          'its complete event): what the app’s write costs beyond a bare put, with the rest of ' +
          'the tap’s task and the frames it brings on the same two cores',
      ),
    ),
    row(
      'answer: write issued to committed p99, ours / bare put from its call',
      'x',
      ratio(0.99, (s) => s.fromIssued, fromCall),
    ),
    row(
      'answer: input event to its handlers done p50',
      'ms',
      per((s) => s.handled, 0.5),
      note(
        'the main thread busy with the input (the app’s handler and the engine; nothing is ' +
          'rendered then unless an error message or an alert changes: the screen follows once ' +
          'the write commits, or 16 ms after the tap if it is slower)',
      ),
    ),
    row(
      'next item painted p50',
      'ms',
      per((s) => s.painted, 0.5),
    ),
    row(
      'Suivant: move written (position, paradata) p50',
      'ms',
      per((s) => s.moveCommitted, 0.5),
      note(
        'the app issues this write, then shows the next question without waiting for it to ' +
          'commit (durability "relaxed": only answers need "strict")',
      ),
    ),
    row(
      'Suivant: move written p99',
      'ms',
      per((s) => s.moveCommitted, 0.99),
    ),
    row(
      'next item in the DOM p99',
      'ms',
      per((s) => s.inDom, 0.99),
    ),
    row(
      'next item in the DOM p50',
      'ms',
      per((s) => s.inDom, 0.5),
    ),
  ];
}

export const savingAnswers: Figure = {
  number: 4,
  title: 'Saving an answer in the real app (Chromium, IndexedDB)',
  async run(context) {
    const dist = await context.builtApp();
    const { pool } = await context.siteRecords();
    const interviews = pool
      .filter((respondent) => respondent.outcome === 'completed')
      .map((respondent) => Object.fromEntries(respondent.answers) as Record<string, Answer>);
    // Cross-origin isolated (two response headers), so that the pages' clock reads to 5 us rather
    // than 100: the times measured here are of 1 to 3 ms.
    const app = await serveFolder(dist, true);
    const bareFolder = tempFolder('smpg-bench-f4-bare-');
    writeFileSync(join(bareFolder.path, 'index.html'), BARE_PAGE);
    const bare = await serveFolder(bareFolder.path, true);
    const rows: Row[] = [];
    try {
      for (const plan of PLANS)
        rows.push(...rowsOf(plan, await measure(context, plan, app, bare, interviews)));
    } finally {
      await bare.close();
      await app.close();
      bareFolder.remove();
    }
    return rows;
  },
};
