// Choices offered on earlier answers (a choice's `relevant`, what XLSForm's choice_filter becomes):
// the engine offers only the choices whose condition holds, refuses an answer naming another, the
// server's record check refuses it too, and the loader catches a condition that looks ahead or
// goes round in a circle.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Choice, Definition } from '../../../../src/core/questionnaire/index.ts';
import {
  createState,
  isChoiceOffered,
  setAnswer,
  validateAnswer,
} from '../../../../src/core/questionnaire/index.ts';
import type { InterviewMeta } from '../../../../src/core/record/index.ts';
import { anonymise, checkRecord } from '../../../../src/core/record/index.ts';
import { readRecordReason, validationWords } from '../../../../src/core/record/problems.ts';
import {
  calculate,
  choices,
  definition,
  fixedClock,
  grid,
  issuesOf,
  load,
  single,
} from '../../../helpers/builder.ts';

const clock = fixedClock('2026-11-23');

/** One choice, labelled from its code, offered when `relevant` holds. */
function choice(code: string, relevant?: string): Choice {
  const [made] = choices(code);
  return {
    code,
    label: made?.label ?? { fr: code, en: code },
    ...(relevant === undefined ? {} : { relevant }),
  };
}

/** A single choice item with the choices given (the builder's own takes codes). */
const pick = (id: string, offered: Choice[]) => single(id, [], { choices: offered });

/** A region, then a town among those of the region (and "elsewhere", always offered). */
function towns(): Definition {
  return definition([
    single('region', ['north', 'south']),
    pick('town', [
      choice('n1', "${region} = 'north'"),
      choice('n2', "${region} = 'north'"),
      choice('s1', "${region} = 'south'"),
      choice('x'),
    ]),
  ]);
}

describe('choices offered on earlier answers', () => {
  const q = load(towns());

  it('offers the choices whose condition holds, and only them', () => {
    const offered = (state: ReturnType<typeof createState>) =>
      ['n1', 'n2', 's1', 'x'].filter((code) => isChoiceOffered(q, state, 'town', code));
    const empty = createState(q, [], clock);
    expect(offered(empty)).toEqual(['x']);
    const north = setAnswer(q, empty, 'region', 'north');
    expect(offered(north)).toEqual(['n1', 'n2', 'x']);
    expect(offered(setAnswer(q, north, 'region', 'south'))).toEqual(['s1', 'x']);
  });

  it('refuses an answer naming a choice not offered, in French and English', () => {
    const north = setAnswer(q, createState(q, [], clock), 'region', 'north');
    expect(validateAnswer(q, north, 'town', 'n2', 'fr')).toEqual({ valid: true });
    expect(validateAnswer(q, north, 'town', 's1', 'fr')).toEqual({
      valid: false,
      code: 'choice_not_offered',
      message: 'Le choix « s1 » n’est pas proposé avec les réponses déjà données.',
    });
    expect(validateAnswer(q, north, 'town', 's1', 'en')).toMatchObject({
      valid: false,
      message: 'The choice "s1" is not offered given the answers already given.',
    });
    // An answer given before the region changed is no longer valid.
    const south = setAnswer(q, setAnswer(q, north, 'town', 'n1'), 'region', 'south');
    expect(validateAnswer(q, south, 'town', 'n1', 'en')).toMatchObject({
      code: 'choice_not_offered',
    });
  });

  it('filters a multiple choice and a grid alike', () => {
    const filtered = [choice('a'), choice('b', "${gate} = 'yes'")];
    const def = definition([
      single('gate', ['yes', 'no']),
      pick('pick', filtered),
      grid('g', ['r1', 'r2'], [], { choices: filtered }),
    ]);
    const qq = load(def);
    const no = setAnswer(qq, createState(qq, [], clock), 'gate', 'no');
    expect(validateAnswer(qq, no, 'r2', 'b', 'en')).toMatchObject({ code: 'choice_not_offered' });
    expect(validateAnswer(qq, no, 'r2', 'a', 'en')).toEqual({ valid: true });
    const yes = setAnswer(qq, no, 'gate', 'yes');
    expect(validateAnswer(qq, yes, 'r2', 'b', 'en')).toEqual({ valid: true });
    expect(isChoiceOffered(qq, no, 'g', 'b')).toBe(false);
  });

  it('is refused by the server’s record check', () => {
    const def = towns();
    const qq = load(def);
    const meta: InterviewMeta = {
      id: '7d0b2f8e-8a5b-4a55-9e55-1c2d3e4f5a6b',
      site: 'lille',
      interviewer: 'ENQ01',
      deviceId: 'tablet-1',
      status: 'completed',
      language: 'fr',
      appVersion: '0.1.0',
      startedAt: '2026-11-23T09:00:00.000Z',
      endedAt: '2026-11-23T09:20:00.000Z',
    };
    const answers = new Map([
      ['region', 'north'],
      ['town', 'n1'],
    ]);
    const record = anonymise(qq, meta, answers, clock);
    expect(checkRecord(qq, record, clock)).toEqual([]);
    const forged = { ...record, answers: { ...record.answers, town: 's1' } };
    expect(checkRecord(qq, forged, clock)).toEqual([
      'answers.town: The choice "s1" is not offered given the answers already given.',
    ]);
    // The reason the server keeps reads back into its code, for the dashboard to word in French.
    const [problem] = readRecordReason(checkRecord(qq, forged, clock).join('; '));
    expect(problem?.params).toMatchObject({ validation: 'choice_not_offered', code: 's1' });
    expect(validationWords(problem?.params ?? {}, 'fr')).toBe(
      'Le choix « s1 » n’est pas proposé avec les réponses déjà données.',
    );
  });
});

describe('loading a choice’s condition', () => {
  it('refuses a condition on a later answer or on its own item', () => {
    const issues = issuesOf(
      definition([
        pick('first', [choice('a'), choice('b', "${later} = 'x'")]),
        single('later', ['x', 'y']),
        pick('own', [choice('a'), choice('b', "${own} = 'a'")]),
      ]),
    );
    expect(issues.map((issue) => [issue.path, issue.code])).toEqual([
      ['sections[0].items[0].choices[1].relevant', 'forward_reference'],
      ['sections[0].items[2].choices[1].relevant', 'forward_reference'],
    ]);
  });

  it('reports a shared list’s bad condition once, at the list', () => {
    const issues = issuesOf(
      definition([single('one', 'ab'), single('two', 'ab'), single('gate', ['x'])], {
        choiceLists: { ab: [choice('a'), choice('b', "${gate} = 'x'")] },
      }),
    );
    expect(issues.map((issue) => [issue.path, issue.code])).toEqual([
      ['choiceLists.ab[1].relevant', 'forward_reference'],
    ]);
  });

  it('finds a circle through a choice’s condition', () => {
    // `pick` offers b when the score is 1; the score counts whether b was picked. A calculation
    // may read what comes after it, so only the graph sees the circle.
    const issues = issuesOf(
      definition([
        calculate('score', "if(selected(${pick}, 'b'), 1, 0)"),
        pick('pick', [choice('a'), choice('b', '${score} = 1')]),
      ]),
    );
    expect(issues.map((issue) => issue.code)).toEqual(['cycle']);
    expect(issues[0]?.message).toContain('${score}');
  });

  it('keeps a definition without conditions as it was: the shipped ones load', () => {
    for (const file of ['questionnaires/demo/2.json', 'questionnaires/smpg/2026.2.json']) {
      const def = JSON.parse(readFileSync(file, 'utf8')) as Definition;
      expect(() => load(def)).not.toThrow();
    }
  });
});
