// XLSForm's choice_filter read into each choice's own condition, and written back: what converts
// (columns of the choices sheet compared with earlier answers), what is refused at its cell, and
// the small form written by hand in LibreOffice, which converts and runs through the engine.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readWorkbook } from '../../../../scripts/lib/xlsx.ts';
import type { Definition, Item } from '../../../../src/core/questionnaire/index.ts';
import {
  DONT_KNOW,
  completion,
  createState,
  isChoiceOffered,
  isRelevant,
  loadQuestionnaire,
  nextItem,
  setAnswer,
  validateAnswer,
  valueOf,
} from '../../../../src/core/questionnaire/index.ts';
import { FUNCTION_NAMES } from '../../../../src/core/expression/index.ts';
import type { Workbook } from '../../../../src/core/xlsform/index.ts';
import { formatSheetIssue, fromXlsForm, toXlsForm } from '../../../../src/core/xlsform/index.ts';
import { fixedClock } from '../../../helpers/builder.ts';

const clock = fixedClock('2026-11-23');

/** A region, then a town filtered by `filter`, the choices sheet with `extra` columns. */
function form(filter: string, extra: { header: string; cells: string[] }[] = []): Workbook {
  const towns = [
    ['towns', 'lille', 'Lille'],
    ['towns', 'nice', 'Nice'],
    ['towns', 'ailleurs', 'Ailleurs'],
  ];
  return {
    survey: [
      ['type', 'name', 'label::Français (fr)', 'choice_filter'],
      ['select_one regions', 'region', 'Région ?', ''],
      ['select_one towns', 'town', 'Commune ?', filter],
    ],
    choices: [
      ['list_name', 'name', 'label::Français (fr)', ...extra.map((column) => column.header)],
      ['regions', 'nord', 'Nord'],
      ['regions', 'sud', 'Sud'],
      ...towns.map((row, i) => [...row, ...extra.map((column) => column.cells[i] ?? '')]),
    ],
    settings: [
      ['form_id', 'version'],
      ['filters', '1'],
    ],
  };
}

function townChoices(definition: Definition | undefined): unknown {
  const town = definition?.sections[0]?.items.find((item) => item.id === 'town');
  return town !== undefined && 'choices' in town ? town.choices : undefined;
}

function errors(workbook: Workbook): string[] {
  return fromXlsForm(workbook)
    .issues.filter((issue) => issue.severity === 'error')
    .map(formatSheetIssue);
}

