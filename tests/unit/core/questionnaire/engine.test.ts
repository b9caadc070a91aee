// The interview engine on small fixtures: navigation with skips, validation, calculations,
// alerts, screen-outs, completion, and incremental recomputation agreeing with a full one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  Answer,
  InterviewState,
  Questionnaire,
} from '../../../../src/core/questionnaire/index.ts';
import { createStateTaking } from '../../../../src/core/questionnaire/internal.ts';
import {
  DONT_KNOW,
  REFUSED,
  activeAlerts,
  activeScreenOut,
  calculatedValues,
  completion,
  createState,
  isRelevant,
  itemOf,
  nextItem,
  previousItem,
  progress,
  relevantAnswers,
  relevantItems,
  setAnswer,
  validateAnswer,
  valueOf,
} from '../../../../src/core/questionnaire/index.ts';
import {
  calculate,
  date,
  decimal,
  definition,
  fixedClock,
  grid,
  integer,
  load,
  multiple,
  note,
  section,
  single,
  textItem,
} from '../../../helpers/builder.ts';

const clock = fixedClock('2026-11-23');
const yesNo = ['1', '2'];

function answer(q: Questionnaire, pairs: Record<string, Answer>): InterviewState {
  let state = createState(q, [], clock);
  for (const [id, value] of Object.entries(pairs)) state = setAnswer(q, state, id, value);
  return state;
}

/** Ids of the screens the interviewer walks through with `next`, from the start. */
function walk(q: Questionnaire, state: InterviewState): string[] {
  const seen: string[] = [];
  let step = nextItem(q, state, null);
  while (step.kind === 'item') {
    seen.push(step.id);
    step = nextItem(q, state, step.id);
  }
  return seen;
}

describe('navigation', () => {
  const q = load(
    definition([
      section('screen', [
        single('smoker', yesNo),
        integer('cigarettes', { relevant: "${smoker} = '1'", min: 1, max: 200 }),
        note('advice', { relevant: '${cigarettes} > 20' }),
      ]),
      section(
        'alcohol',
        [single('drinks', yesNo), integer('glasses', { relevant: "${drinks} = '1'" })],
        {
          relevant: "${smoker} != ''",
        },
      ),
      section('end', [note('thanks')]),
    ]),
  );

  it('starts at the first relevant item and skips what is not relevant', () => {
    const state = createState(q, [], clock);
    expect(walk(q, state)).toEqual(['smoker', 'thanks']);
    const smoker = answer(q, { smoker: '2' });
    expect(walk(q, smoker)).toEqual(['smoker', 'drinks', 'thanks']);
    const heavy = answer(q, { smoker: '1', cigarettes: 30, drinks: '1' });
    expect(walk(q, heavy)).toEqual([
      'smoker',
      'cigarettes',
      'advice',
      'drinks',
      'glasses',
      'thanks',
    ]);
  });

  it('goes back over the same items, and says when it is at the start', () => {
    const state = answer(q, { smoker: '1', cigarettes: 5, drinks: '2' });
    expect(previousItem(q, state, 'thanks')).toMatchObject({ kind: 'item', id: 'drinks' });
    expect(previousItem(q, state, 'drinks')).toMatchObject({ kind: 'item', id: 'cigarettes' });
    expect(previousItem(q, state, 'smoker')).toEqual({ kind: 'start' });
    expect(previousItem(q, state, null)).toMatchObject({ kind: 'item', id: 'thanks' });
    expect(nextItem(q, state, 'thanks')).toEqual({ kind: 'end' });
  });

  it('can move on from any position, even one that just became irrelevant', () => {
    const state = answer(q, { smoker: '1', cigarettes: 30 });
    const changed = setAnswer(q, state, 'smoker', '2');
    expect(isRelevant(q, changed, 'cigarettes')).toBe(false);
    expect(nextItem(q, changed, 'cigarettes')).toMatchObject({ kind: 'item', id: 'drinks' });
    expect(previousItem(q, changed, 'advice')).toMatchObject({ kind: 'item', id: 'smoker' });
  });

  it('counts progress over the items relevant now', () => {
    const state = answer(q, { smoker: '1', cigarettes: 5 });
    expect(progress(q, state, 'cigarettes')).toEqual({ position: 2, total: 4 });
    expect(relevantItems(q, state).map((entry) => entry.item.id)).toEqual([
      'smoker',
      'cigarettes',
      'drinks',
      'thanks',
    ]);
  });

  it('keeps answers that became irrelevant, reads them as empty, and restores them', () => {
    const state = answer(q, { smoker: '1', cigarettes: 30 });
    expect(valueOf(q, state, 'cigarettes')).toBe(30);
    const off = setAnswer(q, state, 'smoker', '2');
    expect(off.answers.get('cigarettes')).toBe(30);
    expect(valueOf(q, off, 'cigarettes')).toBe('');
    expect(isRelevant(q, off, 'advice')).toBe(false);
    expect([...relevantAnswers(q, off).keys()]).toEqual(['smoker']);
    const back = setAnswer(q, off, 'smoker', '1');
    expect(valueOf(q, back, 'cigarettes')).toBe(30);
    expect(isRelevant(q, back, 'advice')).toBe(true);
  });

  it('a non-response opens nothing that depends on the answer', () => {
    const state = answer(q, { smoker: REFUSED });
    expect(isRelevant(q, state, 'cigarettes')).toBe(false);
    // The section condition is on the empty value: a refusal reads as empty.
    expect(isRelevant(q, state, 'drinks')).toBe(false);
  });
});

