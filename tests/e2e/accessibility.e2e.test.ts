// Issue test 4: axe-core (WCAG 2 A and AA rules) finds nothing on any screen an interviewer meets,
// and focus follows the screen: the new question, the alert, the review, the end. Issue #25: each
// interview screen has one level-one heading, and headings in order (axe's best-practice rules).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DISTRESS } from './demo-answers.ts';
import type { AxeViolation, RunningApp } from './harness.ts';
import {
  TEXT,
  acknowledgeAlertIfShown,
  answerUntil,
  choosePickupPoint,
  completeInterview,
  currentScreen,
  firstRun,
  giveAnswer,
  interviewIdOf,
  itemSection,
  questionnaireFile,
  runAxe,
  startApp,
  waitForStoredAnswer,
} from './harness.ts';

/** Best-practice rules the WCAG run leaves out, checked on every interview screen. */
const HEADING_RULES = ['page-has-heading-one', 'heading-order'] as const;

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
    const headed: string[] = [];
    const axe = async (screen: string, { interview = true }: { interview?: boolean } = {}) => {
      checked.push(screen);
      violations.push(...(await runAxe(page, screen)));
      if (!interview) return;
      headed.push(screen);
      violations.push(...(await runAxe(page, screen, HEADING_RULES)));
    };

    await page.goto(baseUrl);
    await page.getByRole('button', { name: TEXT.enrol, exact: true }).waitFor();
    await axe('enrolment', { interview: false });
    await page.getByLabel(TEXT.enrolCode).fill('abc');
    await page.getByRole('button', { name: TEXT.enrol, exact: true }).click();
    await page.getByText(TEXT.enrolCodeInvalid).waitFor();
    await axe('enrolment with errors', { interview: false });
    await page.getByRole('button', { name: TEXT.useWithoutServer }).click();
    await page.getByRole('button', { name: TEXT.save, exact: true }).waitFor();
    await axe('setup', { interview: false });
    await page.getByLabel(TEXT.site).fill('x');
    await page.getByRole('button', { name: TEXT.save, exact: true }).click();
    await page.getByText(TEXT.codeFormat).first().waitFor();
    await axe('setup with errors', { interview: false });
    await firstRun(page);
    await axe('home', { interview: false });

    await page
      .getByRole('combobox', { name: new RegExp(`^${TEXT.questionnaire}\\b`) })
      .selectOption('demo');
    await page.getByRole('button', { name: TEXT.newInterview }).click();
    await page.getByRole('heading', { level: 1, name: TEXT.pickupTitle }).waitFor();
    await axe('pick-up point');
    await choosePickupPoint(page);
    await page.waitForURL(/#\/interview\/[0-9a-f-]{36}$/);
    await currentScreen(page);
    const interviewId = interviewIdOf(page);
    const types = new Set<string>();
    const onScreen = async (itemId: string) => {
      const type = q.itemById.get(itemId)?.item.type ?? '?';
      types.add(type);
      await expect
        .poll(() => focusIsIn(page, `section[data-item-id="${itemId}"] h1`), {
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
      .poll(() => focusIsIn(page, 'section[data-item-id="feelings"] h1'), { timeout: 5_000 })
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
    expect(checked.length).toBeGreaterThanOrEqual(19);
    // The pick-up point, the thirteen questions, the age's message, "Ne sait pas", the abandon
    // dialog, the alert, the review and the end.
    expect(headed.length).toBeGreaterThanOrEqual(14);
    expect(violations).toEqual([]);
  });
});
