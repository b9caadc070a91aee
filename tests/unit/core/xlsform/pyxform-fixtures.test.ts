// Public XLSForm forms of the ODK/pyxform community (pyxform's own test forms, BSD 2-Clause; see
// tests/fixtures/README.md), as .xlsx: each converts and runs through the engine, or is refused
// with reasons that name the sheet, row and column.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readWorkbook } from '../../../../scripts/lib/xlsx.ts';
import {
  createState,
  isChoiceOffered,
  loadQuestionnaire,
  nextItem,
  setAnswer,
  validateAnswer,
} from '../../../../src/core/questionnaire/index.ts';
import type { Workbook } from '../../../../src/core/xlsform/index.ts';
import { formatSheetIssue, fromXlsForm } from '../../../../src/core/xlsform/index.ts';
import {
  PYXFORM_FIXTURES,
  sourceWorkbook,
  xlsxPath,
} from '../../../fixtures/xlsform/pyxform-sources.ts';
import { fixedClock } from '../../../helpers/builder.ts';

/** Rows without their trailing empty cells: the reader pads each row to the sheet's width. */
function trimmed(workbook: Workbook): Workbook {
  return Object.fromEntries(
    Object.entries(workbook).map(([name, rows]) => [
      name,
      rows.map((row) => {
        let end = row.length;
        while (end > 0 && row[end - 1] === '') end--;
        return row.slice(0, end);
      }),
    ]),
  );
}

async function convert(source: string) {
  const workbook = await readWorkbook(readFileSync(xlsxPath(source)));
  return { workbook, result: fromXlsForm(workbook, { id: 'pyxform', version: '1' }) };
}

/** The forms refused, with every error, as the dashboard and the command line print them. */
const REFUSED: readonly [string, readonly string[]][] = [
  [
    'yes-or-no-question.txt',
    [
      'survey, row 1, column label:english (C): the language has no code: write it as "label::english (xx)", e.g. "label::Français (fr)"',
      'choices, row 1, column label:english (C): the language has no code: write it as "label::english (xx)", e.g. "label::Français (fr)"',
    ],
  ],
  [
    'text-and-integer.txt',
    [
      'survey, row 1, column label:english (C): the language has no code: write it as "label::english (xx)", e.g. "label::Français (fr)"',
      'choices, row 1, column label:english (C): the language has no code: write it as "label::english (xx)", e.g. "label::Français (fr)"',
    ],
  ],
  [
    'group.txt',
    [
      'survey, row 4, column type (A): "phone number" is not a question type we read (see questionnaires/README.md)',
    ],
  ],
  [
    'specify-other.txt',
    [
      'survey, row 1, column label:English (C): the language has no code: write it as "label::English (xx)", e.g. "label::Français (fr)"',
      'choices, row 1, column label:English (C): the language has no code: write it as "label::English (xx)", e.g. "label::Français (fr)"',
    ],
  ],
  [
    'loop.txt',
    [
      'survey, row 1, column label:english (C): the language has no code: write it as "label::english (xx)", e.g. "label::Français (fr)"',
      'choices, row 1, column label:english (C): the language has no code: write it as "label::english (xx)", e.g. "label::Français (fr)"',
      'survey, row 3, column type (A): loops are not supported: ask each case as questions of its own',
      'survey, row 5, column type (A): loops are not supported',
    ],
  ],
  [
    'case-insensitivity.txt',
    [
      'SURVEY, row 1, column LABEL::EN (C): the language has no code: write it as "label::EN (xx)", e.g. "label::Français (fr)"',
      'CHOICES, row 1, column LABEL::EN (C): the language has no code: write it as "label::EN (xx)", e.g. "label::Français (fr)"',
      'SETTINGS, row 2, column DEFAULT_LANGUAGE (C): "EN" is not a language with its code, e.g. "Français (fr)"',
      'SURVEY, row 3, column TYPE (A): external choices are not supported: put them in the choices sheet',
      'SURVEY, row 4, column TYPE (A): "osm c1" is not a question type we read (see questionnaires/README.md)',
    ],
  ],
  [
    'choice-filter-translations.txt',
    [
      'choices, row 1, column label::French (E): the language has no code: write it as "label::French (xx)", e.g. "label::Français (fr)"',
    ],
  ],
  [
    'last-saved-choice-filter.txt',
    [
      'survey, row 2, column type (A): repeats are not supported: ask each person or event as questions of its own',
      'survey, row 5, column type (A): repeats are not supported',
    ],
  ],
  [
    'widgets.csv',
    [
      'survey, row 4, column default (G): default answers are not supported: the interviewer asks every question',
      'survey, row 5, column default (G): default answers are not supported: the interviewer asks every question',
      'survey, row 6, column type (A): time answers are not supported: use a text or two integers',
      'survey, row 7, column default (G): default answers are not supported: the interviewer asks every question',
      'survey, row 8, column default (G): default answers are not supported: the interviewer asks every question',
      'survey, row 11, column type (A): locations are not recorded: the survey is anonymous',
      'survey, row 12, column type (A): barcodes are not supported',
      'survey, row 13, column type (A): media answers are not supported',
      'survey, row 14, column type (A): media answers are not supported',
      'survey, row 15, column type (A): media answers are not supported',
      'survey, row 17, column type (A): locations are not recorded: the survey is anonymous',
      'survey, row 18, column type (A): date and time answers are not supported: use a date',
    ],
  ],
];

