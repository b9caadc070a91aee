// Issue #25: SMPG's representation grid (22 behaviours in 2026.2) fits the field on a tablet and a
// phone: compact rows under a sticky header of the choices, one tap per row, the next row brought
// into view after each tap, with the radio groups and their names as a screen reader needs them.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/core/questionnaire/index.ts';
import { DONT_KNOW, localize } from '../../src/core/questionnaire/index.ts';
import { runInterview } from '../helpers/interview-runner.ts';
import { POLICIES } from '../helpers/smpg-personas.ts';
import { PERSONAS } from '../helpers/smpg-personas-2026.2.ts';
import type { RunningApp } from './harness.ts';
import {
  PHONE,
  TABLET,
  answerUntil,
  currentScreen,
  firstRun,
  giveAnswer,
  itemSection,
  pressNext,
  questionnaireFile,
  startApp,
  startInterview,
  storedInterview,
  waitForStoredAnswer,
} from './harness.ts';

const GRID = 'rep_behaviour';

/**
 * Bounds on the height of the grid's screen (question, instruction and rows), well under what it
 * was with every row a block of its own: the issue measured 4,182 px on the tablet and 6,582 px on
 * the phone (this screen of 2026.2, with its 20th row: 4,092 px and 6,630 px), the question alone
 * filling the phone's first screen. Compact, with 22 rows, it measures about 1,540 px and 2,480 px.
 */
const MAX_HEIGHT = { tablet: 1_800, phone: 2_800 } as const;

const q = questionnaireFile('smpg', '2026.2');
const grid = q.itemById.get(GRID)?.item;
if (grid?.type !== 'grid') throw new Error(`${GRID} is not a grid`);
const rows = grid.rows;
const choices = q.itemById.get(GRID)?.choices ?? [];

/** An eligible respondent's answers up to the grid, as the engine walks them. */
function scriptToGrid(): Record<string, Answer> {
  const persona = PERSONAS.find(
    (candidate) => candidate.id === 'recurrent_depression_moderate_risk',
  );
  if (persona === undefined) throw new Error('persona missing');
  const run = runInterview(q, persona.script, { policy: POLICIES[persona.policy] });
  return Object.fromEntries(run.state.answers);
}

/**
 * What of the page the interviewer sees of the grid: below the sticky header (once it sticks) and
 * above the fixed Back/Next bar.
 */
function visibleBand(page: Page): Promise<{ top: number; bottom: number }> {
  return page.evaluate(() => {
    const head = document.querySelector('[data-testid="grid-head"]')?.getBoundingClientRect();
    const nav = document.querySelector('.interview-nav')?.getBoundingClientRect();
    return { top: Math.max(0, head?.bottom ?? 0), bottom: nav?.top ?? window.innerHeight };
  });
}

/** Whether the grid's row `index` is wholly in the visible band. */
async function rowInView(page: Page, index: number): Promise<boolean> {
  const box = await itemSection(page, GRID).locator('.grid-row').nth(index).boundingBox();
  const band = await visibleBand(page);
  return box !== null && box.y >= band.top - 1 && box.y + box.height <= band.bottom + 1;
}

/**
 * Waits until the page has stopped scrolling (the same position over five frames), as the
 * interviewer reads the next row out before tapping it.
 */
function scrollSettled(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        let last = window.scrollY;
        let still = 0;
        const frame = () => {
          still = window.scrollY === last ? still + 1 : 0;
          last = window.scrollY;
          if (still >= 5) resolve();
          else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
  );
}

/** Two animation frames: what an instant scroll needs to have happened. */
function twoFrames(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      ),
  );
}

