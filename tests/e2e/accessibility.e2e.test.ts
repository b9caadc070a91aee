// Issue test 4: axe-core (WCAG 2 A and AA rules) finds nothing on any screen an interviewer meets,
// and focus follows the screen: the new question, the alert, the review, the end.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DISTRESS } from './demo-answers.ts';
import type { AxeViolation, RunningApp } from './harness.ts';
import {
  TEXT,
  acknowledgeAlertIfShown,
  answerUntil,
  completeInterview,
  firstRun,
  giveAnswer,
  itemSection,
  questionnaireFile,
  runAxe,
  startApp,
  startInterview,
  waitForStoredAnswer,
} from './harness.ts';

/** Where the keyboard focus is: the element a CSS selector names must hold it (or contain it). */
function focusIsIn(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((selector) => {
    const target = document.querySelector(selector);
    return target !== null && target.contains(document.activeElement);
  }, selector);
}

describe('accessibility', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('has no WCAG A/AA violation on any screen, and moves focus to each new screen', async () => {
    const { page, baseUrl } = app;
    const q = questionnaireFile('demo', '2');
    const violations: AxeViolation[] = [];
    const checked: string[] = [];
    const axe = async (screen: string) => {
      checked.push(screen);
      violations.push(...(await runAxe(page, screen)));
    };

    await page.goto(baseUrl);
    await page.getByRole('button', { name: TEXT.enrol, exact: true }).waitFor();
    await axe('enrolment');
    await page.getByLabel(TEXT.enrolCode).fill('abc');
    await page.getByRole('button', { name: TEXT.enrol, exact: true }).click();
    await page.getByText(TEXT.enrolCodeInvalid).waitFor();
    await axe('enrolment with errors');
    await page.getByRole('button', { name: TEXT.useWithoutServer }).click();
    await page.getByRole('button', { name: TEXT.save, exact: true }).waitFor();
    await axe('setup');
    await page.getByLabel(TEXT.site).fill('x');
    await page.getByRole('button', { name: TEXT.save, exact: true }).click();
    await page.getByText(TEXT.codeFormat).first().waitFor();
    await axe('setup with errors');
    await firstRun(page);
    await axe('home');

    const interviewId = await startInterview(page, 'demo');
    const types = new Set<string>();
    const onScreen = async (itemId: string) => {
      const type = q.itemById.get(itemId)?.item.type ?? '?';
      types.add(type);
      await expect
        .poll(() => focusIsIn(page, `section[data-item-id="${itemId}"] h2`), {
          message: `focus on the question of "${itemId}"`,
          timeout: 5_000,
        })
        .toBe(true);
      await axe(`${type} item "${itemId}"`);
      if (itemId === 'age') {
        await giveAnswer(page, itemId, itemId, 200);
        await itemSection(page, itemId).locator('.field-error').waitFor();
        await axe('integer item "age" with a validation message');
      }
      if (itemId === 'safety') {
        await giveAnswer(page, itemId, itemId, DEMO_DISTRESS[itemId] ?? '');
        await waitForStoredAnswer(page, interviewId, itemId, DEMO_DISTRESS[itemId] ?? '');
        await axe('single item "safety" with "Ne sait pas" pressed');
      }
      if (itemId === 'postcode') {
        await page.getByRole('button', { name: TEXT.abandon }).click();
        await expect.poll(() => focusIsIn(page, '[role="dialog"]'), { timeout: 5_000 }).toBe(true);
        await axe('abandon dialog');
        await page.getByRole('button', { name: TEXT.cancel }).click();
      }
    };

    // Up to the grid, whose answers raise the distress alert.
    expect(
      (await answerUntil(page, DEMO_DISTRESS, { onScreen, stopAt: 'feelings' })).alerts,
    ).toEqual([]);
    await onScreen('feelings');
    await giveAnswer(page, 'feelings', 'feel_tired', '2');
    await giveAnswer(page, 'feelings', 'feel_sad', '2');
    await page.getByRole('alertdialog').waitFor();
    await expect.poll(() => focusIsIn(page, '[role="alertdialog"]'), { timeout: 5_000 }).toBe(true);
    await axe('alert');
    expect(await acknowledgeAlertIfShown(page)).toBe('Détresse importante');
    await expect
      .poll(() => focusIsIn(page, 'section[data-item-id="feelings"] h2'), { timeout: 5_000 })
      .toBe(true);

    const rest = await answerUntil(page, DEMO_DISTRESS, { onScreen });
    expect(rest.stoppedOn).toEqual({ kind: 'review' });
    expect(rest.visited).toContain('sad_note');
    await expect.poll(() => focusIsIn(page, '#review-title'), { timeout: 5_000 }).toBe(true);
    await axe('review');

    await completeInterview(page);
    await expect.poll(() => focusIsIn(page, 'main.end-screen h1'), { timeout: 5_000 }).toBe(true);
    await axe('end of the interview');

    expect([...types].sort()).toEqual([
      'date',
      'decimal',
      'grid',
      'integer',
      'multiple',
      'note',
      'single',
      'text',
    ]);
    expect(checked.length).toBeGreaterThanOrEqual(18);
    expect(violations).toEqual([]);
  });
});
