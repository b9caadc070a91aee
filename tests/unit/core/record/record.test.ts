// The anonymised record: identifying items never leave, coarsened items leave in bands or months,
// answers that stopped being relevant stay behind; and the server-side check accepts exactly
// what anonymise produces, refusing tampered records with a reason.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../../src/core/protocol/index.ts';
import { InterviewRecordSchema } from '../../../../src/core/protocol/index.ts';
import type { Answer } from '../../../../src/core/questionnaire/index.ts';
import { REFUSED } from '../../../../src/core/questionnaire/index.ts';
import type { InterviewMeta } from '../../../../src/core/record/index.ts';
import { anonymise, checkRecord } from '../../../../src/core/record/index.ts';
import { fixedClock, load } from '../../../helpers/builder.ts';

const demo = load(JSON.parse(readFileSync('questionnaires/demo/1.json', 'utf8')));
const clock = fixedClock('2026-11-23');
const meta: InterviewMeta = {
  id: '7d0b2f8e-8a5b-4a55-9e55-1c2d3e4f5a6b',
  site: 'lille',
  interviewer: 'ENQ01',
  deviceId: 'tablet-1',
  status: 'completed',
  language: 'fr',
  appVersion: '0.1.0',
  startedAt: '2026-11-23T09:00:00.000Z',
  endedAt: '2026-11-23T09:42:30.000Z',
  quotaCategories: { age: 'young', sex: undefined },
  alerts: ['distress'],
};
const answers = new Map<string, Answer>([
  ['consent', '1'],
  ['age', 34],
  ['moved_in', '2015-03-10'],
  ['activities', ['shop', 'work']],
  ['work_hours', 38.5],
  ['feel_tired', '2'],
  ['feel_sad', '2'],
  ['feel_stress_work', '1'],
  ['wish', 'plus de bancs'],
  ['safety', REFUSED],
  ['interviewer_note', 'Mme D., rue des Arts'],
]);

describe('anonymise', () => {
  const record = anonymise(demo, meta, answers, clock);

  it('drops identifying items and coarsens as declared', () => {
    expect(record.answers['interviewer_note']).toBeUndefined();
    expect(JSON.stringify(record)).not.toContain('rue des Arts');
    expect(record.answers['moved_in']).toBe('2015-03');
    expect(record.answers['work_hours']).toBe('gt35');
    expect(record.answers['safety']).toEqual(REFUSED);
    expect(record.answers['activities']).toEqual(['shop', 'work']);
  });

  it('keeps computed values, paradata and quota categories, and fits the wire schema', () => {
    expect(record.computed).toMatchObject({
      age_band: '30-49',
      n_activities: 2,
      distress_score: 5,
    });
    expect(record.durationSeconds).toBe(42 * 60 + 30);
    expect(record.quotaCategories).toEqual({ age: 'young' });
    expect(record.questionnaireVersion).toBe('1');
    expect(InterviewRecordSchema.safeParse(record).success).toBe(true);
  });

  it('carries the pick-up point, cleaned and cut to 100 characters, and none when there is none', () => {
    expect(record.pickupPoint).toBeUndefined();
    expect('pickupPoint' in record).toBe(false);
    const at = anonymise(demo, { ...meta, pickupPoint: 'Marché de Wazemmes' }, answers, clock);
    expect(at.pickupPoint).toBe('Marché de Wazemmes');
    expect(InterviewRecordSchema.safeParse(at).success).toBe(true);
    // Typed freely: spaces trimmed and made one, cut at 100 characters, never in an emoji.
    const typed = anonymise(
      demo,
      // 17 characters, then emojis of 2 UTF-16 units each: the 100th unit is half an emoji.
      { ...meta, pickupPoint: `  Parvis   des gares ${'🚉'.repeat(60)}` },
      answers,
      clock,
    );
    expect(typed.pickupPoint).toBe(`Parvis des gares ${'🚉'.repeat(41)}`);
    expect(typed.pickupPoint?.length).toBe(99);
    expect(InterviewRecordSchema.safeParse(typed).success).toBe(true);
    // Nothing but spaces: no pick-up point at all.
    expect('pickupPoint' in anonymise(demo, { ...meta, pickupPoint: '   ' }, answers, clock)).toBe(
      false,
    );
    // The wire schema refuses a longer one.
    expect(InterviewRecordSchema.safeParse({ ...at, pickupPoint: 'x'.repeat(101) }).success).toBe(
      false,
    );
    expect(InterviewRecordSchema.safeParse({ ...at, pickupPoint: '' }).success).toBe(false);
  });

  it('leaves out answers of items that are no longer relevant', () => {
    const changed = new Map(answers);
    changed.set('activities', ['shop']);
    const again = anonymise(demo, meta, changed, clock);
    expect(again.answers['work_hours']).toBeUndefined();
    expect(again.answers['feel_stress_work']).toBeUndefined();
  });
});

