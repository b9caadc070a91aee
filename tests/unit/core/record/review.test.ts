// The server's review of an uploaded record: it believes the answers and recomputes the rest.
// Each forgery a tablet could send (a computed score, an alert hidden or made up, a screen-out
// reason, dates, quota categories, another tablet's id, free text in paradata) is refused with
// the field named, or replaced by what the server computes.
import { describe, expect, it } from 'vitest';
import type { AnswerWalk, InterviewRecordWire } from '../../../../src/core/protocol/index.ts';
import {
  InterviewRecordSchema,
  isPlainInterviewRecord,
} from '../../../../src/core/protocol/index.ts';
import type { ReviewContext } from '../../../../src/core/record/index.ts';
import { deviceOnly, instant, reviewRecord } from '../../../../src/core/record/index.ts';
import { demoPlan } from '../../../../src/server/main.ts';
import { generateInterviews } from '../../../../scripts/generate-interviews.ts';
import { loadSmpg } from '../../../helpers/smpg.ts';
import { loadQuestionnaire } from '../../../../src/core/questionnaire/index.ts';
import { readFileSync } from 'node:fs';
import { makeRecord } from '../../../helpers/records.ts';
import { isScreeningItem, recordFigures } from '../../../../src/core/record/quality.ts';

const smpg = loadSmpg();
const plan = demoPlan('lille');
const records = [
  ...generateInterviews({ questionnaire: smpg, site: 'lille', count: 300, seed: 11, plan }),
];
const context: ReviewContext = {
  deviceId: 'token-device',
  receivedAt: '2026-06-30T12:00:00.000Z',
  plan,
  pickupPoints: ['Marché de Wazemmes', 'Gare Lille-Flandres'],
};

function find(what: string, test: (record: InterviewRecordWire) => boolean): InterviewRecordWire {
  const found = records.find(test);
  if (found === undefined) throw new Error(`no generated record ${what}`);
  return found;
}
const completed = find('completed', (r) => r.status === 'completed');
const alerted = find('with an alert', (r) => r.alerts.includes('suicide_high'));
const screenedOut = find(
  'screened out',
  (r) => r.status === 'screened_out' && r.screenOutId !== 'quota_full',
);

function problems(record: InterviewRecordWire): string {
  const review = reviewRecord(smpg, record, context);
  return review.ok ? '' : review.problems.join('; ');
}

