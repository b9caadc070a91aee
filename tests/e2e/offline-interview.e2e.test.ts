// Issue test 1: after one visit online the tablet runs a whole SMPG interview with the network
// cut, and the completed record is in IndexedDB with every answer the persona gave.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/core/questionnaire/index.ts';
import { runInterview } from '../helpers/interview-runner.ts';
import { PERSONAS } from '../helpers/smpg-personas-2026.2.ts';
import { POLICIES } from '../helpers/smpg-personas.ts';
import type { RunningApp } from './harness.ts';
import {
  TEXT,
  answerUntil,
  completeInterview,
  firstRun,
  normalAnswer,
  questionnaireFile,
  readIndexedDb,
  startApp,
  startInterview,
  storedInterview,
  waitForServiceWorkerControl,
} from './harness.ts';

// The persona whose path goes furthest into the app: a recurrent depression with its follow-up,
// and the moderate suicide-risk alert, which must show and be acknowledged offline too. New
// interviews start on the newest version shipped: 2026.2.
const PERSONA_ID = 'recurrent_depression_moderate_risk';

describe('offline SMPG interview', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('runs and completes a scripted persona with the network off', async () => {
    const persona = PERSONAS.find((candidate) => candidate.id === PERSONA_ID);
    if (persona === undefined) throw new Error(`persona ${PERSONA_ID} is missing`);
    // The engine's own walk of the persona says which screens come and what ends up answered.
    const q = questionnaireFile('smpg', '2026.2');
    const expected = runInterview(q, persona.script, { policy: POLICIES[persona.policy] });
    expect(expected.step.kind).toBe('end');
    const script: Record<string, Answer> = Object.fromEntries(expected.state.answers);

    const { page, context, baseUrl } = app;
    await page.goto(baseUrl);
    await firstRun(page);
    await waitForServiceWorkerControl(page);

    await context.setOffline(true);
    await page.reload();
    // The network really is gone: only what the service worker precached can load.
    const network = await page.evaluate(() =>
      fetch(`/not-precached-${Date.now()}.txt`).then(
        () => 'reached',
        () => 'failed',
      ),
    );
    expect(network).toBe('failed');

    const interviewId = await startInterview(page);
    const run = await answerUntil(page, script);
    expect(run.stoppedOn).toEqual({ kind: 'review' });
    expect(run.visited).toEqual(expected.asked);
    expect(run.alerts).toHaveLength(persona.expected.alerts.length);
    await completeInterview(page);

    const { record, answers } = await storedInterview(page, interviewId);
    expect(record).toMatchObject({
      questionnaireId: 'smpg',
      questionnaireVersion: '2026.2',
      status: 'completed',
      site: 'LILLE-01',
      interviewer: 'ENQ-07',
    });
    expect(record?.alerts?.map((alert) => alert.id)).toEqual(persona.expected.alerts);
    expect(answers.size).toBe(expected.state.answers.size);
    for (const [id, answer] of expected.state.answers) {
      expect(normalAnswer(answers.get(id)), id).toEqual(normalAnswer(answer));
    }
    const paradata = await readIndexedDb<{ interviewId: string; type: string; detail?: string }>(
      page,
      'paradata',
    );
    expect(paradata).toContainEqual(
      expect.objectContaining({ interviewId, type: 'status', detail: 'completed' }),
    );

    // Still offline, the home screen counts it.
    await page.getByRole('button', { name: TEXT.backHome }).click();
    await expect
      .poll(() => page.getByTestId('completed-total').textContent(), { timeout: 5_000 })
      .toBe('1');
  });
});