describe('anonymise: the safety protocol and the paradata', () => {
  const event: AlertEvent = {
    id: 'distress',
    raisedAt: '2026-11-23T09:20:00.000Z',
    acknowledgedAt: '2026-11-23T09:23:10.000Z',
    actions: ['helpline_given', 'supervisor_told'],
  };
  const events = [event];

  it('carries the alert events as given, and none for an interview that never kept them', () => {
    expect('alertEvents' in anonymise(demo, meta, answers, clock)).toBe(false);
    const record = anonymise(demo, { ...meta, alertEvents: events }, answers, clock);
    expect(record.alertEvents).toEqual(events);
    expect(record.alerts).toEqual(['distress']);
    expect(InterviewRecordSchema.safeParse(record).success).toBe(true);
    // No alert raised: an empty list, which says so (absent says "not kept").
    expect(anonymise(demo, { ...meta, alerts: [], alertEvents: [] }, answers, clock)).toMatchObject(
      { alerts: [], alertEvents: [] },
    );
  });

  it('makes a broken-off record with its reason, item and time, and no break-off on another', () => {
    const breakOff = {
      reason: 'respondent_unwell' as const,
      itemId: 'feelings',
      at: '2026-11-23T09:25:00.000Z',
    };
    const partial = new Map<string, Answer>([
      ['consent', '1'],
      ['age', 34],
      ['feel_tired', '2'],
      ['feel_sad', '2'],
    ]);
    const record = anonymise(
      demo,
      {
        ...meta,
        status: 'broken_off',
        breakOff,
        endedAt: breakOff.at,
        alertEvents: [{ ...event, acknowledgedAt: null, actions: [] }],
      },
      partial,
      clock,
    );
    expect(record).toMatchObject({ status: 'broken_off', breakOff, durationSeconds: 25 * 60 });
    expect(record.answers).toEqual({ consent: '1', age: 34, feel_tired: '2', feel_sad: '2' });
    expect(record.alertEvents?.[0]?.acknowledgedAt).toBeNull();
    expect(InterviewRecordSchema.safeParse(record).success).toBe(true);
    // Only a broken-off record has a break-off.
    expect('breakOff' in anonymise(demo, { ...meta, breakOff }, answers, clock)).toBe(false);
  });

  it('carries the seconds per item and the languages, never of an identifying or device-only item', () => {
    const paradata = {
      itemMs: {
        consent: 4_049,
        age: 12_960,
        moved_in: 8_000, // coarsened: device-only
        years_here: 1_000, // computed from moved_in: device-only
        interviewer_note: 30_000, // identifying
        feelings: 61_234,
        review: 9_000, // not an item
      },
      languages: ['fr', 'en', 'fr'],
    };
    const record = anonymise(demo, { ...meta, paradata }, answers, clock);
    expect(record.paradata).toEqual({
      itemSeconds: { age: 13, consent: 4, feelings: 61.2 },
      languages: ['fr', 'en'],
    });
    expect(Object.keys(record.paradata?.itemSeconds ?? {})).toEqual(['age', 'consent', 'feelings']);
    expect(InterviewRecordSchema.safeParse(record).success).toBe(true);
    expect('paradata' in anonymise(demo, meta, answers, clock)).toBe(false);
  });
});

describe('checkRecord', () => {
  const record = anonymise(demo, meta, answers, clock);

  it('accepts what anonymise produced', () => {
    expect(checkRecord(demo, record, clock)).toEqual([]);
  });

  it.each<[string, (r: typeof record) => typeof record, string]>([
    [
      'an unknown question',
      (r) => ({ ...r, answers: { ...r.answers, nope: '1' } }),
      'answers.nope: no such question',
    ],
    [
      'an identifying item',
      (r) => ({ ...r, answers: { ...r.answers, interviewer_note: 'x' } }),
      'identifying',
    ],
    [
      'an answer that was not asked',
      (r) => ({ ...r, answers: { ...r.answers, consent: '2' } }),
      'was not asked',
    ],
    ['a value out of range', (r) => ({ ...r, answers: { ...r.answers, age: 140 } }), 'answers.age'],
    [
      'an uncoarsened value',
      (r) => ({ ...r, answers: { ...r.answers, moved_in: '2015-03-10' } }),
      'coarsened form',
    ],
    [
      'a missing required answer',
      (r) => {
        const answers = Object.fromEntries(
          Object.entries(r.answers).filter(([id]) => id !== 'consent'),
        );
        return { ...r, answers };
      },
      'answers.consent',
    ],
    ['another version', (r) => ({ ...r, questionnaireVersion: '2' }), 'not demo 1'],
  ])('refuses %s', (_name, tamper, reason) => {
    const problems = checkRecord(demo, tamper(record), clock);
    expect(problems.join(' | ')).toContain(reason);
  });
});