describe('grids', () => {
  const q = load(
    definition([
      single('works', yesNo),
      grid('feel', ['tired', 'sad', 'work_stress'], ['0', '1', '2'], {
        required: true,
        constraint: '. != 2 or ${works} = 1',
      }),
      grid('hidden', ['h1'], yesNo, { relevant: 'false()' }),
    ]),
  );

  it('rows are stored answers with their own relevance; a grid is one screen', () => {
    const def = definition([
      single('works', yesNo),
      grid('feel', ['tired', 'stress'], ['0', '1'], {}),
    ]);
    const feel = def.sections[0]?.items[1];
    if (feel?.type === 'grid' && feel.rows[1]) feel.rows[1].relevant = "${works} = '1'";
    const g = load(def);
    const state = answer(g, { works: '2', tired: '1' });
    expect(isRelevant(g, state, 'stress')).toBe(false);
    expect(isRelevant(g, state, 'tired')).toBe(true);
    expect(walk(g, state)).toEqual(['works', 'feel']);
    // An answer's item: a row's grid, an item's itself, nothing for an unknown id.
    expect(itemOf(g, 'stress')?.item.id).toBe('feel');
    expect(itemOf(g, 'works')?.item.id).toBe('works');
    expect(itemOf(g, 'nope')).toBeUndefined();
  });

  it('a grid with no relevant row is skipped', () => {
    expect(walk(q, createState(q, [], clock))).toEqual(['works', 'feel']);
  });

  it('validates each row against the grid choices, required and constraint', () => {
    const state = answer(q, { works: '2' });
    expect(validateAnswer(q, state, 'tired', '1', 'en')).toEqual({ valid: true });
    expect(validateAnswer(q, state, 'tired', '7', 'en')).toMatchObject({
      valid: false,
      code: 'unknown_choice',
    });
    expect(validateAnswer(q, state, 'tired', undefined, 'fr')).toMatchObject({
      valid: false,
      code: 'required',
      message: 'Une réponse est obligatoire.',
    });
    expect(validateAnswer(q, state, 'sad', '2', 'en')).toMatchObject({
      valid: false,
      code: 'constraint',
    });
    expect(validateAnswer(q, state, 'feel', '1', 'en')).toMatchObject({ code: 'not_answerable' });
  });
});

