// Issue test 5: pictures of the interview screens on a tablet (1024x768) and a phone (390x844),
// written to test-results/screenshots/ for a person to look at; each must fit its width.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DISTRESS } from './demo-answers.ts';
import type { RunningApp } from './harness.ts';
import {
  PHONE,
  TABLET,
  answerUntil,
  firstRun,
  giveAnswer,
  startApp,
  startInterview,
} from './harness.ts';

const FOLDER = 'test-results/screenshots';
const VIEWPORTS = [
  { name: 'tablet', size: TABLET },
  { name: 'phone', size: PHONE },
] as const;

/** Width and height from a PNG's header (IHDR), or undefined if the bytes are not a PNG. */
function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature)) return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('screenshots', () => {
  let app: RunningApp;
  beforeAll(async () => {
    rmSync(FOLDER, { recursive: true, force: true });
    mkdirSync(FOLDER, { recursive: true });
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('writes the interview screens at tablet and phone sizes', async () => {
    const { page, baseUrl } = app;
    const written: { file: string; width: number; height: number }[] = [];
    const shoot = async (screen: string) => {
      for (const { name, size } of VIEWPORTS) {
        await page.setViewportSize(size);
        // Nothing may stick out sideways: a tablet or phone must never scroll horizontally.
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `${screen} at ${name} width`).toBeLessThanOrEqual(0);
        const file = join(FOLDER, `${name}-${size.width}x${size.height}-${screen}.png`);
        await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
        written.push({ file, ...size });
      }
      await page.setViewportSize(TABLET);
    };

    await page.goto(baseUrl);
    await firstRun(page);
    await startInterview(page, 'demo');
    // A single choice, a number, a multiple choice, the grid, the alert, a text, the review.
    const run = await answerUntil(page, DEMO_DISTRESS, {
      onScreen: async (itemId) => {
        if (['consent', 'age', 'activities'].includes(itemId)) await shoot(`item-${itemId}`);
      },
      stopAt: 'feelings',
    });
    expect(run.stoppedOn).toEqual({ kind: 'item', id: 'feelings' });
    await shoot('item-feelings');
    await giveAnswer(page, 'feelings', 'feel_tired', '2');
    await giveAnswer(page, 'feelings', 'feel_sad', '2');
    await page.getByRole('alertdialog').waitFor();
    await shoot('alert');
    const rest = await answerUntil(page, DEMO_DISTRESS, {
      onScreen: async (itemId) => {
        if (itemId === 'postcode') await shoot(`item-${itemId}`);
      },
    });
    expect(rest.stoppedOn).toEqual({ kind: 'review' });
    await shoot('review');

    const screens = ['consent', 'age', 'activities', 'feelings'].map((id) => `item-${id}`);
    screens.push('alert', 'item-postcode', 'review');
    expect(written.map(({ file }) => file)).toEqual(
      screens.flatMap((screen) =>
        VIEWPORTS.map(({ name, size }) =>
          join(FOLDER, `${name}-${size.width}x${size.height}-${screen}.png`),
        ),
      ),
    );
    for (const { file, width, height } of written) {
      const bytes = readFileSync(file);
      expect(bytes.length, file).toBeGreaterThan(1_000);
      expect(pngSize(bytes), file).toEqual({ width, height });
    }
  });
});