describe('choice_filter read into each choice’s condition', () => {
  it('puts each choice’s cell of the named column in the filter, as text', () => {
    const result = fromXlsForm(
      form('filter=${region}', [{ header: 'filter', cells: ['nord', 'sud', ''] }]),
    );
    expect(result.issues).toEqual([]);
    expect(townChoices(result.definition)).toEqual([
      { code: 'lille', label: { fr: 'Lille' }, relevant: "'nord'=${region}" },
      { code: 'nice', label: { fr: 'Nice' }, relevant: "'sud'=${region}" },
      { code: 'ailleurs', label: { fr: 'Ailleurs' }, relevant: "''=${region}" },
    ]);
  });

  it('reads `name` as the choice’s code, and keeps texts, numbers and our functions', () => {
    const result = fromXlsForm(form("name != 'ailleurs' or selected(${region}, 'sud') or 1 > 2"));
    expect(result.issues).toEqual([]);
    expect(townChoices(result.definition)).toMatchObject([
      { relevant: "'lille' != 'ailleurs' or selected(${region}, 'sud') or 1 > 2" },
      { relevant: "'nice' != 'ailleurs' or selected(${region}, 'sud') or 1 > 2" },
      { relevant: "'ailleurs' != 'ailleurs' or selected(${region}, 'sud') or 1 > 2" },
    ]);
  });

  it('gives the filtered question its own copy: another question of the list keeps them all', () => {
    const workbook = form('region = ${region}', [{ header: 'region', cells: ['nord', 'sud', ''] }]);
    const survey = [...(workbook['survey'] ?? []), ['select_one towns', 'born', 'Née à ?', '']];
    const result = fromXlsForm({ ...workbook, survey });
    expect(result.issues).toEqual([]);
    const born = result.definition?.sections[0]?.items.find((item) => item.id === 'born');
    expect(born).toMatchObject({ choices: 'towns' });
    expect(result.definition?.choiceLists?.['towns']?.some((c) => 'relevant' in c)).toBe(false);
  });

  it('refuses what has no meaning one choice at a time, at the filter’s cell', () => {
    const cell = 'survey, row 3, column choice_filter (D)';
    expect(errors(form('position() = 1'))).toEqual([
      `${cell}: the choice filter calls position(), which we do not have (functions: ${FUNCTION_NAMES.join(', ')})`,
    ]);
    expect(errors(form("jr:choice-name(${region}, '${region}') = 'Nord'"))).toEqual([
      `${cell}: the choice filter calls jr:choice-name(), which we do not have (functions: ${FUNCTION_NAMES.join(', ')})`,
    ]);
    expect(errors(form('/data/region = ${region}'))).toEqual([
      `${cell}: the choice filter uses XPath paths and predicates, which we do not read: compare a column with an answer, e.g. filter = \${region}`,
      `${cell}: the choice filter names "data", which is not a column of the choices sheet`,
      `${cell}: the choice filter names "region", which is not a column of the choices sheet`,
    ]);
    expect(errors(form("label = 'Lille'"))).toEqual([
      `${cell}: the choice filter reads the label, which depends on the language: filter on a column of codes`,
    ]);
    expect(errors(form('county = ${region}'))).toEqual([
      `${cell}: the choice filter names "county", which is not a column of the choices sheet`,
    ]);
  });

  it('refuses a filter in a grid or on a question without choices', () => {
    const grid: Workbook = {
      ...form(''),
      survey: [
        ['type', 'name', 'label::Français (fr)', 'choice_filter', 'appearance'],
        ['select_one regions', 'region', 'Région ?', '', ''],
        ['begin_group', 'g', 'Grille', '', 'table-list'],
        ['select_one towns', 'a', 'A', "name = 'lille'", ''],
        ['end_group', '', '', '', ''],
        ['text', 't', 'T', "name = 'lille'", ''],
      ],
    };
    expect(errors(grid)).toEqual([
      'survey, row 4, column choice_filter (D): a choice filter is not read in a table-list group (a grid): its rows share one list',
      'survey, row 3, column type (A): the grid "g" has no rows',
      'survey, row 6, column choice_filter (D): a choice filter applies only to select_one and select_multiple questions',
    ]);
  });

  it('places a filter the loader refuses at the filter’s cell: a later answer', () => {
    const workbook = form('region = ${later}', [{ header: 'region', cells: ['nord', 'sud', ''] }]);
    const survey = [...(workbook['survey'] ?? []), ['text', 'later', 'Plus tard ?', '']];
    const result = fromXlsForm({ ...workbook, survey });
    expect(result.definition).toBeUndefined();
    expect(result.issues.map(formatSheetIssue)).toContain(
      'survey, row 3, column choice_filter (D): relevant refers to ${later}, which is asked later; a condition can only use answers given before',
    );
  });

  it('writes each choice’s condition back (smpg_relevant): definition -> XLSForm -> definition', () => {
    const first = fromXlsForm(
      form('filter = ${region}', [{ header: 'filter', cells: ['nord', 'sud', ''] }]),
    ).definition;
    if (first === undefined) throw new Error('not converted');
    const workbook = toXlsForm(first);
    expect(workbook['choices']?.[0]).toContain('smpg_relevant');
    expect(fromXlsForm(workbook).definition).toEqual(first);
  });

  it('reads a shared list’s conditions from smpg_relevant, placed at their cells', () => {
    const workbook: Workbook = {
      ...form(''),
      choices: [
        ['list_name', 'name', 'label::Français (fr)', 'smpg_relevant'],
        ['regions', 'nord', 'Nord', ''],
        ['regions', 'sud', 'Sud', ''],
        ['towns', 'lille', 'Lille', "${regionn} = 'nord'"],
        ['towns', 'nice', 'Nice', ''],
      ],
    };
    const result = fromXlsForm(workbook);
    expect(result.issues.filter((i) => i.severity === 'error').map(formatSheetIssue)).toEqual([
      'choices, row 4, column smpg_relevant (D): unknown question ${regionn}; did you mean ${region}?',
    ]);
  });
});