describe('validation', () => {
  const q = load(
    definition([
      integer('age', { min: 18, max: 110, required: true, nonResponse: false }),
      decimal('weight', { min: 20, max: 300 }),
      single('sex', yesNo),
      multiple('transport', ['bus', 'car', 'none'], { exclusive: ['none'] }),
      textItem('comment', { maxLength: 10, constraint: "regex(., '^[a-z ]+$')" }),
      date('moved', { min: '2000-01-01', constraint: '. <= today()' }),
      integer('children', {
        min: 0,
        max: 60,
        constraint: '. < ${age}',
        constraintMessage: { fr: 'Plus d’enfants que d’années ?', en: 'More children than years?' },
        required: '${age} > 30',
      }),
      calculate('c', '1'),
    ]),
  );
  const state = answer(q, { age: 40 });
  const check = (id: string, value: Answer | undefined, language = 'en') =>
    validateAnswer(q, state, id, value, language);

  it.each<[string, Answer | undefined, string | undefined]>([
    ['age', 18, undefined],
    ['age', 17, 'out_of_range'],
    ['age', 111, 'out_of_range'],
    ['age', 30.5, 'not_integer'],
    ['age', '30', 'wrong_type'],
    ['age', undefined, 'required'],
    ['age', DONT_KNOW, 'non_response_not_offered'],
    ['weight', 70.5, undefined],
    ['weight', Number.NaN, 'wrong_type'],
    ['weight', REFUSED, undefined],
    ['sex', '1', undefined],
    ['sex', '3', 'unknown_choice'],
    ['sex', ['1'], 'wrong_type'],
    ['transport', ['bus', 'car'], undefined],
    ['transport', ['bus', 'bus'], 'duplicate_choice'],
    ['transport', ['bus', 'none'], 'exclusive_choice'],
    ['transport', ['none'], undefined],
    ['transport', [], 'wrong_type'],
    ['transport', ['plane'], 'unknown_choice'],
    ['comment', 'ok fine', undefined],
    ['comment', 'far too long text', 'too_long'],
    ['comment', '   ', 'empty_text'],
    ['comment', 'Capitals', 'constraint'],
    ['moved', '2010-06-30', undefined],
    ['moved', '2010-02-30', 'invalid_date'],
    ['moved', '1999-12-31', 'invalid_date'],
    ['moved', '2027-01-01', 'constraint'],
    ['children', 3, undefined],
    ['children', 45, 'constraint'],
    ['children', undefined, 'required'],
    ['c', 1, 'not_answerable'],
    ['nope', 1, 'unknown_item'],
  ])('%s = %j -> %s', (id, value, code) => {
    const result = check(id, value);
    if (code === undefined) expect(result).toEqual({ valid: true });
    else expect(result).toMatchObject({ valid: false, code });
  });

  it('uses the definition’s constraint message in the chosen language, else the engine’s', () => {
    expect(check('children', 45, 'fr')).toMatchObject({ message: 'Plus d’enfants que d’années ?' });
    expect(check('age', 17, 'fr')).toMatchObject({ message: 'Entrez un nombre entre 18 et 110.' });
    expect(check('age', 17, 'en')).toMatchObject({ message: 'Enter a number between 18 and 110.' });
    // A declared constraint message also explains a range error.
    expect(check('children', -1, 'en')).toMatchObject({
      code: 'out_of_range',
      message: 'More children than years?',
    });
  });

  it('evaluates an expression in `required` against the current answers', () => {
    const young = answer(q, { age: 20 });
    expect(validateAnswer(q, young, 'children', undefined, 'en')).toEqual({ valid: true });
  });
});

