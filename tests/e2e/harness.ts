// The end-to-end page objects: the built app served on 127.0.0.1, Debian's Chromium with a fresh
// profile, and the interviewer's moves made the way a person makes them (names, inputs, the URL).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { AxeResults, RunOptions } from 'axe-core';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, serveFolder } from '../../scripts/serve.ts';
import type { Answer, Questionnaire } from '../../src/core/questionnaire/index.ts';
import { isNonResponse, loadQuestionnaire } from '../../src/core/questionnaire/index.ts';
import type { AnswerRecord, InterviewRecord } from '../../src/app/storage/index.ts';
import { UI_TEXT_FR } from '../../src/app/ui-text.ts';
import { TABLET_PIN, typePinOnLock } from './tablet-pin.ts';
import { HOME_TEXT } from '../../src/app/home-text.ts';

/** The interface's words, as the interviewer reads them (French, the default). */
export const TEXT = { ...UI_TEXT_FR, ...HOME_TEXT.fr };

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built app the tests serve (`npm run build`; SMPG_DIST points elsewhere, e.g. a build of one's own). */
export const DIST = process.env['SMPG_DIST'] ?? join(ROOT, 'dist');
const AXE_SCRIPT = join(ROOT, 'node_modules/axe-core/axe.min.js');

export const TABLET = { width: 1024, height: 768 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** A compiled questionnaire of the repository (`questionnaires/<id>/<version>.json`). */
export function questionnaireFile(id: string, version: string): Questionnaire {
  const path = join(ROOT, 'questionnaires', id, `${version}.json`);
  const result = loadQuestionnaire(JSON.parse(readFileSync(path, 'utf8')) as unknown);
  if (result.status === 'failure') throw new Error(`${path} does not load`);
  return result.questionnaire;
}

export interface RunningApp {
  readonly baseUrl: string;
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/** Serves dist/ on 127.0.0.1 on a free port. */
export async function startServer(): Promise<{ url: string; close: () => Promise<void> }> {
  if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error('dist/index.html is missing: run "npm run build" before "npm run test:e2e".');
  }
  return serveFolder(DIST);
}

/**
 * A Chromium with a fresh profile (so a fresh IndexedDB and no service worker). The tablet's PIN
 * is typed on the lock screen whenever it shows (tablet-pin.ts), unless `typePin` is false.
 */
export async function launchBrowser({ typePin = true }: { typePin?: boolean } = {}): Promise<{
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
}> {
  const profile = mkdtempSync(join(tmpdir(), 'smpg-e2e-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS],
      viewport: TABLET,
      locale: 'fr-FR',
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  if (typePin) await typePinOnLock(context);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the static server and a Chromium with a fresh profile. The page is blank: the test
 * decides when the first visit happens.
 */
export async function startApp(): Promise<RunningApp> {
  const server = await startServer();
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    baseUrl: server.url,
    context: browser.context,
    page: browser.page,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * Sets the tablet up without a server ("Utiliser sans serveur" on the enrolment screen, unless
 * that form is already open), fills the first-run form and waits for the home screen.
 */
export async function firstRun(
  page: Page,
  site = 'LILLE-01',
  interviewer = 'ENQ-07',
): Promise<void> {
  const withoutServer = page.getByRole('button', { name: TEXT.useWithoutServer });
  const siteField = page.getByLabel(TEXT.site);
  await withoutServer.or(siteField).first().waitFor();
  if (await withoutServer.isVisible()) await withoutServer.click();
  await siteField.fill(site);
  await page.getByLabel(TEXT.interviewer).fill(interviewer);
  await page.getByRole('button', { name: TEXT.save, exact: true }).click();
  await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
}

/**
 * Waits until the lock screen, if one is shown, has been passed (the PIN is typed by the init
 * script of `launchBrowser`): after a page load, before reading the screen.
 */
export async function unlockIfLocked(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('main[data-lock]') === null, null, {
    timeout: 15_000,
  });
}

/** Waits until a service worker controls the page, reloading once if the first visit is not. */
export async function waitForServiceWorkerControl(page: Page): Promise<void> {
  const controlled = () =>
    page
      .waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
        timeout: 20_000,
      })
      .then(
        () => true,
        () => false,
      );
  if (await controlled()) return;
  await page.reload();
  if (!(await controlled())) throw new Error('no service worker controls the page');
}

/** The interview id in the URL (`#/interview/<uuid>`). */
export function interviewIdOf(page: Page): string {
  const match = /#\/interview\/([0-9a-f-]{36})$/.exec(page.url());
  if (!match?.[1]) throw new Error(`not on an interview: ${page.url()}`);
  return match[1];
}

/** The place typed in when a test names none and the tablet has nothing to offer. */
export const DEFAULT_PICKUP_POINT = 'Place de la République';

/** The radio button of a place offered on the pick-up point screen (found by its label). */
export function pickupOption(page: Page, place: string): Locator {
  return page.locator(`input[name="pickup-point"][value=${JSON.stringify(place)}]`);
}

/**
 * On the pick-up point screen (shown after "Nouvel entretien"): chooses `place` (from the list, or
 * typed in as "Autre lieu…"); without one, keeps the place selected already (the last one used),
 * else takes the site's first, else types DEFAULT_PICKUP_POINT; then "Commencer l’entretien".
 */
export async function choosePickupPoint(page: Page, place?: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: TEXT.pickupTitle }).waitFor();
  const options = page.locator('input[name="pickup-point"]');
  const offered = (await options.count()) > 0;
  const typeIn = async (text: string) => {
    if (offered) await page.getByRole('radio', { name: TEXT.pickupOther }).check();
    await page.getByLabel(TEXT.pickupTyped).fill(text);
  };
  if (place !== undefined) {
    if ((await pickupOption(page, place).count()) > 0) await pickupOption(page, place).check();
    else await typeIn(place);
  } else if (!offered) {
    await typeIn(DEFAULT_PICKUP_POINT);
  } else if ((await page.locator('input[name="pickup-point"]:checked').count()) === 0) {
    await options.first().check();
  }
  await page.getByRole('button', { name: TEXT.pickupStart }).click();
}

/**
 * From home: picks the questionnaire (when several are installed), starts, chooses the pick-up
 * point (`choosePickupPoint`), returns the id.
 */
export async function startInterview(
  page: Page,
  questionnaireId?: string,
  pickupPoint?: string,
): Promise<string> {
  if (questionnaireId !== undefined) {
    // The select's name is its label followed by the chosen option ("Questionnaire Démonstration…").
    await page
      .getByRole('combobox', { name: new RegExp(`^${TEXT.questionnaire}\\b`) })
      .selectOption(questionnaireId);
  }
  await page.getByRole('button', { name: TEXT.newInterview }).click();
  await choosePickupPoint(page, pickupPoint);
  await page.waitForURL(/#\/interview\/[0-9a-f-]{36}$/);
  await currentScreen(page);
  return interviewIdOf(page);
}

type StoreName =
  | 'interviews'
  | 'answers'
  | 'finishedAnswers'
  | 'anonymisedAnswers'
  | 'paradata'
  | 'questionnaires'
  | 'settings';

/**
 * Every row of one object store of the app's database, read with the raw IndexedDB API (opened
 * without a version, so it never upgrades or creates the database); `key` narrows to one key.
 * Rows sealed by the tablet's key are opened with it, the key unwrapped with the test tablet's
 * PIN as the app does (kept in the page until it is loaded again), unless `raw` is set: then
 * they come as IndexedDB holds them, their bytes as arrays of numbers.
 */
export async function readIndexedDb<T = unknown>(
  page: Page,
  table: StoreName,
  key?: string | readonly string[],
  { raw = false }: { raw?: boolean } = {},
): Promise<T[]> {
  const rows = await page.evaluate(
    async ({ table, key, pin, raw }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('smpg-collect');
        request.onupgradeneeded = () => {
          request.transaction?.abort();
          reject(new Error('the app has not created its database "smpg-collect"'));
        };
        request.onerror = () => reject(request.error ?? new Error('indexedDB.open failed'));
        request.onsuccess = () => resolve(request.result);
      });
      const getAll = (name: string, query: IDBValidKey | null) =>
        new Promise<unknown[]>((resolve, reject) => {
          const store = db.transaction(name, 'readonly').objectStore(name);
          const request = query === null ? store.getAll() : store.getAll(query);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error ?? new Error('getAll failed'));
        });
      try {
        const rows = (await getAll(table, key as IDBValidKey | null)) as Record<string, unknown>[];
        const sealed = (row: Record<string, unknown>) => row['sealed'] instanceof Uint8Array;
        if (raw)
          return rows.map((row) =>
            Object.fromEntries(
              Object.entries(row).map(([name, value]) => [
                name,
                value instanceof Uint8Array ? [...value] : value,
              ]),
            ),
          );
        if (!rows.some(sealed) && !rows.some((row) => row['sealedPart'] instanceof Uint8Array))
          return rows;
        const cache = globalThis as { smpgTestKey?: Promise<CryptoKey> };
        cache.smpgTestKey ??= (async () => {
          const [ring] = (await getAll('vault', 'keyring')) as {
            pin: {
              salt: Uint8Array<ArrayBuffer>;
              iterations: number;
              iv: Uint8Array<ArrayBuffer>;
              wrapped: Uint8Array<ArrayBuffer>;
            };
          }[];
          if (ring === undefined) throw new Error('sealed rows but no key ring');
          const material = await crypto.subtle.importKey(
            'raw',
            new TextEncoder().encode(pin),
            'PBKDF2',
            false,
            ['deriveKey'],
          );
          const kek = await crypto.subtle.deriveKey(
            {
              name: 'PBKDF2',
              hash: 'SHA-256',
              salt: ring.pin.salt,
              iterations: ring.pin.iterations,
            },
            material,
            { name: 'AES-GCM', length: 256 },
            false,
            ['unwrapKey'],
          );
          return crypto.subtle.unwrapKey(
            'raw',
            ring.pin.wrapped,
            kek,
            { name: 'AES-GCM', iv: ring.pin.iv },
            { name: 'AES-GCM', length: 256 },
            false,
            ['decrypt'],
          );
        })();
        const dataKey = await cache.smpgTestKey;
        const open = async (place: string, bytes: Uint8Array<ArrayBuffer>): Promise<unknown> => {
          const plain = await crypto.subtle.decrypt(
            {
              name: 'AES-GCM',
              iv: bytes.slice(0, 12),
              additionalData: new TextEncoder().encode(place),
            },
            dataKey,
            bytes.slice(12),
          );
          return JSON.parse(new TextDecoder().decode(plain)) as unknown;
        };
        // The places sealed-rows.ts binds each table's ciphertext to.
        const placeOf = (row: Record<string, unknown>): string => {
          const id = String(row['interviewId'] ?? row['id']);
          if (table === 'interviews') return `interviews:${id}`;
          if (table === 'answers') return `answers:${id}:${String(row['itemId'])}`;
          return `${table}:${id}`;
        };
        return Promise.all(
          rows.map(async (row) => {
            if (row['sealedPart'] instanceof Uint8Array) {
              const { sealedPart, ...rest } = row;
              const hidden = await open('settings:device', sealedPart as Uint8Array<ArrayBuffer>);
              return { ...rest, ...(hidden as object) };
            }
            if (!sealed(row)) return row;
            const opened = (await open(
              placeOf(row),
              row['sealed'] as Uint8Array<ArrayBuffer>,
            )) as Record<string, unknown>;
            return table === 'paradata' ? { ...opened, seq: row['seq'] } : opened;
          }),
        );
      } finally {
        db.close();
      }
    },
    { table, key: key ?? null, pin: TABLET_PIN, raw },
  );
  return rows as T[];
}

