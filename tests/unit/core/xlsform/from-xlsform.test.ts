// Reading XLSForm workbooks written the way the ODK community writes them: what we read runs in
// the engine; what we cannot run is refused with its sheet, row and column, never dropped.
import { describe, expect, it } from 'vitest';
import { formatSheetIssue, fromXlsForm, toXlsForm } from '../../../../src/core/xlsform/index.ts';
import type { Workbook } from '../../../../src/core/xlsform/index.ts';
import { loadQuestionnaire } from '../../../../src/core/questionnaire/index.ts';
import { readWorkbook, writeWorkbook } from '../../../../scripts/lib/xlsx.ts';

/** An ODK-style form: English labels with no language, metadata, a table, a nested group. */
const ODK_FORM: Workbook = {
  survey: [
    [
      'type',
      'name',
      'label',
      'hint',
      'required',
      'relevant',
      'constraint',
      'appearance',
      'media::image',
    ],
    ['start', 'start', '', '', '', '', '', '', ''],
    ['today', 'today', '', '', '', '', '', '', ''],
    [
      'integer',
      'age',
      'How old are you?',
      'In years',
      'yes',
      '',
      '. >= 0 and . <= 120',
      '',
      'age.png',
    ],
    ['select_one yn', 'smokes', 'Do you smoke?', '', 'yes', '', '', 'horizontal', ''],
    ['begin group', 'habits', 'Habits', '', '', "${smokes} = 'yes'", '', 'field-list', ''],
    ['integer', 'per_day', 'How many a day?', '', '', '', '', '', ''],
    ['begin_group', 'heavy', 'Heavy smokers', '', '', '${per_day} > 10', '', '', ''],
    ['integer', 'years', 'For how many years?', '', '', '${age} > 20', '', '', ''],
    ['end_group', '', '', '', '', '', '', '', ''],
    ['begin_group', 'table', 'How often do you…', '', '', '', '', 'table-list', ''],
    ['select_one freq', 'header', 'Columns', '', '', '', '', 'label', ''],
    ['select_one freq', 'walk', 'walk', '', 'yes', '', '', 'list-nolabel', ''],
    ['select_one freq', 'read', 'read', '', 'yes', '', '', 'list-nolabel', ''],
    ['end_group', '', '', '', '', '', '', '', ''],
    ['end group', '', '', '', '', '', '', '', ''],
    ['select_one yn or_other', 'pet', 'Do you have a pet?', '', '', '', '', '', ''],
    ['text', 'comment', 'Anything else?', '', '', '', '', 'multiline', ''],
    ['acknowledge', 'thanks', 'Thank the respondent', '', '', '', '', '', ''],
  ],
  choices: [
    ['list_name', 'name', 'label'],
    ['yn', 'yes', 'Yes'],
    ['yn', 'no', 'No'],
    ['freq', 'never', 'Never'],
    ['freq', 'often', 'Often'],
  ],
  settings: [
    ['form_title', 'form_id', 'version'],
    ['Habits survey', 'habits', '202601'],
  ],
};

const errors = (result: ReturnType<typeof fromXlsForm>) =>
  result.issues.filter((issue) => issue.severity === 'error').map(formatSheetIssue);
const warnings = (result: ReturnType<typeof fromXlsForm>) =>
  result.issues.filter((issue) => issue.severity === 'warning').map(formatSheetIssue);

describe('fromXlsForm on an ODK-style form', () => {
  const result = fromXlsForm(ODK_FORM);

  it('converts it into a definition the engine loads', () => {
    expect(errors(result)).toEqual([]);
    const definition = result.definition;
    expect(definition).toBeDefined();
    expect(loadQuestionnaire(definition).status).not.toBe('failure');
    expect(definition?.id).toBe('habits');
    expect(definition?.languages).toEqual(['en']);
    expect(definition?.title).toEqual({ en: 'Habits survey' });
  });

  it('puts items outside groups in a section, flattens a nested group into its relevant', () => {
    const sections = result.definition?.sections ?? [];
    expect(sections.map((section) => section.id)).toEqual(['main', 'habits', 'main_2']);
    const habits = sections[1]?.items ?? [];
    expect(habits.map((item) => item.id)).toEqual(['per_day', 'years', 'table']);
    expect(sections[1]?.relevant).toBe("${smokes} = 'yes'");
    expect(habits[1]?.relevant).toBe('(${per_day} > 10) and (${age} > 20)');
  });

  it('reads a table-list group as a grid, its label row dropped, required said once', () => {
    const grid = result.definition?.sections[1]?.items[2];
    expect(grid).toMatchObject({
      type: 'grid',
      choices: 'freq',
      required: true,
      rows: [
        { id: 'walk', label: { en: 'walk' } },
        { id: 'read', label: { en: 'read' } },
      ],
    });
  });

  it('reads or_other as an "other" choice and a text asked after it', () => {
    const items = result.definition?.sections[2]?.items ?? [];
    expect(items[0]).toMatchObject({
      id: 'pet',
      type: 'single',
      choices: [{ code: 'yes' }, { code: 'no' }, { code: 'other', label: { en: 'Other' } }],
    });
    expect(items[1]).toMatchObject({
      id: 'pet_other',
      type: 'text',
      relevant: "selected(${pet}, 'other')",
    });
    expect(items[2]).toMatchObject({ id: 'comment', multiline: true });
    expect(items[3]).toMatchObject({ id: 'thanks', type: 'single', choices: [{ code: 'OK' }] });
  });

  it('warns, once each, of what it does not read: metadata, media, appearances, no language', () => {
    expect(warnings(result)).toEqual([
      'survey, row 1, column label (C): the labels have no language: read as English (en); write "label::Français (fr)" to say which',
      'survey, row 2, column type (A): "start" is not read: the app records times, device and interviewer itself',
      'survey, row 3, column type (A): "today" is not read: the app records times, device and interviewer itself',
      'survey, row 4, column media::image (I): media are not shown: the column is not read',
      'survey, row 5, column appearance (H): the appearance "horizontal" is not used: the app shows the question its own way',
      'survey, row 8, column type (A): the group "heavy" inside a section is read as part of it: its relevant applies to each of its questions',
    ]);
  });
});

