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
  nonResponseOf,
  resultOf,
  unknownsOf,
} from '../../../../src/core/questionnaire/unknowns.ts';
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
    // With s1 "yes" the score is 2 (positive), with "no" 1: undetermined, not 0. The alert reads
    // the plain value (the refusal counted as no answer) as the questionnaire was written.
    expect(valueOf(q, state, 'positive')).toBe(0);
    expect(nonResponseOf(q, state, 'positive')).toBe('refused');
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

describe('calculations that read a non-response', () => {
  // A module as the SMPG's: a screen opens three symptoms; the result needs the screen and 2 of 3.
  const count = "(${s1} = '1') + (${s2} = '1') + (${s3} = '1')";
  const q = load(
    definition(
      [
        section('module', [
          single('screen', yesNo),
          single('s1', yesNo, { relevant: "${screen} = '1'" }),
          single('s2', yesNo, { relevant: "${screen} = '1'" }),
          single('s3', yesNo, { relevant: "${screen} = '1'" }),
          calculate('res', `if(\${screen} = '1' and ${count} >= 2, 1, 0)`),
          calculate('label', "if(${res} = 1, 'positive', 'negative')"),
          calculate('fallback', 'coalesce(${res}, 9)'),
        ]),
        section('follow_up', [single('help', yesNo)], { relevant: '${res} = 1' }),
        section('more', [
          single('three', ['1', '2', '3']),
          calculate('any_code', "if(${three} = '1' or ${three} = '2' or ${three} = '3', 1, 0)"),
          integer('n', { min: 0, max: 20 }),
          calculate('n_high', 'if(${n} > 5, 1, 0)'),
          calculate('n_ignored', 'if(${n} > 5 or true(), 1, 0)'),
          multiple('m', ['x', 'y']),
          calculate('m_count', 'count-selected(${m}) >= 0'),
          grid('g', ['g1'], yesNo),
          calculate('row_known', "if(${g1} = '1' or ${g1} = '2', 'asked', 'not')"),
        ]),
        // As the SMPG's suicide module: an attempt this month skips the question about earlier
        // ones, and both count.
        section('risk', [
          single('month', yesNo),
          single('life', yesNo, { relevant: "${month} != '1'" }),
          calculate(
            'score',
            "if(${month} = '1', 10, 0) + if(${month} = '1' or ${life} = '1', 4, 0)",
          ),
          calculate('level', "if(${score} >= 4, 'some', 'none')"),
        ]),
      ],
      {
        alerts: [
          {
            id: 'negative',
            when: '${res} = 0',
            title: { fr: 'Négatif', en: 'Negative' },
            protocol: { fr: 'Rien', en: 'Nothing' },
          },
        ],
      },
    ),
  );
  const stateOf = (answers: Record<string, Answer>) =>
    createState(q, Object.entries(answers), clock);

  it('is undetermined, not 0, when a screen was answered "don\'t know"', () => {
    const state = stateOf({ screen: DONT_KNOW });
    // Expressions read the plain value (the screen counted as no answer); the reason says why
    // it is not a result.
    expect(valueOf(q, state, 'res')).toBe(0);
    expect(nonResponseOf(q, state, 'res')).toBe('dont_know');
    expect(calculatedValues(q, state).get('res')).toBe(0);
    // Read through another calculation: undetermined too, for the same reason.
    expect(valueOf(q, state, 'label')).toBe('negative');
    expect(nonResponseOf(q, state, 'label')).toBe('dont_know');
    expect(valueOf(q, state, 'fallback')).toBe(0);
    // Relevance and alerts follow the rules as written, on the plain value: no follow-up, and the
    // alert on a 0 holds.
    expect(isRelevant(q, state, 'help')).toBe(false);
    expect(activeAlerts(q, state).map((alert) => alert.id)).toEqual(['negative']);
  });

  it('is 0 when the screen is no, and 1 when the criteria are met whatever a refusal hides', () => {
    const no = stateOf({ screen: '2' });
    expect(valueOf(q, no, 'res')).toBe(0);
    expect(nonResponseOf(q, no, 'res')).toBeUndefined();
    expect(activeAlerts(q, no).map((alert) => alert.id)).toEqual(['negative']);
    const met = stateOf({ screen: '1', s1: '1', s2: '1', s3: REFUSED });
    expect(valueOf(q, met, 'res')).toBe(1);
    expect(nonResponseOf(q, met, 'res')).toBeUndefined();
    expect(valueOf(q, met, 'label')).toBe('positive');
    expect(isRelevant(q, met, 'help')).toBe(true);
    // Nor can a refusal lift one symptom of three to two.
    const short = stateOf({ screen: '1', s1: '2', s2: '2', s3: REFUSED });
    expect(valueOf(q, short, 'res')).toBe(0);
    const open = stateOf({ screen: '1', s1: '1', s2: '2', s3: REFUSED });
    expect(valueOf(q, open, 'res')).toBe(0);
    expect(nonResponseOf(q, open, 'res')).toBe('refused');
  });

  it("says refused when any non-response it depends on is a refusal, else don't know", () => {
    const both = stateOf({ screen: '1', s1: DONT_KNOW, s2: REFUSED, s3: '2' });
    expect(nonResponseOf(q, both, 'res')).toBe('refused');
    expect(nonResponseOf(q, both, 'label')).toBe('refused');
    const dontKnow = stateOf({ screen: '1', s1: DONT_KNOW, s2: DONT_KNOW, s3: '2' });
    expect(nonResponseOf(q, dontKnow, 'res')).toBe('dont_know');
  });

  it("lets a single choice's non-response stand for its codes, other items for any value", () => {
    const state = stateOf({ three: REFUSED, n: DONT_KNOW, m: REFUSED });
    // Every code of `three` gives 1: the record's result, though the interview read 0 (plain).
    expect(resultOf(q, state, 'any_code')).toBe(1);
    expect(valueOf(q, state, 'any_code')).toBe(0);
    expect(valueOf(q, state, 'n_high')).toBe(0);
    expect(nonResponseOf(q, state, 'n_high')).toBe('dont_know');
    expect(valueOf(q, state, 'n_ignored')).toBe(1);
    // count-selected of any value is any number: even `>= 0` is not known.
    expect(nonResponseOf(q, state, 'm_count')).toBe('refused');
    // A grid row of a single-choice grid stands for its codes.
    expect(resultOf(q, stateOf({ g1: REFUSED }), 'row_known')).toBe('asked');
  });

  it('remembers that an item is skipped exactly when the answer that decides it says so', () => {
    // month "yes": 10 + 4; month "no": life is asked, "yes": 4. Both are "some".
    const state = stateOf({ month: DONT_KNOW, life: '1' });
    // The score could be 14 or 4: undetermined (its plain value, the "don't know" as no answer,
    // is 4); the level is "some" either way.
    expect(valueOf(q, state, 'score')).toBe(4);
    expect(nonResponseOf(q, state, 'score')).toBe('dont_know');
    expect(valueOf(q, state, 'level')).toBe('some');
    expect(nonResponseOf(q, state, 'level')).toBeUndefined();
    // month "no" with life "no" is 0: not known.
    const unknown = stateOf({ month: DONT_KNOW, life: '2' });
    expect(valueOf(q, unknown, 'level')).toBe('none');
    expect(nonResponseOf(q, unknown, 'level')).toBe('dont_know');
    // A plain answer keeps the plain result.
    expect(valueOf(q, stateOf({ month: '2', life: '1' }), 'level')).toBe('some');
  });

  it('changes nothing when no relevant item holds a non-response', () => {
    const plain = stateOf({ screen: '1', s1: '1', s2: '2', s3: '2', month: '2', life: '2' });
    expect(unknownsOf(q, plain).every((entry) => entry === undefined)).toBe(true);
    // A non-response kept for an item that is no longer asked is not read.
    const kept = stateOf({ screen: '2', s1: REFUSED });
    expect(unknownsOf(q, kept).every((entry) => entry === undefined)).toBe(true);
    expect(valueOf(q, kept, 'res')).toBe(0);
  });

  const ids = ['screen', 's1', 's2', 's3', 'three', 'n', 'm', 'g1', 'month', 'life'] as const;
  const yesNoAnswer = fc.constantFrom<Answer | undefined>('1', '2', undefined, DONT_KNOW, REFUSED);
  const values: Record<(typeof ids)[number], fc.Arbitrary<Answer | undefined>> = {
    screen: yesNoAnswer,
    s1: yesNoAnswer,
    s2: yesNoAnswer,
    s3: yesNoAnswer,
    three: fc.constantFrom<Answer | undefined>('1', '3', undefined, REFUSED),
    n: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom(undefined, DONT_KNOW)),
    m: fc.constantFrom<Answer | undefined>(['x'], ['x', 'y'], undefined, REFUSED),
    g1: yesNoAnswer,
    month: yesNoAnswer,
    life: yesNoAnswer,
  };
  const change = fc.oneof(...ids.map((id) => values[id].map((value) => [id, value] as const)));

  it('gives a value only when every answer the non-responses could stand for gives it', () => {
    const choices: Record<string, readonly string[]> = {
      screen: yesNo,
      s1: yesNo,
      s2: yesNo,
      s3: yesNo,
      three: ['1', '2', '3'],
      month: yesNo,
      life: yesNo,
    };
    const calculations = ['res', 'label', 'fallback', 'any_code', 'score', 'level'];
    const answersArb = fc.record(
      Object.fromEntries(Object.keys(choices).map((id) => [id, values[id as 'screen']])),
    );
    fc.assert(
      fc.property(answersArb, (given) => {
        const answers = Object.entries(given).filter(
          (entry): entry is [string, Answer] => entry[1] !== undefined,
        );
        const state = createState(q, answers, clock);
        // Each item the respondent did not answer plainly (a non-response, or not asked) takes
        // each of its codes; an answer given, or an item asked and left empty, stays.
        const worlds: [string, Answer][][] = [[]];
        for (const [id, codes] of Object.entries(choices)) {
          const answer = state.answers.get(id);
          const open = !isRelevant(q, state, id) || nonResponseOf(q, state, id) !== undefined;
          const options: (Answer | undefined)[] = open ? [...codes] : [answer];
          const next = worlds.flatMap((world) =>
            options.map((option) => (option === undefined ? world : [...world, [id, option]])),
          );
          worlds.splice(0, worlds.length, ...(next as [string, Answer][][]));
        }
        for (const id of calculations) {
          if (nonResponseOf(q, state, id) !== undefined) continue;
          const value = resultOf(q, state, id);
          for (const world of worlds)
            expect(
              valueOf(q, createState(q, world, clock), id),
              `${id} in ${JSON.stringify(world)}`,
            ).toBe(value);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is the same after any changes, one by one, as evaluated again from the answers', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 30 }), (changes) => {
        let state = createState(q, [], clock);
        for (const [id, value] of changes) state = setAnswer(q, state, id, value);
        const fresh = createState(q, state.answers, clock);
        expect(state.values).toEqual(fresh.values);
        expect(state.relevant).toEqual(fresh.relevant);
        expect(unknownsOf(q, state)).toEqual(unknownsOf(q, fresh));
      }),
      { numRuns: 500 },
    );
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
    n: fc.oneof(
      fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
      fc.constant(DONT_KNOW),
    ),
    m: fc.oneof(
      fc.option(fc.subarray(['x', 'y', 'z'], { minLength: 1 }), { nil: undefined }),
      fc.constant(REFUSED),
    ),
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
        expect(unknownsOf(q, state)).toEqual(unknownsOf(q, fresh));
        // The same without copying the answers (the server's checks build the map for it).
        const taking = createStateTaking(q, new Map(state.answers), clock);
        expect(taking.values).toEqual(fresh.values);
        expect(taking.relevant).toEqual(fresh.relevant);
        expect(unknownsOf(q, taking)).toEqual(unknownsOf(q, fresh));
      }),
      { numRuns: 500 },
    );
  });
});