describe('pyxform’s test forms', () => {
  it.each(PYXFORM_FIXTURES.map((source) => [source]))(
    '%s: the .xlsx holds the source’s cells',
    async (source) => {
      const { workbook } = await convert(source);
      expect(trimmed(workbook)).toEqual(sourceWorkbook(source));
    },
  );

  it.each(REFUSED)('%s is refused, each reason at its cell', async (source, reasons) => {
    const { result } = await convert(source);
    expect(result.definition).toBeUndefined();
    expect(result.issues.filter((i) => i.severity === 'error').map(formatSheetIssue)).toEqual(
      reasons,
    );
  });

  it('lists every fixture as refused or converted', () => {
    const refused = REFUSED.map(([source]) => source);
    expect(PYXFORM_FIXTURES.filter((source) => !refused.includes(source))).toEqual([
      'choice-filter-media.txt',
    ]);
  });

  it('choice-filter-media.txt converts, and its filter runs in the engine', async () => {
    const { result } = await convert('choice-filter-media.txt');
    expect(result.issues.map(formatSheetIssue)).toEqual([
      'survey, row 1, column label (C): the labels have no language: read as English (en); write "label::Français (fr)" to say which',
      'choices, row 1, column media::image (D): media are not shown: the column is not read',
    ]);
    const loaded = loadQuestionnaire(result.definition);
    if (loaded.status === 'failure') throw new Error('not loaded');
    const q = loaded.questionnaire;
    const clock = fixedClock('2026-11-23');
    let state = createState(q, [], clock);
    expect(nextItem(q, state, null)).toMatchObject({ id: 'consent' });
    const moods = () =>
      ['h', 's'].filter((code) => isChoiceOffered(q, state, 'enumerator_mood', code));
    expect(moods()).toEqual([]);
    state = setAnswer(q, state, 'consent', 'y');
    expect(moods()).toEqual(['h', 's']);
    expect(nextItem(q, state, 'consent')).toMatchObject({ id: 'enumerator_mood' });
    state = setAnswer(q, state, 'enumerator_mood', 'h');
    expect(validateAnswer(q, state, 'enumerator_mood', 'h', 'en')).toEqual({ valid: true });
    state = setAnswer(q, state, 'consent', 'n');
    expect(moods()).toEqual([]);
    expect(validateAnswer(q, state, 'enumerator_mood', 'h', 'en')).toMatchObject({
      code: 'choice_not_offered',
    });
  });
});
