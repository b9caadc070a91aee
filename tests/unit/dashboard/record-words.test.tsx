// Why the server refused an interview, on the dashboard: every problem core can give is a code
// with its values, read back from the reason the server keeps, and said in French (or English);
// a reason core cannot read keeps the server's English words.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { InterviewRecordWire } from '../../../src/core/protocol/index.ts';
import type { ReviewContext } from '../../../src/core/record/index.ts';
import { reviewRecord } from '../../../src/core/record/index.ts';
import type { RecordProblemCode } from '../../../src/core/record/problems.ts';
import {
  RECORD_PROBLEM_CODES,
  readRecordReason,
  recordProblem,
} from '../../../src/core/record/problems.ts';
import { demoPlan } from '../../../src/server/main.ts';
import { generateInterviews } from '../../../scripts/generate-interviews.ts';
import { ApiError } from '../../../src/dashboard/api.ts';
import { RefusedReason } from '../../../src/dashboard/components/RefusedPanel.tsx';
import { RECORD_WORDS, refusedReasonTexts } from '../../../src/dashboard/record-problems.ts';
import { refusalText } from '../../../src/dashboard/refusals.ts';
import { DASHBOARD_TEXT } from '../../../src/dashboard/text.ts';
import { loadSmpg } from '../../helpers/smpg.ts';

/** A field and values for each code, as check.ts gives them. */
const SAMPLES = {
  record_version: [
    '',
    {
      questionnaire: 'smpg',
      version: '2026.1',
      expectedQuestionnaire: 'smpg',
      expectedVersion: '2026.2',
    },
  ],
  invalid_record: ['', { detail: 'answers.q1 Invalid input' }],
  wrong_site: ['', { site: 'lille', recordSite: 'roubaix' }],
  unknown_version: ['', { questionnaire: 'smpg', version: '1999.1' }],
  no_such_question: ['answers.zz', { questionnaire: 'smpg', version: '2026.2' }],
  identifying: ['answers.name', {}],
  not_asked: ['answers.q9', {}],
  coarsened_form: ['answers.birth', { form: 'year' }],
  answer: ['answers.sex', { detail: 'There is no choice "9" for this question.' }],
  not_a_date: ['startedAt', { value: '"2026-02-30T10:00:00Z"' }],
  ended_before_started: ['endedAt', { value: '2026-06-01T09:00:00Z' }],
  before_earliest: ['startedAt', { value: '2020-01-01T00:00:00Z', earliest: '2024-01-01' }],
  too_long: ['endedAt', {}],
  after_server_time: ['endedAt', { value: '2027-01-01T00:00:00Z' }],
  duration_differs: ['durationSeconds', { sent: '10', computed: '600' }],
  not_a_language: ['language', { value: '"xx"' }],
  calculation_implausible: ['computed.score', { value: '"abc"' }],
  calculation_missing: ['computed.res_dep', { expected: '1' }],
  calculation_differs: [
    'computed.suicide_score',
    {
      sent: '999',
      expected:
        '{"nonResponse":"dont_know"} (undetermined: it reads a non-response and could give more than one value)',
    },
  ],
  not_a_calculation: ['computed.note', {}],
  not_an_alert: ['alertEvents[0].id', { value: '"made_up"' }],
  listed_twice: ['alerts', { value: 'suicide_high' }],
  alert_missing: ['alerts', { alert: 'suicide_high' }],
  screen_out_unexpected: ['screenOutId', { status: 'broken-off' }],
  screen_out_holds: ['status', { status: 'completed', screenOut: 'under_18' }],
  screen_out_missing: ['screenOutId', {}],
  not_a_screen_out: ['screenOutId', { value: '"made_up"' }],
  screen_out_not_holding: ['screenOutId', { screenOut: 'under_18' }],
  not_within: ['breakOff.at', { value: '2026-06-01T12:00:00Z' }],
  break_off_unexpected: ['breakOff', {}],
  break_off_missing: ['breakOff', {}],
  not_an_item_of: ['breakOff.itemId', { value: '"zz"', questionnaire: 'smpg', version: '2026.2' }],
  raised_not_listed: ['alertEvents[1].id', { alert: 'suicide_high' }],
  raised_out_of_order: ['alertEvents[1].raisedAt', {}],
  acknowledged_before_raised: ['alertEvents[0].acknowledgedAt', {}],
  action_twice: ['alertEvents[0].actions', {}],
  never_raised: ['alertEvents', { alert: 'suicide_high' }],
  paradata_not_an_item: ['paradata.itemSeconds.zz', {}],
  paradata_device_only: ['paradata.itemSeconds.name', {}],
  income_bands_item: ['incomeBands.item', { count: '6' }],
  income_band_above: ['answers.income', { value: '"9"', count: '6' }],
  unknown_label_pack: ['labelPacks', { language: 'gcr', revision: '3' }],
} satisfies Record<RecordProblemCode, readonly [string, Readonly<Record<string, string>>]>;