describe('calculations, alerts and screen-outs', () => {
  const q = load(
    definition(
      [
        single('consent', yesNo, { nonResponse: false }),
        integer('age', { min: 0, max: 120 }),
        calculate('band', "if(${age} < 30, 'young', 'older')", { relevant: '${age} >= 18' }),
        grid('symptoms', ['s1', 's2', 's3'], yesNo),
        calculate('score', "(${s1} = '1') + (${s2} = '1') + (${s3} = '1')"),
        calculate('positive', 'if(${score} >= 2, 1, 0)'),
        calculate(
          'refusals',
          "(non-response(${s1}) = 'refused') + (non-response(${s2}) = 'refused')",
        ),
        calculate('later', '${age_next} * 2'),
        integer('age_next'),
      ],
      {
        alerts: [
          {
            id: 'high',
            when: '${positive} = 1',
            title: { fr: 'Alerte', en: 'Alert' },
            protocol: { fr: 'Appelez {{helpline}}', en: 'Call {{helpline}}' },
          },
        ],
        screenOuts: [
          { id: 'minor', when: '${age} < 18', label: { fr: 'Mineur', en: 'Minor' } },
          { id: 'refusal', when: "${consent} = '2'", label: { fr: 'Refus', en: 'Refusal' } },
        ],
      },
    ),
  );

  it('computes values, follows changes both ways, and raises alerts', () => {
    let state = answer(q, { consent: '1', age: 25, s1: '1' });
    expect(calculatedValues(q, state).get('band')).toBe('young');
    expect(valueOf(q, state, 'score')).toBe(1);
    expect(activeAlerts(q, state)).toEqual([]);
    state = setAnswer(q, state, 's3', '1');
    expect(valueOf(q, state, 'positive')).toBe(1);
    expect(activeAlerts(q, state).map((alert) => alert.id)).toEqual(['high']);
    state = setAnswer(q, state, 's1', REFUSED);
    expect(valueOf(q, state, 'positive')).toBe(0);
    expect(valueOf(q, state, 'refusals')).toBe(1);
    expect(activeAlerts(q, state)).toEqual([]);
  });

  it('a calculation may read a later item; NaN stores nothing', () => {
    let state = answer(q, { consent: '1', age: 40 });
    expect(valueOf(q, state, 'later')).toBe('');
    state = setAnswer(q, state, 'age_next', 41);
    expect(valueOf(q, state, 'later')).toBe(82);
  });

  it('ends the interview as a screen-out with its reason', () => {
    const minor = answer(q, { consent: '1', age: 16 });
    expect(nextItem(q, minor, 'age')).toMatchObject({
      kind: 'screened_out',
      screenOut: { id: 'minor' },
    });
    expect(activeScreenOut(q, minor)?.id).toBe('minor');
    expect(calculatedValues(q, minor).has('band')).toBe(false);
    const refusal = answer(q, { consent: '2' });
    expect(nextItem(q, refusal, 'consent')).toMatchObject({ screenOut: { id: 'refusal' } });
    expect(completion(q, refusal, 'en').canComplete).toBe(false);
  });

  it('says when the interview can be completed and what is missing', () => {
    const strict = load(
      definition([
        single('a', yesNo, { required: true }),
        integer('b', { required: true, relevant: "${a} = '1'", min: 0, max: 5 }),
        grid('g', ['g1', 'g2'], yesNo, { required: true }),
      ]),
    );
    let state = answer(strict, { a: '2', g1: '1' });
    expect(completion(strict, state, 'en')).toMatchObject({
      canComplete: false,
      problems: [{ id: 'g2', code: 'required' }],
    });
    state = setAnswer(strict, state, 'g2', DONT_KNOW);
    expect(completion(strict, state, 'en')).toEqual({
      canComplete: true,
      screenOut: undefined,
      problems: [],
    });
    // A stored answer that is no longer valid blocks completion.
    state = setAnswer(strict, setAnswer(strict, state, 'a', '1'), 'b', 9);
    expect(completion(strict, state, 'en').problems).toEqual([
      expect.objectContaining({ id: 'b', code: 'out_of_range' }),
    ]);
  });
});

describe('incremental recomputation', () => {
  // A chain of calculations and relevance several levels deep, over grid rows and sections.
  const q = load(
    definition([
      section('s1', [
        single('a', ['1', '2', '3']),
        integer('n', { relevant: "${a} != '3'", min: 0, max: 10 }),
        multiple('m', ['x', 'y', 'z']),
        calculate('k', 'count-selected(${m}) + coalesce(${n}, 0)'),
      ]),
      section(
        's2',
        [
          grid('g', ['r1', 'r2'], ['0', '1'], {}),
          calculate('t', "${k} + ${r1} + if(selected(${m}, 'z'), 10, 0)"),
          integer('u', { relevant: '${t} > 3' }),
          calculate('v', "if(${u} > 5, 'hi', 'lo')"),
        ],
        { relevant: "${a} != '2'" },
      ),
    ]),
  );
  const ids = ['a', 'n', 'm', 'r1', 'r2', 'u'] as const;
  const values: Record<(typeof ids)[number], fc.Arbitrary<Answer | undefined>> = {
    a: fc.constantFrom('1', '2', '3', undefined, REFUSED),
    n: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
    m: fc.option(fc.subarray(['x', 'y', 'z'], { minLength: 1 }), { nil: undefined }),
    r1: fc.constantFrom('0', '1', undefined, DONT_KNOW),
    r2: fc.constantFrom('0', '1', undefined),
    u: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  };
  const change = fc.oneof(...ids.map((id) => values[id].map((value) => [id, value] as const)));

  it('gives the same state as evaluating everything again, whatever the order of changes', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 30 }), (changes) => {
        let state = createState(q, [], clock);
        for (const [id, value] of changes) state = setAnswer(q, state, id, value);
        const fresh = createState(q, state.answers, clock);
        expect(state.values).toEqual(fresh.values);
        expect(state.relevant).toEqual(fresh.relevant);
        // The same without copying the answers (the server's checks build the map for it).
        const taking = createStateTaking(q, new Map(state.answers), clock);
        expect(taking.values).toEqual(fresh.values);
        expect(taking.relevant).toEqual(fresh.relevant);
      }),
      { numRuns: 500 },
    );
  });
});