/** The interview's row and its answers by item id, as stored on the device. */
export async function storedInterview(
  page: Page,
  interviewId: string,
): Promise<{ record: InterviewRecord | undefined; answers: Map<string, Answer> }> {
  const [record] = await readIndexedDb<InterviewRecord>(page, 'interviews', interviewId);
  const rows = await readIndexedDb<AnswerRecord>(page, 'answers');
  const answers = new Map(
    rows.filter((row) => row.interviewId === interviewId).map((row) => [row.itemId, row.value]),
  );
  return { record, answers };
}

/** An answer compared as the app means it: a multiple choice is a set of codes. */
export function normalAnswer(answer: Answer | undefined): unknown {
  return Array.isArray(answer) ? [...(answer as readonly string[])].sort() : answer;
}

/** Waits until the device holds `expected` for the item (polls IndexedDB; at most 5 s). */
export async function waitForStoredAnswer(
  page: Page,
  interviewId: string,
  itemId: string,
  expected: Answer,
): Promise<void> {
  const deadline = Date.now() + 5_000;
  let stored: Answer | undefined;
  for (;;) {
    const [row] = await readIndexedDb<AnswerRecord>(page, 'answers', [interviewId, itemId]);
    stored = row?.value;
    if (isDeepStrictEqual(normalAnswer(stored), normalAnswer(expected))) return;
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(
    `"${itemId}": ${JSON.stringify(expected)} was given but the device holds ${JSON.stringify(stored)}`,
  );
}

export type Screen =
  | { readonly kind: 'item'; readonly id: string }
  | { readonly kind: 'alert'; readonly title: string }
  | { readonly kind: 'review' }
  | { readonly kind: 'end'; readonly title: string };

/** Waits for an interview screen to be shown and says which. */
export async function currentScreen(page: Page): Promise<Screen> {
  const handle = await page.waitForFunction((): Screen | false => {
    const alert = document.querySelector('[role="alertdialog"]');
    if (alert !== null) {
      return { kind: 'alert', title: alert.querySelector('h1')?.textContent ?? '' };
    }
    if (document.getElementById('review-title') !== null) return { kind: 'review' };
    const end = document.querySelector('main.end-screen h1');
    if (end !== null) return { kind: 'end', title: end.textContent ?? '' };
    const id = document.querySelector('section[data-item-id]')?.getAttribute('data-item-id');
    return typeof id === 'string' ? { kind: 'item', id } : false;
  });
  // waitForFunction resolves on a truthy value only.
  return (await handle.jsonValue()) as Screen;
}

/** The section of the item on screen. */
export function itemSection(page: Page, itemId: string): Locator {
  return page.locator(`section[data-item-id="${itemId}"]`);
}

/** What a test reads of an alert before it is acknowledged. */
export type OnAlert = (dialog: Locator) => Promise<void>;

/**
 * Clicks "J’ai appliqué le protocole, continuer" if an alert is shown, after `onAlert` has read
 * it; returns its title.
 */
export async function acknowledgeAlertIfShown(
  page: Page,
  onAlert?: OnAlert,
): Promise<string | undefined> {
  const dialog = page.getByRole('alertdialog');
  if ((await dialog.count()) === 0) return undefined;
  const title = (await dialog.getByRole('heading', { level: 1 }).textContent()) ?? '';
  await onAlert?.(dialog);
  await dialog.getByRole('button', { name: TEXT.alertAcknowledge }).click();
  await dialog.waitFor({ state: 'detached' });
  return title;
}

/** The ids answered on the screen: the grid's rows (the names of its inputs), else the item. */
async function screenTargets(section: Locator, itemId: string): Promise<string[]> {
  const rows = await section
    .locator('.grid-row input')
    .evaluateAll((inputs) => [...new Set(inputs.map((input) => (input as HTMLInputElement).name))]);
  return rows.length > 0 ? rows : [itemId];
}

/** Gives one answer on the screen as an interviewer would. */
export async function giveAnswer(page: Page, itemId: string, id: string, answer: Answer) {
  const section = itemSection(page, itemId);
  if (isNonResponse(answer)) {
    // A grid row's buttons sit in the row; an item's are the section's only ones.
    const scope =
      id === itemId
        ? section
        : section.locator('.grid-row').filter({ has: page.locator(`input[name="${id}"]`) });
    const name = answer.nonResponse === 'dont_know' ? TEXT.dontKnow : TEXT.refused;
    const button = scope.getByRole('button', { name });
    if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
    return;
  }
  const typed = section.locator(`[id="input-${id}"]`);
  if ((await typed.count()) > 0) {
    await typed.fill(String(answer));
    await typed.blur();
    return;
  }
  // Clicks, not check(): an alert raised by the answer replaces the screen before check() could
  // see the box ticked. What was stored is checked afterwards, in IndexedDB.
  const codes = Array.isArray(answer) ? (answer as readonly string[]) : [String(answer)];
  for (const code of codes) {
    const input = section.locator(`input[name="${id}"][value="${code}"]`);
    if (!(await input.isChecked())) await input.click();
  }
  if (Array.isArray(answer)) {
    for (const box of await section.locator(`input[name="${id}"]:checked`).all()) {
      if (!codes.includes((await box.getAttribute('value')) ?? '')) await box.click();
    }
  }
}

/** Clicks "Suivant" and waits for the next screen; throws with the messages if it is refused. */
export async function pressNext(page: Page, fromId: string): Promise<void> {
  await page.getByRole('button', { name: TEXT.next, exact: true }).click();
  const outcome = await page.waitForFunction((from): string | false => {
    if (document.querySelector('[role="alertdialog"]') !== null) return 'alert';
    const section = document.querySelector('section[data-item-id]');
    if (section === null) {
      const elsewhere =
        document.getElementById('review-title') ?? document.querySelector('main.end-screen');
      return elsewhere === null ? false : 'moved';
    }
    if (section.getAttribute('data-item-id') !== from) return 'moved';
    const errors = [...section.querySelectorAll('.field-error')].map((node) => node.textContent);
    return errors.length > 0 ? `refused: ${errors.join(' / ')}` : false;
  }, fromId);
  const result = (await outcome.jsonValue()) as string;
  if (result.startsWith('refused')) throw new Error(`"${fromId}": "${TEXT.next}" ${result}`);
}

/** Clicks "Précédent" and returns the screen it leads to (waits until the screen changes). */
export async function pressBack(page: Page): Promise<Screen> {
  const before = await currentScreen(page);
  const from = before.kind === 'item' ? before.id : before.kind;
  await page.getByRole('button', { name: TEXT.back, exact: true }).click();
  await page.waitForFunction((from) => {
    const id = document.querySelector('section[data-item-id]')?.getAttribute('data-item-id');
    return typeof id === 'string' && id !== from;
  }, from);
  return currentScreen(page);
}

/**
 * Answers the screen shown from `script` (item id or grid row id -> answer; nothing for ids it
 * does not list), checks that each answer reached IndexedDB, acknowledges any alert it raises
 * (after `onAlert` has read it), then clicks "Suivant". Returns the item id and the titles of the alerts raised.
 */
export async function answerCurrentScreen(
  page: Page,
  script: Readonly<Record<string, Answer>>,
  onAlert?: OnAlert,
): Promise<{ id: string; alerts: string[] }> {
  const alerts: string[] = [];
  let screen = await currentScreen(page);
  while (screen.kind === 'alert') {
    alerts.push((await acknowledgeAlertIfShown(page, onAlert)) ?? '');
    screen = await currentScreen(page);
  }
  if (screen.kind !== 'item') throw new Error(`no question on screen (${screen.kind})`);
  const { id } = screen;
  const interviewId = interviewIdOf(page);
  for (const target of await screenTargets(itemSection(page, id), id)) {
    const answer = script[target];
    if (answer === undefined) continue;
    await giveAnswer(page, id, target, answer);
    await waitForStoredAnswer(page, interviewId, target, answer);
    const title = await acknowledgeAlertIfShown(page, onAlert);
    if (title !== undefined) alerts.push(title);
  }
  await pressNext(page, id);
  return { id, alerts };
}

/**
 * Answers screen after screen until the review (or an end screen), or until `stopAt` is shown.
 * `onScreen` runs on each item before it is answered. Returns the items shown, in order, the
 * alert titles seen and the screen it stopped on.
 */
export async function answerUntil(
  page: Page,
  script: Readonly<Record<string, Answer>>,
  options: {
    readonly stopAt?: string;
    readonly onScreen?: (itemId: string) => Promise<void>;
  } = {},
): Promise<{ visited: string[]; alerts: string[]; stoppedOn: Screen }> {
  const visited: string[] = [];
  const alerts: string[] = [];
  for (let guard = 0; guard < 1_000; guard++) {
    const screen = await currentScreen(page);
    if (screen.kind === 'alert') {
      alerts.push((await acknowledgeAlertIfShown(page)) ?? '');
      continue;
    }
    if (screen.kind !== 'item' || screen.id === options.stopAt) {
      return { visited, alerts, stoppedOn: screen };
    }
    await options.onScreen?.(screen.id);
    const result = await answerCurrentScreen(page, script);
    visited.push(result.id);
    alerts.push(...result.alerts);
  }
  throw new Error('the interview does not end');
}

/** On the review screen: "Terminer l’entretien", then waits for the end screen. */
export async function completeInterview(page: Page): Promise<void> {
  await page.getByRole('button', { name: TEXT.complete }).click();
  await page.getByRole('heading', { name: TEXT.completedTitle }).waitFor();
}

export interface AxeViolation {
  readonly screen: string;
  readonly rule: string;
  readonly impact: string | null | undefined;
  readonly help: string;
  readonly nodes: readonly string[];
}

/**
 * Runs axe-core's WCAG 2 A and AA rules on the page (or only the rules `rules` names, e.g.
 * best-practice ones); returns the violations, named by screen.
 */
export async function runAxe(
  page: Page,
  screen: string,
  rules?: readonly string[],
): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    // Evaluated, not added as a <script>: the server's Content-Security-Policy refuses inline ones.
    await page.evaluate(readFileSync(AXE_SCRIPT, 'utf8'));
  }
  const options: RunOptions = {
    runOnly:
      rules === undefined
        ? {
            type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
          }
        : { type: 'rule', values: [...rules] },
  };
  const violations = await page.evaluate(async (runOptions) => {
    const axe = (
      window as unknown as {
        axe: { run(context: Document, options: RunOptions): Promise<AxeResults> };
      }
    ).axe;
    const results = await axe.run(document, runOptions);
    return results.violations.map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map(
        (node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`,
      ),
    }));
  }, options);
  return violations.map((violation) => ({ screen, ...violation }));
}