/** English words a French sentence would not have (ids and values aside). */
const ENGLISH =
  /\b(the|is|are|not|and|of|must|says|gives|missing|listed|twice|never|before|between|tablet|record|interview|question was|alert was|there)\b/i;

describe('a record’s problems read back from the reason the server keeps', () => {
  it('gives every code core can produce back, with its field and values', () => {
    for (const code of RECORD_PROBLEM_CODES) {
      const [field, params] = SAMPLES[code];
      const made = recordProblem(field, code, params);
      const [read, ...more] = readRecordReason(made.message);
      expect(more).toEqual([]);
      expect(read, code).toEqual(made);
    }
  });

  it('splits a reason of several problems, a `;` inside a message included', () => {
    const made = (['calculation_missing', 'not_a_date', 'answer', 'record_version'] as const).map(
      (code) => recordProblem(SAMPLES[code][0], code, SAMPLES[code][1]),
    );
    const read = readRecordReason(made.map((problem) => problem.message).join('; '));
    expect(read).toEqual(made);
  });

  it('has words in French and in English for every code', () => {
    for (const words of [RECORD_WORDS.fr, RECORD_WORDS.en])
      expect(Object.keys(words).sort()).toEqual([...RECORD_PROBLEM_CODES].sort());
    for (const code of RECORD_PROBLEM_CODES) {
      const [field, params] = SAMPLES[code];
      const problem = recordProblem(field, code, params);
      const [french] = refusedReasonTexts(problem.message, 'fr');
      const [english] = refusedReasonTexts(problem.message, 'en');
      expect(french, code).not.toBe(problem.message);
      expect(english, code).not.toBe('');
      // Free text the server quotes (the invalid record's detail) is the only English left.
      if (code !== 'invalid_record') expect(french, `${code}: ${french}`).not.toMatch(ENGLISH);
    }
  });
});

describe('a refused record on the dashboard', () => {
  const smpg = loadSmpg('2026.2');
  const plan = demoPlan('lille');
  const context: ReviewContext = {
    deviceId: 'token-device',
    receivedAt: '2026-06-30T12:00:00.000Z',
    plan,
    pickupPoints: [],
  };
  const completed = [
    ...generateInterviews({ questionnaire: smpg, site: 'lille', count: 20, seed: 3, plan }),
  ].find((record) => record.status === 'completed' && 'sex' in record.answers);

  it('says why, field by field, in French', () => {
    expect(completed).toBeDefined();
    if (completed === undefined) return;
    const forged: InterviewRecordWire = {
      ...completed,
      answers: { ...completed.answers, sex: '9' },
      durationSeconds: completed.durationSeconds + 1,
      computed: { ...completed.computed, note: 'x' },
    };
    const review = reviewRecord(smpg, forged, context);
    expect(review.ok).toBe(false);
    if (review.ok) return;
    // Core gives each problem its code and values beside the English message it keeps.
    expect(review.issues.map((issue) => issue.code)).toEqual([
      'answer',
      'duration_differs',
      'not_a_calculation',
    ]);
    expect(review.issues[0]?.params).toMatchObject({ validation: 'unknown_choice', code: '9' });
    expect(review.problems[0]).toBe('answers.sex: There is no choice "9" for this question.');
    // The server keeps the first five, joined (src/server/admit.ts).
    const reason = review.problems.slice(0, 5).join('; ');
    const html = renderToStaticMarkup(<RefusedReason reason={reason} language="fr" />);
    expect(html).toContain(
      '<li>Question sex : Le choix « 9 » n’existe pas pour cette question.</li>',
    );
    expect(html).toContain(
      `<li>Durée : la tablette indique ${forged.durationSeconds} s, ses dates donnent ${completed.durationSeconds} s</li>`,
    );
    expect(html).toContain(
      '<li>Calcul note : ce calcul ne peut pas figurer dans cet entretien</li>',
    );
    expect(html).not.toMatch(/tablet says|There is no choice|not a calculation/);
    const english = renderToStaticMarkup(<RefusedReason reason={reason} language="en" />);
    expect(english).toContain(
      '<li>Question sex: There is no choice &quot;9&quot; for this question.</li>',
    );
  });

  it('keeps, marked as English, what core cannot read', () => {
    const html = renderToStaticMarkup(
      <RefusedReason reason="something a newer server says" language="fr" />,
    );
    expect(html).toBe(
      '<ul class="refused-problems"><li lang="en">something a newer server says</li></ul>',
    );
  });

  it('words a 409 "still refused" on accepting it in French', () => {
    const problem = 'endedAt: the interview would have lasted more than 31 days';
    const failure = new ApiError(409, 'still_refused', `still refused: ${problem}`, undefined, {
      problem,
    });
    expect(refusalText(failure, DASHBOARD_TEXT.fr, { language: 'fr' })).toContain(
      'Fin : l’entretien aurait duré plus de 31 jours',
    );
  });
});
