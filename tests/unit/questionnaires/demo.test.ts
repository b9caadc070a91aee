// The bundled demo questionnaire: it loads with its Spanish label pack and runs end to end
// through the engine, showing every item type and logic feature at work.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Answer, Questionnaire } from '../../../src/core/questionnaire/index.ts';
import {
  REFUSED,
  activeAlerts,
  completion,
  createState,
  localize,
  loadQuestionnaire,
  nextItem,
  setAnswer,
  validateAnswer,
  valueOf,
} from '../../../src/core/questionnaire/index.ts';
import { fixedClock } from '../../helpers/builder.ts';

const read = (file: string): unknown =>
  JSON.parse(readFileSync(`questionnaires/demo/${file}`, 'utf8'));
const clock = fixedClock('2026-11-23');

function loadDemo(): Questionnaire {
  const result = loadQuestionnaire(read('1.json'), {
    labelPacks: [{ source: '1.labels.es.json', pack: read('1.labels.es.json') }],
  });
  if (result.status !== 'success') throw new Error(JSON.stringify(result));
  return result.questionnaire;
}

/** Answers item after item as an interviewer would, validating each; returns the ids asked. */
function interview(q: Questionnaire, script: Record<string, Answer>) {
  let state = createState(q, [], clock);
  const asked: string[] = [];
  let step = nextItem(q, state, null);
  while (step.kind === 'item') {
    asked.push(step.id);
    const ids =
      step.entry.item.type === 'grid' ? step.entry.item.rows.map((row) => row.id) : [step.id];
    for (const id of ids) {
      const value = script[id];
      if (value === undefined) continue;
      expect(validateAnswer(q, state, id, value, 'fr'), id).toEqual({ valid: true });
      state = setAnswer(q, state, id, value);
    }
    step = nextItem(q, state, step.id);
  }
  return { state, asked, step };
}

describe('questionnaires/demo/1.json', () => {
  const q = loadDemo();

  it('has fr, en and es, every item type, alerts and screen-outs', () => {
    expect(q.definition.languages).toEqual(['fr', 'en', 'es']);
    const types = new Set(q.items.map((entry) => entry.item.type));
    expect([...types].sort()).toEqual(
      [
        'calculate',
        'date',
        'decimal',
        'grid',
        'integer',
        'multiple',
        'note',
        'single',
        'text',
      ].sort(),
    );
    expect(localize(q, q.itemById.get('age')?.item.label, 'es')).toBe('¿Qué edad tiene?');
    expect(q.alerts).toHaveLength(1);
    expect(q.screenOuts).toHaveLength(2);
  });

  it('runs a full interview: skips, calculations, an alert, completion', () => {
    const { state, asked, step } = interview(q, {
      consent: '1',
      age: 34,
      moved_in: '2015-03-10',
      activities: ['shop', 'work'],
      work_hours: 38.5,
      feel_tired: '2',
      feel_sad: '1',
      feel_stress_work: '2',
      wish: 'plus de bancs',
      postcode: '59000',
      safety: REFUSED,
      rating: 7,
      interviewer_note: 'RAS',
    });
    expect(step).toEqual({ kind: 'end' });
    expect(asked).toEqual([
      'intro',
      'consent',
      'age',
      'moved_in',
      'activities',
      'work_hours',
      'feelings',
      'wish',
      'postcode',
      'safety',
      'rating',
      'interviewer_note',
      'thanks',
    ]);
    expect(valueOf(q, state, 'age_band')).toBe('30-49');
    expect(valueOf(q, state, 'years_here')).toBe(11);
    expect(valueOf(q, state, 'n_activities')).toBe(2);
    expect(valueOf(q, state, 'distress_score')).toBe(5);
    expect(valueOf(q, state, 'safety_answered')).toBe(-1);
    expect(valueOf(q, state, 'rating_level')).toBe(3.5);
    expect(activeAlerts(q, state).map((alert) => alert.id)).toEqual(['distress']);
    expect(completion(q, state, 'fr').canComplete).toBe(true);
  });

  it('ends at once for a minor, and without consent', () => {
    expect(interview(q, { consent: '1', age: 16 }).step).toMatchObject({
      kind: 'screened_out',
      screenOut: { id: 'minor' },
    });
    const refused = interview(q, { consent: '2' });
    expect(refused.asked).toEqual(['intro', 'consent']);
    expect(refused.step).toMatchObject({ kind: 'screened_out', screenOut: { id: 'no_consent' } });
  });

  it('asks for a comment only when two activities or more were named', () => {
    const one = interview(q, {
      consent: '1',
      age: 70,
      activities: ['none'],
      feel_tired: '0',
      feel_sad: '2',
    });
    expect(one.asked).toContain('sad_note');
    expect(one.asked).not.toContain('work_hours');
    expect(completion(q, one.state, 'fr').problems.map((p) => p.id)).toEqual([]);
    const two = setAnswer(q, one.state, 'activities', ['shop', 'sport']);
    expect(completion(q, two, 'fr').problems.map((p) => p.id)).toEqual(['wish']);
  });
});
