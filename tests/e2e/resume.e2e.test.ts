// Issue test 2: an interview survives a reload at any point, and closing the page: it comes back
// at the same item with every answer, on screen and in IndexedDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOW_AT_LATEST_MS } from '../../src/app/interview/useInterview.ts';
import type { ParadataEvent } from '../../src/app/storage/index.ts';
import { runInterview } from '../helpers/interview-runner.ts';
import { DEMO_CALM } from './demo-answers.ts';
import type { RunningApp } from './harness.ts';
import {
  TEXT,
  answerUntil,
  completeInterview,
  currentScreen,
  firstRun,
  giveAnswer,
  itemSection,
  normalAnswer,
  pressBack,
  pressNext,
  questionnaireFile,
  readIndexedDb,
  startApp,
  startInterview,
  storedInterview,
  waitForStoredAnswer,
} from './harness.ts';

describe('resuming a draft', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
    await app.page.goto(app.baseUrl);
    await firstRun(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('comes back at the same item with every answer after reloads at three points', async () => {
    const { page } = app;
    const id = await startInterview(page, 'demo');
    let opened = 1;
    const reload = async () => {
      await page.reload();
      opened++;
      return currentScreen(page);
    };
    const checked = (itemId: string, name: string, code: string) =>
      itemSection(page, itemId).locator(`input[name="${name}"][value="${code}"]`).isChecked();

    // 1. A number typed but not yet confirmed with "Suivant".
    await answerUntil(page, DEMO_CALM, { stopAt: 'age' });
    await giveAnswer(page, 'age', 'age', 40);
    await waitForStoredAnswer(page, id, 'age', 40);
    expect(await reload()).toEqual({ kind: 'item', id: 'age' });
    expect(await page.locator('#input-age').inputValue()).toBe('40');
    expect((await storedInterview(page, id)).record?.position).toBe('age');
    expect(await pressBack(page)).toEqual({ kind: 'item', id: 'consent' });
    expect(await checked('consent', 'consent', '1')).toBe(true);
    await pressNext(page, 'consent');

    // 2. Half-way through a grid.
    await answerUntil(page, DEMO_CALM, { stopAt: 'feelings' });
    await giveAnswer(page, 'feelings', 'feel_tired', '1');
    await waitForStoredAnswer(page, id, 'feel_tired', '1');
    expect(await reload()).toEqual({ kind: 'item', id: 'feelings' });
    expect(await checked('feelings', 'feel_tired', '1')).toBe(true);
    expect(
      await itemSection(page, 'feelings').locator('input[name="feel_sad"]:checked').count(),
    ).toBe(0);
    expect(await pressBack(page)).toEqual({ kind: 'item', id: 'work_hours' });
    expect(await page.locator('#input-work_hours').inputValue()).toBe('20.5');
    expect(await pressBack(page)).toEqual({ kind: 'item', id: 'activities' });
    expect(await checked('activities', 'activities', 'shop')).toBe(true);
    expect(await checked('activities', 'activities', 'work')).toBe(true);
    expect(await checked('activities', 'activities', 'sport')).toBe(false);

    // 3. On the review screen.
    const rest = await answerUntil(page, DEMO_CALM);
    expect(rest.stoppedOn).toEqual({ kind: 'review' });
    expect(await reload()).toEqual({ kind: 'review' });
    const review = page.locator('.review-list');
    await expect
      .poll(() => review.textContent(), { timeout: 5_000 })
      .toContain('Des courses, Je travaille');
    expect(await review.textContent()).toContain('59000');
    expect(await review.textContent()).toContain('Plus de bancs et de parcs');

    // Every answer is on the device, exactly those the engine expects for this respondent.
    const { record, answers } = await storedInterview(page, id);
    const q = questionnaireFile('demo', record?.questionnaireVersion ?? '');
    const expected = runInterview(q, DEMO_CALM).state.answers;
    expect(new Map([...answers].map(([key, value]) => [key, normalAnswer(value)]))).toEqual(
      new Map([...expected].map(([key, value]) => [key, normalAnswer(value)])),
    );
    // One "resume" per opening: the interview loads once each time, not on every render.
    const events = await readIndexedDb<ParadataEvent>(page, 'paradata');
    const resumes = events.filter((event) => event.interviewId === id && event.type === 'resume');
    expect(resumes).toHaveLength(opened);

    await completeInterview(page);
    expect((await storedInterview(page, id)).record?.status).toBe('completed');
  });

  it('comes back from the home screen after the page is closed', async () => {
    const { context, baseUrl } = app;
    const first = app.page;
    await first.goto(baseUrl);
    const id = await startInterview(first, 'demo');
    await answerUntil(first, DEMO_CALM, { stopAt: 'activities' });
    await giveAnswer(first, 'activities', 'activities', ['sport']);
    await waitForStoredAnswer(first, id, 'activities', ['sport']);
    await first.close();

    const page = await context.newPage();
    await page.goto(baseUrl);
    const drafts = page.getByRole('region', { name: TEXT.drafts });
    const resume = drafts.locator(`li[data-draft-id="${id}"]`).getByRole('button', {
      name: TEXT.resume,
    });
    await resume.waitFor();
    expect(await drafts.textContent()).toContain('Que faites-vous dans le quartier ?');
    await resume.click();
    expect(await currentScreen(page)).toEqual({ kind: 'item', id: 'activities' });
    expect(page.url()).toBe(`${baseUrl}#/interview/${id}`);
    const activities = itemSection(page, 'activities');
    expect(await activities.locator('input[value="sport"]').isChecked()).toBe(true);
    expect(await activities.locator('input[value="shop"]').isChecked()).toBe(false);
    expect(await pressBack(page)).toEqual({ kind: 'item', id: 'moved_in' });
    expect(await page.locator('#input-moved_in').inputValue()).toBe('2015-03-01');
  });

  it('keeps every tap given faster than the screen redraws, on screen and stored', async () => {
    const page = await app.context.newPage();
    await page.goto(app.baseUrl);
    const id = await startInterview(page, 'demo');
    await answerUntil(page, DEMO_CALM, { stopAt: 'activities' });
    // Taps in one task: the screen follows them once stored, or SHOW_AT_LATEST_MS after the
    // first at the latest (useInterview), and each tap must build on the one before it. The boxes
    // are read once that time is up (a timer set after the app's, for as long, runs after it).
    const tap = (codes: readonly string[]) =>
      page.evaluate(
        async ({ codes, latest }) => {
          const section = document.querySelector('section[data-item-id="activities"]');
          for (const code of codes)
            section?.querySelector<HTMLInputElement>(`input[value="${code}"]`)?.click();
          await new Promise((resolve) => setTimeout(resolve, latest));
          return [...(section?.querySelectorAll<HTMLInputElement>('input:checked') ?? [])].map(
            (input) => input.value,
          );
        },
        { codes, latest: SHOW_AT_LATEST_MS },
      );
    expect(await tap(['sport', 'shop'])).toEqual(['shop', 'sport']);
    await waitForStoredAnswer(page, id, 'activities', ['shop', 'sport']);
    // "Rien de tout cela" stands alone, and goes when another activity is ticked.
    expect(await tap(['none'])).toEqual(['none']);
    await waitForStoredAnswer(page, id, 'activities', ['none']);
    expect(await tap(['work', 'shop', 'work'])).toEqual(['shop']);
    await waitForStoredAnswer(page, id, 'activities', ['shop']);
    // A tap on a cleared answer, then "Ne sait pas": no box stays ticked (the tap is the screen's
    // no more, though what the boxes come from is again what it was when it was given), and a tap
    // after it answers again.
    expect(await tap(['shop'])).toEqual([]);
    await expect
      .poll(async () => (await readIndexedDb(page, 'answers', [id, 'activities'])).length)
      .toBe(0);
    expect(await tap(['work'])).toEqual(['work']);
    await waitForStoredAnswer(page, id, 'activities', ['work']);
    const dontKnow = itemSection(page, 'activities').getByRole('button', { name: TEXT.dontKnow });
    await dontKnow.click();
    await waitForStoredAnswer(page, id, 'activities', { nonResponse: 'dont_know' });
    await expect.poll(() => dontKnow.getAttribute('aria-pressed')).toBe('true');
    expect(await tap([])).toEqual([]);
    expect(await tap(['shop'])).toEqual(['shop']);
    await waitForStoredAnswer(page, id, 'activities', ['shop']);
    await expect.poll(() => dontKnow.getAttribute('aria-pressed')).toBe('false');
    // A write held back (a slow disk; here another transaction on the answers store) does not
    // hold the tap back: it shows SHOW_AT_LATEST_MS after it and stays in the next frame, and is
    // stored once the write goes through.
    const shownWhileHeld = await page.evaluate(
      async ({ id, latest }) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open('smpg-collect');
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error ?? new Error('indexedDB.open failed'));
        });
        const holder = db.transaction('answers', 'readwrite');
        const answers = holder.objectStore('answers');
        // Reads the stored answer again and again until released: the transaction stays active.
        // The row is sealed by the tablet's key: its bytes tell whether it was written meanwhile.
        let holding = true;
        let first: string | undefined;
        let changedMeanwhile = false;
        const hold = () => {
          if (!holding) return;
          const request = answers.get([id, 'activities']);
          request.onsuccess = () => {
            const sealed = (request.result as { sealed?: Uint8Array } | undefined)?.sealed;
            const bytes = sealed === undefined ? 'none' : sealed.join(',');
            first ??= bytes;
            if (bytes !== first) changedMeanwhile = true;
            hold();
          };
        };
        hold();
        const section = document.querySelector('section[data-item-id="activities"]');
        section?.querySelector<HTMLInputElement>('input[value="work"]')?.click();
        const checked = () =>
          [...(section?.querySelectorAll<HTMLInputElement>('input:checked') ?? [])].map(
            (input) => input.value,
          );
        const shown: string[][] = [];
        await new Promise((resolve) => setTimeout(resolve, latest));
        shown.push(checked());
        await new Promise((resolve) => requestAnimationFrame(resolve));
        shown.push(checked());
        holding = false;
        await new Promise((resolve) => holder.addEventListener('complete', resolve));
        db.close();
        return { shown, changedMeanwhile };
      },
      { id, latest: SHOW_AT_LATEST_MS },
    );
    expect(shownWhileHeld).toEqual({
      shown: [
        ['shop', 'work'],
        ['shop', 'work'],
      ],
      changedMeanwhile: false,
    });
    await waitForStoredAnswer(page, id, 'activities', ['shop', 'work']);
    await page.reload();
    expect(await currentScreen(page)).toEqual({ kind: 'item', id: 'activities' });
    expect(await tap([])).toEqual(['shop', 'work']);

    // Radios: one tapped, then the one ticked before tapped back, before the screen redraws. The
    // page shows the ticked one until then, so the second tap changes nothing on it: it must
    // still count. A tap on another row after them, once stored, says both went through (the
    // store commits writes in order).
    await answerUntil(page, DEMO_CALM, { stopAt: 'feelings' });
    const grid = (taps: readonly (readonly [string, string])[]) =>
      page.evaluate(
        async ({ taps, latest }) => {
          const section = document.querySelector('section[data-item-id="feelings"]');
          for (const [row, code] of taps)
            section
              ?.querySelector<HTMLInputElement>(`input[name="${row}"][value="${code}"]`)
              ?.click();
          await new Promise((resolve) => setTimeout(resolve, latest));
          return [...(section?.querySelectorAll<HTMLInputElement>('input:checked') ?? [])].map(
            (input) => `${input.name}=${input.value}`,
          );
        },
        { taps, latest: SHOW_AT_LATEST_MS },
      );
    expect(await grid([['feel_tired', '0']])).toEqual(['feel_tired=0']);
    await waitForStoredAnswer(page, id, 'feel_tired', '0');
    expect(
      await grid([
        ['feel_tired', '1'],
        ['feel_tired', '0'],
        ['feel_sad', '0'],
      ]),
    ).toEqual(['feel_tired=0', 'feel_sad=0']);
    await waitForStoredAnswer(page, id, 'feel_sad', '0');
    const [tired] = await readIndexedDb<{ value: unknown }>(page, 'answers', [id, 'feel_tired']);
    expect(tired?.value).toBe('0');
  });
});