describe('fromXlsForm refuses, naming sheet, row and column', () => {
  function withRows(...rows: string[][]): Workbook {
    return {
      survey: [['type', 'name', 'label::Français (fr)', 'relevant', 'choice_filter'], ...rows],
      choices: [
        ['list_name', 'name', 'label::Français (fr)'],
        ['yn', '1', 'Oui'],
        ['yn', '2', 'Non'],
      ],
      settings: [
        ['form_id', 'version'],
        ['test', '1'],
      ],
    };
  }

  it.each([
    [
      ['geopoint', 'where', 'Où ?', '', ''],
      'survey, row 2, column type (A): locations are not recorded: the survey is anonymous',
    ],
    [
      ['begin_repeat', 'kids', 'Enfants', '', ''],
      'survey, row 2, column type (A): repeats are not supported: ask each person or event as questions of its own',
    ],
    [
      ['select_one yn', 'q', 'Q ?', '', 'x = 1'],
      'survey, row 2, column choice_filter (E): the choice filter names "x", which is not a column of the choices sheet',
    ],
    [
      ['integer', 'n', 'N ?', '', "name = '1'"],
      'survey, row 2, column choice_filter (E): a choice filter applies only to select_one and select_multiple questions',
    ],
    [
      ['select_one colours', 'q', 'Q ?', '', ''],
      'survey, row 2, column type (A): the list "colours" is not in the choices sheet',
    ],
    [
      ['image', 'photo', 'Photo', '', ''],
      'survey, row 2, column type (A): media answers are not supported',
    ],
    [['integer', '', 'Âge ?', '', ''], 'survey, row 2, column name (B): the question has no name'],
    [
      ['magic', 'm', 'M', '', ''],
      'survey, row 2, column type (A): "magic" is not a question type we read (see questionnaires/README.md)',
    ],
  ])('%j', (row, message) => {
    const result = fromXlsForm(withRows(row));
    expect(result.definition).toBeUndefined();
    expect(errors(result)).toContain(message);
  });

  it('places the loader’s refusals at their cells: an unknown name in relevant', () => {
    const result = fromXlsForm(
      withRows(
        ['integer', 'age', 'Âge ?', '', ''],
        ['text', 'why', 'Pourquoi ?', '${agee} > 3', ''],
      ),
    );
    expect(result.definition).toBeUndefined();
    const issue = result.issues.find((i) => i.severity === 'error');
    expect(issue).toMatchObject({ sheet: 'survey', row: 3, column: 'relevant', columnLetter: 'D' });
    expect(issue?.message).toMatch(/agee/);
  });

  it('refuses a language without its code and a group left open', () => {
    const result = fromXlsForm({
      survey: [
        ['type', 'name', 'label::English'],
        ['begin_group', 'g', 'G'],
        ['integer', 'n', 'N'],
      ],
      settings: [
        ['form_id', 'version'],
        ['t', '1'],
      ],
    });
    expect(errors(result)).toEqual([
      'survey, row 1, column label::English (C): the language has no code: write it as "label::English (xx)", e.g. "label::Français (fr)"',
      'survey, row 2, column type (A): the group "g" has no end_group',
    ]);
  });

  it('refuses a workbook with no survey sheet', () => {
    expect(errors(fromXlsForm({ Sheet1: [['a']] }))).toEqual([
      'survey: the workbook has no "survey" sheet',
    ]);
  });
});

describe('.xlsx bytes', () => {
  it('write and read back the same workbook, codes such as 01 kept as text', async () => {
    const workbook: Workbook = {
      ...ODK_FORM,
      choices: [
        ...(ODK_FORM['choices'] ?? []),
        ['codes', '01', 'Zéro un'],
        ['codes', '2026.10', 'x'],
      ],
    };
    const back = await readWorkbook(await writeWorkbook(workbook));
    const trim = (rows: readonly (readonly string[])[]) =>
      rows.map((row) => {
        const copy = [...row];
        while (copy.length > 0 && copy[copy.length - 1] === '') copy.pop();
        return copy;
      });
    for (const name of Object.keys(workbook)) {
      expect(trim(back[name] ?? [])).toEqual(trim(workbook[name] ?? []));
    }
  });

  it('carry SMPG 2026.2 there and back', async () => {
    const { readFileSync } = await import('node:fs');
    const definition = JSON.parse(readFileSync('questionnaires/smpg/2026.2.json', 'utf8'));
    const back = fromXlsForm(await readWorkbook(await writeWorkbook(toXlsForm(definition))));
    expect(back.definition).toEqual(definition);
  });
});