describe('grids', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
    await app.page.goto(app.baseUrl);
    await firstRun(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  for (const { name, size, reducedMotion } of [
    { name: 'phone', size: PHONE, reducedMotion: 'no-preference' },
    { name: 'tablet', size: TABLET, reducedMotion: 'reduce' },
  ] as const) {
    it(`fits the ${name}: short, a sticky header, one tap per row, the next row in view (${reducedMotion} motion)`, async () => {
      const { page, baseUrl } = app;
      await page.setViewportSize(size);
      await page.emulateMedia({ reducedMotion });
      await page.goto(baseUrl);
      const interviewId = await startInterview(page, 'smpg');
      const before = await answerUntil(page, scriptToGrid(), { stopAt: GRID });
      expect(before.stoppedOn).toEqual({ kind: 'item', id: GRID });
      const section = itemSection(page, GRID);
      const rowBoxes = section.locator('.grid-row');
      expect(await rowBoxes.count()).toBe(rows.length);

      // Short enough, and nothing sticks out sideways.
      const height = (await section.boundingBox())?.height ?? Infinity;
      expect(height, `the grid's screen on a ${name}`).toBeLessThan(MAX_HEIGHT[name]);
      expect(
        await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        ),
      ).toBeLessThanOrEqual(0);

      // The screen-reader names: a radio group per row named by the row, a radio per choice.
      for (const row of rows) {
        const group = section.getByRole('radiogroup', {
          name: localize(q, row.label, 'fr'),
          exact: true,
        });
        expect(await group.count(), row.id).toBe(1);
        for (const choice of choices) {
          const radio = group.getByRole('radio', { name: localize(q, choice.label, 'fr') });
          expect(await radio.count(), `${row.id} ${choice.code}`).toBe(1);
        }
      }

      // One tap per row, from the first screen on: each row is in view when its turn comes.
      const tapped = new Map<string, string>();
      for (const [index, row] of rows.entries()) {
        const code = choices[index % choices.length]?.code ?? '1';
        const why =
          index === 0
            ? `the first row on the ${name}'s first screen`
            : `row ${index + 1} in view after answering row ${index} on the ${name}`;
        // Without motion the row is there two frames after the tap; else once the scroll ends.
        if (reducedMotion === 'no-preference') await scrollSettled(page);
        expect(await rowInView(page, index), why).toBe(true);
        const cell = rowBoxes.nth(index).locator(`label:has(input[value="${code}"])`);
        const box = await cell.boundingBox();
        if (box === null) throw new Error(`${row.id}: no choice ${code} on screen`);
        // A tap where the finger is, without the test scrolling to it first.
        await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
        await waitForStoredAnswer(page, interviewId, row.id, code);
        tapped.set(row.id, code);
        if (reducedMotion === 'reduce') await twoFrames(page);
      }

      // At the last row, the choices' header is still on screen, uncovered.
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await twoFrames(page);
      const header = await page.evaluate(() => {
        const head = document.querySelector('[data-testid="grid-head"]');
        if (head === null) return { visible: false, uncovered: false };
        const box = head.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return {
          visible: box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0,
          uncovered: hit !== null && head.contains(hit),
        };
      });
      expect(header, `the choices' header at the last row on the ${name}`).toEqual({
        visible: true,
        uncovered: true,
      });
      expect(await rowInView(page, rows.length - 1)).toBe(true);

      // The keyboard: arrows move within a row's radio group, and the answer follows.
      const first = rows[0];
      if (first === undefined) throw new Error('no rows');
      await section.locator(`input[name="${first.id}"]:checked`).focus();
      await page.keyboard.press('ArrowRight');
      const next = choices[1]?.code ?? '2';
      await waitForStoredAnswer(page, interviewId, first.id, next);
      tapped.set(first.id, next);

      // "Ne sait pas" per row, then Next: the engine holds exactly what was given.
      const last = rows[rows.length - 1];
      if (last === undefined) throw new Error('no rows');
      await giveAnswer(page, GRID, last.id, DONT_KNOW);
      await waitForStoredAnswer(page, interviewId, last.id, DONT_KNOW);
      const { answers } = await storedInterview(page, interviewId);
      for (const row of rows) {
        expect(answers.get(row.id), row.id).toEqual(
          row.id === last.id ? DONT_KNOW : tapped.get(row.id),
        );
      }
      await pressNext(page, GRID);
      expect(await currentScreen(page)).not.toEqual({ kind: 'item', id: GRID });
    });
  }
});
