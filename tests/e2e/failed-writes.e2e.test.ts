// Issue #23's "a write that fails is never passed over", in Chromium with the central server: the
// tablet's IndexedDB writes made to fail (an answer, a move, the end), then the disk itself full
// (the browser's profile on a small tmpfs); the interview waits, retries, and every answer given
// reaches the server.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, rmdirSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itemOf } from '../../src/core/questionnaire/index.ts';
import { anonymiseAnswers, endDayClock } from '../../src/core/record/index.ts';
import type { CentralServer } from './central-server.ts';
import { startCentralServer } from './central-server.ts';
import { DEMO_CALM } from './demo-answers.ts';
import {
  TEXT,
  answerUntil,
  completeInterview,
  currentScreen,
  giveAnswer,
  itemSection,
  launchBrowser,
  pressNext,
  questionnaireFile,
  startInterview,
  unlockIfLocked,
} from './harness.ts';

/** The object stores whose writes the test makes fail: answers, and interviews (moves, ends). */
type FailingStore = 'answers' | 'interviews';

/** What the init script keeps in the page. */
interface FailureControl {
  /** Writes still to fail, by object store (set by the test). */
  readonly failNext: Record<FailingStore, number>;
  /** Writes failed so far, by object store. */
  readonly failed: Record<FailingStore, number>;
  /** Each text the "not saved" notice showed, in order. */
  readonly notices: string[];
}

/**
 * In the page, before the app: `put`, `add` and `delete` of the object stores named in `failNext`
 * throw a QuotaExceededError while their count is above zero (keyed on the store's name, not on
 * what is written: the values may be sealed), and every text of the notice is noted.
 */
function failWritesOnDemand(): void {
  const control: FailureControl = {
    failNext: { answers: 0, interviews: 0 },
    failed: { answers: 0, interviews: 0 },
    notices: [],
  };
  (window as unknown as { smpgWrites: FailureControl }).smpgWrites = control;
  for (const method of ['put', 'add', 'delete'] as const) {
    const original = IDBObjectStore.prototype[method] as (...args: unknown[]) => IDBRequest;
    Object.defineProperty(IDBObjectStore.prototype, method, {
      configurable: true,
      writable: true,
      value(this: IDBObjectStore, ...args: unknown[]): IDBRequest {
        const name = this.name as FailingStore;
        if (name in control.failNext && control.failNext[name] > 0) {
          control.failNext[name] -= 1;
          control.failed[name] += 1;
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        }
        return original.apply(this, args);
      },
    });
  }
  const note = () => {
    const text = document.querySelector('[data-testid="unsaved-notice"]')?.textContent;
    if (text && control.notices.at(-1) !== text) control.notices.push(text);
  };
  new MutationObserver(note).observe(document, {
    childList: true,
    subtree: true,
    characterData: true,
  });
}

async function failNext(page: Page, store: FailingStore, count: number): Promise<void> {
  await page.evaluate(
    ({ store, count }) => {
      (window as unknown as { smpgWrites: FailureControl }).smpgWrites.failNext[store] = count;
    },
    { store, count },
  );
}

async function control(page: Page): Promise<FailureControl> {
  return page.evaluate(() => (window as unknown as { smpgWrites: FailureControl }).smpgWrites);
}

const notice = (page: Page) => page.getByTestId('unsaved-notice');

/** Waits until nothing is left unsaved (the notice gone). */
async function allSaved(page: Page, timeout = 15_000): Promise<void> {
  await notice(page).waitFor({ state: 'detached', timeout });
}

/**
 * Waits until the notice has said that something is not saved (more notices than `shownBefore`:
 * the app hears of a failure after the write is refused), then until it is gone (retried).
 */
async function failedThenSaved(page: Page, shownBefore: number): Promise<void> {
  await expect.poll(async () => (await control(page)).notices.length).toBeGreaterThan(shownBefore);
  await allSaved(page);
}

/** Enrols the tablet with the central server, as sync.e2e.test.ts does, and waits for home. */
async function enrol(page: Page, server: CentralServer): Promise<void> {
  await page.goto(`${server.baseUrl}/`);
  await unlockIfLocked(page);
  await expect.poll(() => page.getByLabel(TEXT.serverUrl).inputValue()).toBe(server.baseUrl);
  const code = await server.api('POST', '/api/v1/sites/lille/enrolment-codes', server.coordinator);
  await page.getByLabel(TEXT.enrolCode).fill(String(code['code']));
  await page.getByLabel(TEXT.interviewer).fill('ENQ-07');
  await page.getByRole('button', { name: TEXT.enrol, exact: true }).click();
  await page.getByRole('button', { name: TEXT.newInterview }).waitFor();
}

