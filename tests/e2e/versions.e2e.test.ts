// Issue test 3: a draft stays pinned to the questionnaire version it started with. It is begun on
// demo version 1, version 2 arrives, the draft finishes on version 1 and new interviews use 2.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstalledQuestionnaire } from '../../src/app/storage/index.ts';
import { runInterview } from '../helpers/interview-runner.ts';
import { DEMO_CALM } from './demo-answers.ts';
import type { RunningApp } from './harness.ts';
import {
  DIST,
  TEXT,
  answerUntil,
  completeInterview,
  currentScreen,
  firstRun,
  questionnaireFile,
  readIndexedDb,
  startApp,
  startInterview,
  storedInterview,
} from './harness.ts';

const CATALOGUE = '**/questionnaires/index.json';

interface CatalogueEntry {
  readonly id: string;
  readonly version: string;
}

async function installedVersions(app: RunningApp): Promise<string[]> {
  const rows = await readIndexedDb<InstalledQuestionnaire>(app.page, 'questionnaires');
  return rows.map((row) => `${row.questionnaireId}@${row.version}`).sort();
}

describe('questionnaire versions', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('finishes a version 1 draft on version 1 after version 2 is installed', async () => {
    const { page, context, baseUrl } = app;
    // The server's catalogue as it was before version 2 was published.
    const shipped = JSON.parse(
      readFileSync(join(DIST, 'questionnaires/index.json'), 'utf8'),
    ) as CatalogueEntry[];
    expect(shipped.map((entry) => `${entry.id}@${entry.version}`)).toContain('demo@2');
    let served = 0;
    await context.route(CATALOGUE, (route) => {
      // The service worker's precache fetch reaches the server: what it caches is what the app
      // reads at its next start, as when an app update ships version 2.
      if (route.request().serviceWorker() !== null) return route.fallback();
      served++;
      return route.fulfill({
        json: shipped.filter((entry) => !(entry.id === 'demo' && entry.version === '2')),
      });
    });

    await page.goto(baseUrl);
    await firstRun(page);
    expect(served).toBeGreaterThan(0);
    expect(await installedVersions(app)).toEqual(['demo@1', 'smpg@2026.1', 'smpg@2026.2']);
    const draftId = await startInterview(page, 'demo');
    await answerUntil(page, DEMO_CALM, { stopAt: 'moved_in' });
    expect((await storedInterview(page, draftId)).record?.questionnaireVersion).toBe('1');

    // Version 2 is published: the app installs it at its next start, in the middle of the draft.
    await context.unroute(CATALOGUE);
    await page.reload();
    expect(await currentScreen(page)).toEqual({ kind: 'item', id: 'moved_in' });
    await expect
      .poll(() => installedVersions(app), { timeout: 10_000 })
      .toEqual(['demo@1', 'demo@2', 'smpg@2026.1', 'smpg@2026.2']);

    const rest = await answerUntil(page, DEMO_CALM);
    expect(rest.stoppedOn).toEqual({ kind: 'review' });
    expect(rest.visited).not.toContain('noise');
    const v1 = runInterview(questionnaireFile('demo', '1'), DEMO_CALM).asked;
    expect(['intro', 'consent', 'age', ...rest.visited]).toEqual(v1);
    await completeInterview(page);
    const draft = await storedInterview(page, draftId);
    expect(draft.record).toMatchObject({ questionnaireVersion: '1', status: 'completed' });
    expect(draft.answers.has('noise')).toBe(false);

    // A new interview starts on the newest version, which asks about noise after safety.
    await page.getByRole('button', { name: TEXT.backHome }).click();
    const newId = await startInterview(page, 'demo');
    expect((await storedInterview(page, newId)).record?.questionnaireVersion).toBe('2');
    const fresh = await answerUntil(page, DEMO_CALM);
    expect(fresh.visited).toEqual(runInterview(questionnaireFile('demo', '2'), DEMO_CALM).asked);
    expect(fresh.visited[fresh.visited.indexOf('safety') + 1]).toBe('noise');
    await completeInterview(page);
    expect((await storedInterview(page, newId)).answers.get('noise')).toBe('1');
  });
});
