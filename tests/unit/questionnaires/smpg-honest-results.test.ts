// Issue #27, "honest results", module by module on SMPG 2026.2: a module result is 1, 0 or missing
// with its reason, never 0 for "we do not know". Whole interviews are driven through the app's
// session (tests/helpers/interview-runner.ts) from the personas of 2026.2, and read in the record
// that leaves the tablet, which the server's review must accept as it is.
import { describe, expect, it } from 'vitest';
import type { InterviewRecordWire } from '../../../src/core/protocol/index.ts';
import type { Answer, NonResponse } from '../../../src/core/questionnaire/index.ts';
import { DONT_KNOW, REFUSED } from '../../../src/core/questionnaire/index.ts';
import { anonymise, reviewRecord } from '../../../src/core/record/index.ts';
import { interviewMeta, recordClock } from '../../../src/app/sync/sync-engine.ts';
import type { InterviewRun } from '../../helpers/interview-runner.ts';
import { runInterview } from '../../helpers/interview-runner.ts';
import type { Persona } from '../../helpers/smpg-personas-2026.2.ts';
import { PERSONAS } from '../../helpers/smpg-personas-2026.2.ts';
import { POLICIES } from '../../helpers/smpg-personas.ts';
import { loadSmpg } from '../../helpers/smpg.ts';

const q = loadSmpg('2026.2');

/** Every module result of the version (`res_*`), with its module's section, in interview order. */
const RESULTS = q.items
  .filter((entry) => entry.item.type === 'calculate' && entry.item.id.startsWith('res_'))
  .map((entry) => ({ id: entry.item.id, section: entry.section.id }));

function personaOf(id: string): Persona {
  const persona = PERSONAS.find((candidate) => candidate.id === id);
  if (persona === undefined) throw new Error(`no persona ${id}`);
  return persona;
}

interface Walk {
  readonly run: InterviewRun;
  /** The record the tablet sends for it. */
  readonly record: InterviewRecordWire;
}

/** Runs a persona's interview, its script changed by `changes`, and makes its record. */
function walk(persona: Persona, changes: Readonly<Record<string, Answer>> = {}): Walk {
  const run = runInterview(
    q,
    { ...persona.script, ...changes },
    {
      policy: POLICIES[persona.policy],
    },
  );
  expect(run.step).toEqual({ kind: 'end' });
  const record = anonymise(
    q,
    interviewMeta(run.record),
    run.state.answers,
    recordClock(run.record),
  );
  // The server recomputes every result from the answers: it must find the same.
  const review = reviewRecord(q, JSON.parse(JSON.stringify(record)) as InterviewRecordWire, {
    deviceId: record.deviceId,
    receivedAt: record.endedAt,
    plan: null,
    pickupPoints: [],
  });
  expect(review.ok ? [] : review.problems).toEqual([]);
  return { run, record };
}

/** A respondent who answers "no" to every health question (the screens included). */
const NO = personaOf('no_disorder');
const noWalk = walk(NO);

/**
 * The screening questions of a module: the questions of its section asked to someone who answers
 * "no" to everything (a second screen after a first "yes", as `gad_days`, is not one).
 */
function screensOf(section: string): string[] {
  return noWalk.run.asked.filter((id) => {
    const entry = q.itemById.get(id);
    return entry?.section.id === section && entry.item.type === 'single';
  });
}

const sections = [...new Set(RESULTS.map((result) => result.section))];

describe('SMPG 2026.2: module results are never 0 for "we do not know"', () => {
  it('has module results, each in a module with screening questions', () => {
    expect(RESULTS.length).toBeGreaterThanOrEqual(16);
    for (const section of sections) expect(screensOf(section), section).not.toEqual([]);
  });

  it('gives 0, assessed negative, to a respondent who answers every screen "no"', () => {
    for (const { id } of RESULTS) expect(noWalk.record.computed[id], id).toBe(0);
  });

  describe.each(sections)('%s', (section) => {
    const screens = screensOf(section);
    const own = RESULTS.filter((result) => result.section === section).map(({ id }) => id);

    it.each([
      ['dont_know', DONT_KNOW],
      ['refused', REFUSED],
    ] as const)(
      'is missing for the reason %s when the screening questions get it, others staying 0',
      (_reason, nonResponse: NonResponse) => {
        const { record } = walk(
          NO,
          Object.fromEntries(screens.map((id): [string, Answer] => [id, nonResponse])),
        );
        for (const id of own) expect(record.computed[id], id).toEqual(nonResponse);
        // The screens' non-responses say nothing of the other modules.
        for (const { id, section: other } of RESULTS)
          if (other !== section) expect(record.computed[id], id).toBe(0);
      },
    );
  });

  /**
   * For each result a persona has positive: the questions of its module (not a screen) the persona
   * answered "no", where "yes" would ask the same questions and keep the result positive.
   */
  const secondary = RESULTS.flatMap(({ id, section }) => {
    const persona = PERSONAS.find((candidate) => candidate.expected.results[id as never] === 1);
    if (persona === undefined) return [];
    const base = walk(persona);
    const screens = new Set(screensOf(section));
    const candidates = base.run.asked.filter((item) => {
      const entry = q.itemById.get(item);
      return (
        entry?.section.id === section &&
        entry.item.type === 'single' &&
        !screens.has(item) &&
        base.run.state.answers.get(item) === '2'
      );
    });
    for (const item of candidates) {
      const yes = walk(persona, { [item]: '1' });
      if (yes.record.computed[id] === 1 && yes.run.asked.join() === base.run.asked.join())
        return [{ id, persona, item }];
    }
    return [];
  });

  it('applies to most modules: one with a secondary question to refuse', () => {
    expect(secondary.map(({ id }) => id)).toEqual(
      expect.arrayContaining(['res_dep', 'res_dysthymia', 'res_ptsd', 'res_alc_dependence']),
    );
  });

  it.each(secondary.map((entry) => [entry.id, entry.item, entry.persona] as const))(
    '%s stays 1 with %s refused: the criteria are met whatever the answer',
    (id, item, persona) => {
      const { record } = walk(persona, { [item]: REFUSED });
      expect(record.answers[item]).toEqual(REFUSED);
      expect(record.computed[id]).toBe(1);
    },
  );
});