/** From the end screen: home, "Synchroniser maintenant", until the server acknowledges it. */
async function sendFromHome(page: Page, interviewId: string): Promise<void> {
  await page.getByRole('button', { name: TEXT.backHome }).click();
  await page.getByRole('button', { name: TEXT.syncNow }).click();
  await page
    .locator(`[data-interview-id="${interviewId}"][data-sync-state="sent"]`)
    .waitFor({ timeout: 20_000 });
}

/** The server holds the interview, completed, with every answer of DEMO_CALM. */
async function expectEveryAnswerOnServer(server: CentralServer, id: string): Promise<void> {
  const stored = await server.store.listRecords({ site: 'lille' }, null, 100);
  const row = stored.find((candidate) => candidate.id === id);
  expect(row, 'the server holds the interview').toBeDefined();
  const body = JSON.parse(row?.body ?? '{}') as {
    status?: string;
    questionnaireVersion?: string;
    endedAt?: string;
    answers?: unknown;
  };
  expect(body.status).toBe('completed');
  const demo = questionnaireFile('demo', body.questionnaireVersion ?? '');
  // DEMO_CALM answers the items of both versions.
  const given = new Map(Object.entries(DEMO_CALM).filter(([item]) => itemOf(demo, item)));
  const expected = anonymiseAnswers(demo, given, endDayClock(body.endedAt ?? '')).answers;
  expect(body.answers).toEqual(expected);
}