describe('the form written by hand in LibreOffice (tests/fixtures/xlsform/libreoffice-form.fods)', () => {
  async function converted(): Promise<Definition> {
    const bytes = readFileSync('tests/fixtures/xlsform/libreoffice-form.xlsx');
    const result = fromXlsForm(await readWorkbook(bytes));
    expect(result.issues.map(formatSheetIssue)).toEqual([]);
    if (result.definition === undefined) throw new Error('not converted');
    return result.definition;
  }

  it('converts with no issue: every supported type, two languages, a choice filter', async () => {
    const definition = await converted();
    expect(definition).toMatchObject({
      id: 'essai_libreoffice',
      version: '1',
      languages: ['fr', 'en'],
      defaultLanguage: 'fr',
      title: { fr: 'Essai LibreOffice', en: 'LibreOffice test' },
    });
    const items = definition.sections.flatMap((section) => section.items as Item[]);
    expect(items.map((item) => `${item.id}:${item.type}`)).toEqual([
      'accord:single',
      'region:single',
      'commune:single',
      'age:integer',
      'taille:decimal',
      'arrivee:date',
      'metier:text',
      'loisirs:multiple',
      'majeur:calculate',
      'note_majeur:note',
      'humeur:grid',
      'merci:note',
    ]);
    expect(toXlsForm(definition)['choices']?.[0]).toContain('smpg_relevant');
    expect(fromXlsForm(toXlsForm(definition)).definition).toEqual(definition);
  });

  it('runs through the engine: towns follow the region, constraint, calculation, relevant', async () => {
    const loaded = loadQuestionnaire(await converted());
    if (loaded.status === 'failure') throw new Error('not loaded');
    const q = loaded.questionnaire;
    const towns = (state: ReturnType<typeof createState>) =>
      ['lille', 'roubaix', 'marseille', 'nice'].filter((code) =>
        isChoiceOffered(q, state, 'commune', code),
      );
    let state = createState(q, [], clock);
    expect(nextItem(q, state, null)).toMatchObject({ id: 'accord' });
    state = setAnswer(q, state, 'accord', 'OK');
    state = setAnswer(q, state, 'region', 'nord');
    expect(towns(state)).toEqual(['lille', 'roubaix']);
    state = setAnswer(q, state, 'region', 'sud');
    expect(towns(state)).toEqual(['marseille', 'nice']);
    expect(validateAnswer(q, state, 'commune', 'lille', 'fr')).toMatchObject({
      code: 'choice_not_offered',
    });
    state = setAnswer(q, state, 'commune', 'nice');
    expect(validateAnswer(q, state, 'age', 12, 'fr')).toEqual({
      valid: false,
      code: 'constraint',
      message: 'Entre 15 et 110 ans.',
    });
    expect(validateAnswer(q, state, 'age', 12, 'en')).toMatchObject({
      message: 'Between 15 and 110.',
    });
    state = setAnswer(q, state, 'age', 17);
    expect(isRelevant(q, state, 'arrivee')).toBe(false);
    expect(isRelevant(q, state, 'note_majeur')).toBe(false);
    state = setAnswer(q, state, 'age', 34);
    expect(valueOf(q, state, 'majeur')).toBe(1);
    expect(isRelevant(q, state, 'arrivee')).toBe(true);
    expect(isRelevant(q, state, 'note_majeur')).toBe(true);
    state = setAnswer(q, state, 'taille', 1.72);
    state = setAnswer(q, state, 'arrivee', '2019-09-01');
    state = setAnswer(q, state, 'metier', 'Infirmière');
    state = setAnswer(q, state, 'loisirs', ['sport', 'musique']);
    expect(completion(q, state, 'fr').problems.map((problem) => problem.id)).toEqual([
      'triste',
      'fatigue',
    ]);
    state = setAnswer(q, state, 'triste', '1');
    state = setAnswer(q, state, 'fatigue', DONT_KNOW);
    expect(completion(q, state, 'fr')).toMatchObject({ canComplete: true, problems: [] });
  });
});
