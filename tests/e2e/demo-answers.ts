// Scripted respondents of the demo questionnaire (questionnaires/demo/1.json and 2.json), shared
// by the end-to-end tests that need a short interview touching every item type.
import type { Answer } from '../../src/core/questionnaire/index.ts';
import { DONT_KNOW, REFUSED } from '../../src/core/questionnaire/index.ts';

/** A 40-year-old who shops and works here: no alert, no sad note, every question answered. */
export const DEMO_CALM: Readonly<Record<string, Answer>> = {
  consent: '1',
  age: 40,
  moved_in: '2015-03-01',
  activities: ['shop', 'work'],
  work_hours: 20.5,
  feel_tired: '1',
  feel_sad: '0',
  feel_stress_work: '1',
  wish: 'Plus de bancs et de parcs',
  postcode: '59000',
  safety: '1',
  noise: '1',
  rating: 7,
  interviewer_note: 'RAS',
};

/**
 * A 70-year-old still working, often tired and sad: the distress alert fires in the middle of the
 * grid, the instruction note shows, and "refused" and "don't know" are used.
 */
export const DEMO_DISTRESS: Readonly<Record<string, Answer>> = {
  consent: '1',
  age: 70,
  moved_in: '1990-06-15',
  activities: ['shop', 'work'],
  work_hours: 38,
  feel_tired: '2',
  feel_sad: '2',
  feel_stress_work: '0',
  wish: REFUSED,
  postcode: '59800',
  safety: DONT_KNOW,
  noise: '2',
  rating: 4,
  interviewer_note: 'Personne fatiguée',
};