describe('a write that fails is never passed over', () => {
  let server: CentralServer;

  beforeAll(async () => {
    server = await startCentralServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('waits for an answer, a move and an end that failed, retries them, and sends every answer', async () => {
    const browser = await launchBrowser();
    try {
      const { page, context } = browser;
      await context.addInitScript(failWritesOnDemand);
      await enrol(page, server);
      const id = await startInterview(page, 'demo');
      await answerUntil(page, DEMO_CALM, { stopAt: 'consent' });

      // The answer's write fails (and keeps failing): ticked, but Next does not pass over it.
      await failNext(page, 'answers', 1_000);
      await giveAnswer(page, 'consent', 'consent', '1');
      await notice(page).waitFor();
      expect(await notice(page).getAttribute('data-storage-full')).toBe('true');
      expect(await notice(page).textContent()).toContain(TEXT.storageFull);
      await page.getByRole('button', { name: TEXT.next, exact: true }).click();
      await notice(page).getByText(TEXT.unsavedBlocks).waitFor();
      expect(await currentScreen(page)).toEqual({ kind: 'item', id: 'consent' });
      // The same choice tapped again, once the storage takes writes, stores it.
      await failNext(page, 'answers', 0);
      await itemSection(page, 'consent').locator('input[name="consent"][value="1"]').click();
      await allSaved(page);
      await pressNext(page, 'consent');

      // One answer's write fails once: retried by itself, then Next goes on.
      await answerUntil(page, DEMO_CALM, { stopAt: 'safety' });
      const before = await control(page);
      await failNext(page, 'answers', 1);
      await giveAnswer(page, 'safety', 'safety', DEMO_CALM['safety'] ?? '1');
      await failedThenSaved(page, before.notices.length);
      expect((await control(page)).failed.answers).toBe(before.failed.answers + 1);

      // The move's write fails once: the next question shows, Next waits until it is stored.
      const beforeMove = await control(page);
      await failNext(page, 'interviews', 1);
      await pressNext(page, 'safety');
      await failedThenSaved(page, beforeMove.notices.length);
      expect((await control(page)).failed.interviews).toBe(1);
      await answerUntil(page, DEMO_CALM);

      // The end's write fails once: the end shows once it is stored.
      await failNext(page, 'interviews', 1);
      await completeInterview(page);
      const { failed, notices } = await control(page);
      expect(failed.interviews).toBe(2);
      const shown = notices.join('\n');
      expect(shown).toContain(TEXT.unsavedProgress);
      expect(shown).toContain(TEXT.unsavedEnd);
      expect(shown).not.toContain(TEXT.saveFailed);

      await sendFromHome(page, id);
      await expectEveryAnswerOnServer(server, id);
    } finally {
      await browser.close();
    }
  });

  describe('with the disk really full', () => {
    const mount = mkdtempSync(join(tmpdir(), 'smpg-full-disk-'));
    let mounted = false;

    beforeAll(() => {
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mount]);
        mounted = true;
      } catch (error) {
        throw new Error(
          `this test needs the browser's profile on a small tmpfs, and "mount -t tmpfs" failed here (it needs root): ${String(error)}`,
          { cause: error },
        );
      }
    });
    afterAll(() => {
      if (mounted) execFileSync('umount', [mount]);
      rmdirSync(mount);
    });

    it('stops the interview, says the tablet is full, and keeps every answer until there is room', async () => {
      // The harness makes the profile in the temporary folder: here, the tmpfs.
      const before = process.env['TMPDIR'];
      process.env['TMPDIR'] = mount;
      let browser: Awaited<ReturnType<typeof launchBrowser>>;
      try {
        browser = await launchBrowser();
      } finally {
        if (before === undefined) delete process.env['TMPDIR'];
        else process.env['TMPDIR'] = before;
      }
      const filler = join(mount, 'filler');
      try {
        const { page, context } = browser;
        await context.addInitScript(failWritesOnDemand);
        await enrol(page, server);
        const id = await startInterview(page, 'demo');
        await answerUntil(page, DEMO_CALM, { stopAt: 'age' });

        // Nothing left on the disk. Chromium keeps its profile there and may free a block (a
        // temporary file removed) right after a fill: filled again, a few times, until none is left.
        for (let round = 0; round < 5; round++) {
          const { bavail, bsize } = statfsSync(mount);
          if (Number(bavail) === 0) break;
          try {
            appendFileSync(filler, Buffer.alloc(Number(bavail) * Number(bsize)));
          } catch (error) {
            // The file's own bookkeeping took a block: what fitted was written.
            if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          }
        }
        expect(Number(statfsSync(mount).bavail)).toBe(0);

        // Answers are given until the storage refuses one (a write may still fit in a page the
        // database's files hold already).
        let stoppedOn: string | undefined;
        for (let guard = 0; guard < 20 && stoppedOn === undefined; guard++) {
          const screen = await currentScreen(page);
          if (screen.kind !== 'item') break;
          const rows = await itemSection(page, screen.id)
            .locator('.grid-row input')
            .evaluateAll((inputs) => [
              ...new Set(inputs.map((input) => (input as HTMLInputElement).name)),
            ]);
          for (const target of rows.length > 0 ? rows : [screen.id]) {
            const answer = DEMO_CALM[target];
            if (answer !== undefined) await giveAnswer(page, screen.id, target, answer);
          }
          const refused = await notice(page)
            .waitFor({ timeout: 2_000 })
            .then(
              () => true,
              () => false,
            );
          if (refused) stoppedOn = screen.id;
          else await pressNext(page, screen.id);
        }
        expect(stoppedOn, 'a write was refused while the disk was full').toBeDefined();
        expect(await notice(page).getAttribute('data-storage-full')).toBe('true');
        expect(await notice(page).textContent()).toContain(TEXT.storageFull);
        expect(await notice(page).textContent()).toContain(TEXT.storageFullAdvice);
        // Next does not go on while full, however often it is tapped.
        for (let tap = 0; tap < 2; tap++) {
          await page.getByRole('button', { name: TEXT.next, exact: true }).click();
          await notice(page).getByText(TEXT.unsavedBlocks).waitFor();
          expect(await currentScreen(page)).toEqual({ kind: 'item', id: stoppedOn });
        }

        // Room again: "Réessayer" stores what was given, and a reload finds it.
        rmSync(filler);
        await notice(page).getByRole('button', { name: TEXT.saveRetry }).click();
        await allSaved(page, 30_000);
        await page.reload();
        await unlockIfLocked(page);
        expect(await currentScreen(page)).toEqual({ kind: 'item', id: stoppedOn });
        await pressNext(page, stoppedOn ?? '');
        await answerUntil(page, DEMO_CALM);
        await completeInterview(page);
        await sendFromHome(page, id);
        await expectEveryAnswerOnServer(server, id);
      } finally {
        rmSync(filler, { force: true });
        await browser.close();
      }
    }, 240_000);
  });
});