describe('reviewRecord', () => {
  it('accepts what the app makes, every one of 300 generated interviews', () => {
    const refused = records.filter((record) => !reviewRecord(smpg, record, context).ok);
    expect(refused.map((record) => problems(record))).toEqual([]);
    expect(records.filter((r) => r.status === 'screened_out').length).toBeGreaterThan(5);
  });

  it('reviews the same with the answers the upload fast path read as without them', () => {
    // As an upload reaches the server (through JSON), with a forged answer in every fifth record.
    const received = records.map((record, i) => {
      const copy = JSON.parse(JSON.stringify(record)) as InterviewRecordWire;
      return i % 5 === 0 ? { ...copy, answers: { ...copy.answers, age: 'old' } } : copy;
    });
    let refusedCount = 0;
    for (const record of received) {
      const walk: AnswerWalk = { ids: [], values: [] };
      expect(isPlainInterviewRecord(record, walk)).toBe(true);
      expect(walk.ids).toEqual(Object.keys(record.answers));
      expect(walk.values).toEqual(Object.values(record.answers));
      const review = reviewRecord(smpg, record, context, { walk });
      expect(review).toEqual(reviewRecord(smpg, record, context));
      if (!review.ok) refusedCount += 1;
    }
    expect(refusedCount).toBe(Math.ceil(received.length / 5));
  });

  it('reviews each record alike whatever was reviewed before it (the arrays reused between records)', () => {
    // A state's arrays are written over by the next record's review: a value left over from one
    // record would change another's review with the order.
    const forward = records.map((record) => reviewRecord(smpg, record, context));
    const backward = [...records].reverse().map((record) => reviewRecord(smpg, record, context));
    expect(backward.reverse()).toEqual(forward);
    const undetermined = forward.filter(
      (review) =>
        review.ok && Object.values(review.record.computed).some((v) => typeof v === 'object'),
    );
    expect(undetermined.length).toBeGreaterThan(10);
  });

  it('refuses a forged score or module result, naming the field', () => {
    expect(
      problems({ ...completed, computed: { ...completed.computed, suicide_score: 999 } }),
    ).toMatch(/^computed\.suicide_score: the tablet says 999, the questionnaire gives /);
    const forged = completed.computed['res_suicide'] === 1 ? 0 : 1;
    expect(
      problems({ ...completed, computed: { ...completed.computed, res_suicide: forged } }),
    ).toMatch(/computed\.res_suicide: the tablet says/);
    const withoutResult = { ...completed.computed };
    delete withoutResult['res_dep'];
    expect(problems({ ...completed, computed: withoutResult })).toMatch(
      /computed\.res_dep: missing/,
    );
    expect(
      problems({ ...completed, computed: { ...completed.computed, note: 'Jean, 12 rue X' } }),
    ).toMatch(/computed\.note: not a calculation this record can have/);
    // A calculation of the version that is not relevant to this respondent is not theirs either.
    const calculations = smpg.items.filter((entry) => entry.item.type === 'calculate');
    const withGap = records.find((record) =>
      calculations.some((entry) => !(entry.item.id in record.computed)),
    );
    const gap = calculations.find((entry) => !(entry.item.id in (withGap?.computed ?? {})));
    expect(withGap !== undefined && gap !== undefined).toBe(true);
    if (withGap === undefined || gap === undefined) return;
    expect(problems({ ...withGap, computed: { ...withGap.computed, [gap.item.id]: 0 } })).toMatch(
      new RegExp(`computed\\.${gap.item.id}: not a calculation this record can have`),
    );
  });

  it('refuses an alert made up or hidden, and a repeated one', () => {
    expect(problems({ ...completed, alerts: [...completed.alerts, 'made_up'] })).toMatch(
      /alerts: "made_up" is not an alert of this version/,
    );
    expect(problems({ ...alerted, alerts: [] })).toMatch(
      /alerts: suicide_high holds given the answers but is missing/,
    );
    expect(problems({ ...alerted, alerts: ['suicide_high', 'suicide_high'] })).toMatch(
      /listed twice/,
    );
  });

  it('refuses a screen-out reason that is unknown or does not hold, and a completed one that should have ended', () => {
    expect(problems({ ...screenedOut, screenOutId: 'bored' })).toMatch(
      /screenOutId: "bored" is not a screen-out of this version/,
    );
    const other = smpg.screenOuts.find(({ screenOut }) => screenOut.id !== screenedOut.screenOutId);
    expect(problems({ ...screenedOut, screenOutId: other?.screenOut.id ?? '' })).toMatch(
      /does not hold given the answers/,
    );
    const asCompleted: InterviewRecordWire = { ...screenedOut };
    delete (asCompleted as { screenOutId?: string }).screenOutId;
    expect(problems({ ...asCompleted, status: 'completed' })).toMatch(
      /status: completed, but the screen-out/,
    );
    expect(problems({ ...completed, screenOutId: 'under_18' })).toMatch(
      /a completed interview has no screen-out/,
    );
  });

  it('refuses dates that are not real instants or not plausible, and a duration that is not theirs', () => {
    // The wire pattern lets these through; the review does not.
    const impossible = { ...completed, startedAt: '2026-13-45T99:99:99Z' };
    expect(InterviewRecordSchema.safeParse(impossible).success).toBe(true);
    expect(problems(impossible)).toMatch(
      /startedAt: "2026-13-45T99:99:99Z" is not a real date and time/,
    );
    expect(problems({ ...completed, endedAt: '2026-02-30T10:00:00Z' })).toMatch(
      /endedAt: .* not a real date/,
    );
    expect(problems({ ...completed, startedAt: '2019-05-01T10:00:00Z' })).toMatch(
      /startedAt: .* is before 2024-01-01/,
    );
    expect(problems({ ...completed, endedAt: '2026-08-01T10:00:00Z' })).toMatch(
      /more than a day after the server/,
    );
    expect(problems({ ...completed, durationSeconds: completed.durationSeconds + 600 })).toMatch(
      /durationSeconds: the tablet says \d+, its dates give \d+/,
    );
    expect(problems({ ...completed, language: 'xx' })).toMatch(/language: "xx" is not a language/);
    expect(instant('2026-06-15T10:00:00.000+02:00')).toBe(Date.parse('2026-06-15T08:00:00.000Z'));
    expect(instant('2026-06-15T24:00:00Z')).toBeUndefined();
  });

  it('stores the token’s device, the site plan’s categories and a marked typed-in pick-up point', () => {
    const sent = {
      ...completed,
      deviceId: 'another-tablet',
      quotaCategories: { sex: '9', age: '18-24', made_up: 'x' },
      pickupPoint: '  gare   lille-flandres ',
    };
    const review = reviewRecord(smpg, sent, context);
    expect(review.ok).toBe(true);
    if (!review.ok) return;
    expect(review.record.deviceId).toBe('token-device');
    expect(review.record.quotaCategories).toEqual(completed.quotaCategories);
    expect(Object.keys(review.record.quotaCategories).sort()).toEqual(['age', 'sex']);
    expect(review.record.pickupPoint).toBe('gare lille-flandres');
    expect(review.record.pickupPointTyped).toBeUndefined();
    const typed = reviewRecord(
      smpg,
      { ...completed, pickupPoint: 'Chez Jean Dupont, 3 rue X' },
      context,
    );
    expect(typed.ok && typed.record.pickupPointTyped).toBe(true);
    // No plan for this questionnaire: no categories, whatever the tablet says.
    const noPlan = reviewRecord(smpg, sent, {
      ...context,
      plan: { ...plan, questionnaire: 'other' },
    });
    expect(noPlan.ok && noPlan.record.quotaCategories).toEqual({});
  });

  it('recomputes instead of refusing when asked (a coordinator accepting a refused record)', () => {
    const forged = {
      ...alerted,
      alerts: ['made_up'],
      computed: { ...alerted.computed, suicide_score: 999, extra: 'text' },
      durationSeconds: 1,
    };
    const review = reviewRecord(smpg, forged, context, { recompute: true });
    expect(review.ok).toBe(true);
    if (!review.ok) return;
    expect(review.record.alerts).toEqual(['suicide_high']);
    expect(review.record.computed).toEqual(alerted.computed);
    expect(review.record.durationSeconds).toBe(alerted.durationSeconds);
    // What cannot be recomputed still refuses: the answers, the dates.
    const bad = reviewRecord(smpg, { ...forged, startedAt: '2026-13-01T00:00:00Z' }, context, {
      recompute: true,
    });
    expect(bad.ok).toBe(false);
  });

  it('keeps a calculation read from a coarsened answer as sent when it is a number, never as text', () => {
    const definition = JSON.parse(readFileSync('questionnaires/demo/1.json', 'utf8')) as unknown;
    const loaded = loadQuestionnaire(definition);
    if (loaded.status === 'failure') throw new Error('demo does not load');
    const demo = loaded.questionnaire;
    const { record } = makeRecord(
      demo,
      {
        consent: '1',
        age: 40,
        moved_in: '2019-04-12',
        activities: ['shop'],
        feel_tired: '0',
        feel_sad: '1',
      },
      'skip',
      { id: '00000000-0000-4000-8000-000000000001', startedAt: '2026-06-15T09:00:00.000Z' },
    );
    const demoContext = { ...context, plan: null };
    const blind = deviceOnly(demo);
    expect([...blind.items].sort()).toEqual(
      ['interviewer_note', 'moved_in', 'work_hours', 'years_here'].sort(),
    );
    expect(blind.alerts.size + blind.screenOuts.size).toBe(0);
    expect(typeof record.computed['years_here']).toBe('number');
    expect(reviewRecord(demo, record, demoContext).ok).toBe(true);
    const asText = { ...record, computed: { ...record.computed, years_here: 'Jean Dupont' } };
    const review = reviewRecord(demo, asText, demoContext);
    expect(review.ok ? '' : review.problems.join('; ')).toMatch(
      /computed\.years_here: "Jean Dupont" is not a value this calculation can take/,
    );
  });

  describe('broken-off interviews, alert events and paradata (the tablet’s account)', () => {
    /** `record` stopped at `itemId`: the answers before it, the rest as the server computes it. */
    function brokenOffAt(record: InterviewRecordWire, itemId: string): InterviewRecordWire {
      const stop = smpg.itemById.get(itemId)?.position ?? -1;
      const answers = Object.fromEntries(
        Object.entries(record.answers).filter(
          ([id]) => (smpg.nodes[smpg.nodeById.get(id) ?? -1]?.entry?.position ?? stop) < stop,
        ),
      );
      const partial: InterviewRecordWire = {
        ...record,
        status: 'broken_off',
        breakOff: { reason: 'respondent_stopped', itemId, at: record.endedAt },
        answers,
      };
      const made = reviewRecord(smpg, partial, context, { recompute: true });
      if (!made.ok) throw new Error(made.problems.join('; '));
      return { ...made.record, deviceId: record.deviceId };
    }
    const stopped = brokenOffAt(completed, 'dep_sleep');
    const raisedAt = new Date(Date.parse(alerted.startedAt) + 60_000).toISOString();
    const acknowledgedAt = new Date(Date.parse(alerted.startedAt) + 120_000).toISOString();
    const withEvents: InterviewRecordWire = {
      ...alerted,
      alertEvents: [
        {
          id: 'suicide_high',
          raisedAt,
          acknowledgedAt,
          actions: ['helpline_given', 'supervisor_told'],
        },
      ],
    };

    it('accepts a broken-off interview without its required answers, and keeps its break-off', () => {
      expect(Object.keys(stopped.answers).length).toBeLessThan(
        Object.keys(completed.answers).length,
      );
      // As completed, its missing answers would be refused.
      const asCompleted: InterviewRecordWire = { ...stopped, status: 'completed' };
      delete (asCompleted as { breakOff?: unknown }).breakOff;
      expect(problems(asCompleted)).toMatch(/answers\.\w+: /);
      const review = reviewRecord(smpg, stopped, context);
      expect(review.ok ? '' : review.problems.join('; ')).toBe('');
      expect(review.ok && review.record.breakOff).toEqual(stopped.breakOff);
      expect(review.ok && review.record.status).toBe('broken_off');
    });

    it('refuses a break-off that is missing, misplaced, or says an item or time it cannot', () => {
      const without: InterviewRecordWire = { ...stopped };
      delete (without as { breakOff?: unknown }).breakOff;
      expect(problems(without)).toMatch(/breakOff: a broken-off interview says where and why/);
      expect(
        problems({
          ...completed,
          breakOff: { reason: 'other', itemId: 'dep_sleep', at: completed.endedAt },
        }),
      ).toMatch(/breakOff: only a broken-off interview has one/);
      const at = stopped.breakOff?.at ?? '';
      expect(
        problems({ ...stopped, breakOff: { reason: 'other', itemId: 'made_up', at } }),
      ).toMatch(/breakOff\.itemId: "made_up" is not an item of smpg 2026\.1/);
      expect(
        problems({ ...stopped, breakOff: { reason: 'other', itemId: 'res_dep', at } }),
      ).toMatch(/breakOff\.itemId: "res_dep" is not an item/);
      expect(
        problems({
          ...stopped,
          breakOff: { reason: 'other', itemId: 'dep_sleep', at: '2025-01-01T00:00:00Z' },
        }),
      ).toMatch(/breakOff\.at: 2025-01-01T00:00:00Z is not between startedAt and endedAt/);
      expect(problems({ ...stopped, screenOutId: 'under_18' })).toMatch(
        /screenOutId: a broken-off interview has no screen-out/,
      );
      // Answers that meet a screen-out end the interview there: never a break-off.
      expect(problems({ ...stopped, answers: { ...stopped.answers, elig_consent: '2' } })).toMatch(
        /status: broken_off, but the screen-out no_consent holds given the answers/,
      );
    });

    it('keeps alert events as sent, and refuses events that name, order or time alerts wrongly', () => {
      const review = reviewRecord(smpg, withEvents, context);
      expect(review.ok ? '' : review.problems.join('; ')).toBe('');
      expect(review.ok && review.record.alertEvents).toEqual(withEvents.alertEvents);
      const event = withEvents.alertEvents?.[0];
      if (event === undefined) throw new Error('no event');
      const withEvent = (changes: Partial<typeof event>, more: Partial<InterviewRecordWire> = {}) =>
        problems({ ...withEvents, ...more, alertEvents: [{ ...event, ...changes }] });
      expect(withEvent({ id: 'made_up' })).toMatch(
        /alertEvents\[0\]\.id: "made_up" is not an alert of this version/,
      );
      expect(problems({ ...withEvents, alertEvents: [] })).toMatch(
        /alertEvents: suicide_high is in alerts but was never raised/,
      );
      expect(withEvent({ acknowledgedAt: alerted.startedAt })).toMatch(
        /alertEvents\[0\]\.acknowledgedAt: before the alert was raised/,
      );
      expect(withEvent({ raisedAt: '2026-13-01T00:00:00Z' })).toMatch(
        /alertEvents\[0\]\.raisedAt: "2026-13-01T00:00:00Z" is not a real date and time/,
      );
      expect(withEvent({ raisedAt: '2024-02-01T00:00:00Z' })).toMatch(
        /alertEvents\[0\]\.raisedAt: .* is not between startedAt and endedAt/,
      );
      expect(withEvent({ actions: ['helpline_given', 'helpline_given'] })).toMatch(
        /alertEvents\[0\]\.actions: an action is listed twice/,
      );
      // Never acknowledged (a crash, then a break-off): believed.
      expect(withEvent({ acknowledgedAt: null })).toBe('');
      // An event for an alert the record does not list.
      expect(problems({ ...completed, alertEvents: [{ ...event, id: 'suicide_high' }] })).toMatch(
        /alertEvents\[0\]\.id: suicide_high was raised but is not in alerts/,
      );
      // Events out of order.
      const later = new Date(Date.parse(raisedAt) + 1000).toISOString();
      expect(
        problems({
          ...withEvents,
          alertEvents: [
            { ...event, raisedAt: later, acknowledgedAt: later },
            { ...event, raisedAt, acknowledgedAt: null },
          ],
        }),
      ).toMatch(/alertEvents\[1\]\.raisedAt: before the alert listed before it/);
    });

    it('keeps paradata as sent, and refuses items that are unknown, not shown or stay on the device', () => {
      const paradata = {
        itemSeconds: { elig_adult: 3.5, dep_screen1: 12 },
        languages: ['fr', 'en'],
      };
      const review = reviewRecord(smpg, { ...completed, paradata }, context);
      expect(review.ok ? '' : review.problems.join('; ')).toBe('');
      expect(review.ok && review.record.paradata).toEqual(paradata);
      const withItem = (id: string) =>
        problems({ ...completed, paradata: { ...paradata, itemSeconds: { [id]: 4 } } });
      expect(withItem('made_up')).toMatch(/paradata\.itemSeconds\.made_up: not an item/);
      expect(withItem('res_dep')).toMatch(/paradata\.itemSeconds\.res_dep: not an item/);
      expect(withItem('interviewer_note')).toMatch(
        /paradata\.itemSeconds\.interviewer_note: its time would tell of an answer that never leaves/,
      );
      expect(
        problems({ ...completed, paradata: { ...paradata, languages: ['fr', 'xx'] } }),
      ).toMatch(/paradata\.languages: "xx" is not a language of this version/);
      expect(
        problems({ ...completed, paradata: { ...paradata, languages: ['fr', 'fr'] } }),
      ).toMatch(/paradata\.languages: fr is listed twice/);
    });
  });

  describe('recordFigures', () => {
    it('counts the answers, non-responses, screening questions and positive screens by hand', () => {
      const record: InterviewRecordWire = {
        ...completed,
        answers: {
          elig_adult: '1',
          dep_screen1: '1',
          dep_screen2: '2',
          deprec_screen: { nonResponse: 'dont_know' },
          suic_screen_wish: '1',
          sex: { nonResponse: 'refused' },
          csp: { nonResponse: 'dont_know' },
        },
      };
      expect(recordFigures(smpg, record)).toEqual({
        asked: 7,
        dontKnow: 2,
        refused: 1,
        screens: 4,
        positiveScreens: 2,
      });
      expect(
        ['dep_screen1', 'deprec_screen', 'suic_screen_wish'].map((id) => isScreeningItem(smpg, id)),
      ).toEqual([true, true, true]);
      expect(['dep_sleep', 'res_dep', 'made_up'].map((id) => isScreeningItem(smpg, id))).toEqual([
        false,
        false,
        false,
      ]);
    });
  });
});
