// What the export gives analysts beside the answers: codes that are not numbers written as numbers
// (Stata and SPSS label numbers only), the site's wall-clock times, the quota categories and the
// weight, a calculation that could not be made written as a non-response, and the data dictionary
// the R, Stata and SPSS scripts are made from.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  codebookRows,
  dictionaryOf,
  exportLayout,
  exportRow,
} from '../../../../src/core/export/index.ts';
import type { InterviewRecordWire } from '../../../../src/core/protocol/index.ts';
import { calculate, definition, integer, load, single } from '../../../helpers/builder.ts';

const smpg = load(JSON.parse(readFileSync('questionnaires/smpg/2026.2.json', 'utf8')));

function record(extra: Partial<InterviewRecordWire> = {}): InterviewRecordWire {
  return {
    id: '01900000-0000-7000-8000-000000000001',
    questionnaireId: 'test',
    questionnaireVersion: '1',
    site: 'cayenne',
    interviewer: 'ENQ-01',
    deviceId: 'tablet-1',
    status: 'completed',
    language: 'fr',
    appVersion: '0.1.0',
    startedAt: '2026-03-29T00:30:00.000Z',
    endedAt: '2026-03-29T01:30:00.000Z',
    durationSeconds: 3600,
    quotaCategories: {},
    alerts: [],
    answers: {},
    computed: {},
    ...extra,
  };
}

const q = load(
  definition([
    single('band', ['young', 'old']),
    single('answer', ['1', '2']),
    integer('count', { min: 0, max: 10 }),
    calculate('level', "if(${count} > 5, 'high', 'low')", {
      valueType: 'string',
      choices: [
        { code: 'low', label: { fr: 'Bas', en: 'Low' } },
        { code: 'high', label: { fr: 'Haut', en: 'High' } },
      ],
    }),
    calculate('weight', '${count} * 2'),
  ]),
);

describe('codes that are not numbers', () => {
  it('are written 1 to n in the questionnaire order, and the codebook says which is which', () => {
    const layout = exportLayout([q]);
    const at = (name: string) => layout.columns.findIndex((column) => column.name === name);
    const row = exportRow(
      layout,
      record({ answers: { band: 'old', answer: '2', count: 7 }, computed: { level: 'high' } }),
    );
    expect([row[at('band')], row[at('answer')], row[at('level')]]).toEqual(['2', '2', '2']);
    // Labels mode gives the label, whatever the number.
    const labelled = exportRow(layout, record({ computed: { level: 'low' } }), {
      values: 'labels',
      language: 'en',
    });
    expect(labelled[at('level')]).toBe('Low');
    const codebook = codebookRows(layout, 'fr');
    const level = codebook.find((cells) => cells[0] === 'level') ?? [];
    expect(level[3]).toBe('1 = Bas | 2 = Haut | -8 = dont know (fr) | -9 = refused (fr)');
    expect(level[8]).toContain('1 = low, 2 = high');
    // Integer codes are left as they are.
    expect(layout.columns[at('answer')]?.numbers).toBeUndefined();
  });

  it("numbers SMPG's age bands and suicide levels, and no answer column", () => {
    const layout = exportLayout([smpg]);
    const numbered = layout.columns
      .filter((column) => column.numbers !== undefined)
      .map((column) => column.name);
    expect(numbered).toEqual(['age_band', 'suicide_level']);
    const ageBand = layout.columns.find((column) => column.name === 'age_band');
    expect([...(ageBand?.numbers ?? [])]).toEqual([
      ['18-29', 1],
      ['30-39', 2],
      ['40-49', 3],
      ['50-59', 4],
      ['60-69', 5],
      ['70+', 6],
    ]);
  });
});

describe("the site's wall-clock times", () => {
  const layout = exportLayout([q]);
  const at = (name: string) => layout.columns.findIndex((column) => column.name === name);
  const cells = (row: readonly string[]) =>
    ['started_at_local', 'ended_at_local', 'time_zone'].map((name) => row[at(name)]);

  it('follow summer time in Paris and none in Cayenne, beside UTC', () => {
    const timeZones = new Map([
      ['lille', 'Europe/Paris'],
      ['cayenne', 'America/Cayenne'],
    ]);
    // 2026-03-29: Paris moves from UTC+1 to UTC+2 at 01:00 UTC, between start and end.
    expect(cells(exportRow(layout, record({ site: 'lille' }), { timeZones }))).toEqual([
      '2026-03-29 01:30:00',
      '2026-03-29 03:30:00',
      'Europe/Paris',
    ]);
    const cayenne = exportRow(layout, record(), { timeZones });
    expect(cells(cayenne)).toEqual([
      '2026-03-28 21:30:00',
      '2026-03-28 22:30:00',
      'America/Cayenne',
    ]);
    expect(cayenne[at('started_at')]).toBe('2026-03-29T00:30:00.000Z');
  });

  it('are empty for a site without a known time zone', () => {
    expect(cells(exportRow(layout, record()))).toEqual(['', '', '']);
    const unknown = new Map([['cayenne', 'Mars/Olympus']]);
    expect(cells(exportRow(layout, record(), { timeZones: unknown })).slice(0, 2)).toEqual([
      '',
      '',
    ]);
  });
});

describe('the quota categories and the weight', () => {
  it('come last, from the categories the server stored and the weight it computed', () => {
    const layout = exportLayout([q], { quotaVariables: ['sex', 'age'] });
    const names = layout.columns.map((column) => column.name);
    // An item already named `weight`: the export's own column gives way.
    expect(names.slice(-3)).toEqual(['quota_sex', 'quota_age', 'meta_weight']);
    const weighted = record({ quotaCategories: { sex: '2', age: '18-29' } });
    const row = exportRow(layout, weighted, { weightOf: () => 1.25, decimalComma: true });
    expect(row.slice(-3)).toEqual(['2', '18-29', '1,25']);
    const unweighted = exportRow(layout, record({ quotaCategories: { sex: '1' } }), {
      weightOf: () => undefined,
    });
    expect(unweighted.slice(-3)).toEqual(['1', '', '']);
  });

  it('are not there without quota variables (the tablet has no census to weight by)', () => {
    const names = exportLayout([q]).columns.map((column) => column.name);
    expect(names.some((name) => name.startsWith('quota_'))).toBe(false);
    expect(names.filter((name) => name.endsWith('weight'))).toEqual(['weight']);
  });
});

describe('a calculation that could not be made', () => {
  it('is written with the code of the non-response it needed, never 0', () => {
    const layout = exportLayout([q]);
    const at = (name: string) => layout.columns.findIndex((column) => column.name === name);
    const computed = {
      level: { nonResponse: 'refused' as const },
      weight: { nonResponse: 'dont_know' as const },
    };
    const row = exportRow(layout, record({ computed }));
    expect([row[at('level')], row[at('weight')]]).toEqual(['-9', '-8']);
    const labels = exportRow(layout, record({ computed }), {
      values: 'labels',
      language: 'fr',
    });
    expect(labels[at('level')]).toBe('refused (fr)');
    const codebook = codebookRows(layout, 'en');
    const weight = codebook.find((cells) => cells[0] === 'weight') ?? [];
    expect(weight[3]).toContain('-8 = ');
    expect(weight[8]).toContain('never 0');
  });
});

describe('line breaks typed in a text answer', () => {
  it('are kept by default, and written as spaces with lineBreaks: space', () => {
    const layout = exportLayout([smpg]);
    const at = (name: string) => layout.columns.findIndex((column) => column.name === name);
    const typed = record({
      questionnaireId: 'smpg',
      questionnaireVersion: '2026.2',
      answers: { rep_fou_open: 'ligne 1\nligne 2\r\nligne 3' },
      pickupPoint: 'Gare\nquai B',
    });
    const kept = exportRow(layout, typed);
    expect([kept[at('rep_fou_open')], kept[at('pickup_point')]]).toEqual([
      'ligne 1\nligne 2\r\nligne 3',
      'Gare\nquai B',
    ]);
    const spaced = exportRow(layout, typed, { lineBreaks: 'space' });
    expect([spaced[at('rep_fou_open')], spaced[at('pickup_point')]]).toEqual([
      'ligne 1 ligne 2 ligne 3',
      'Gare quai B',
    ]);
  });
});

describe('the data dictionary', () => {
  const layout = exportLayout([smpg], { quotaVariables: ['sex', 'age'] });
  const dictionary = dictionaryOf(layout, 'fr');
  const column = (name: string) => dictionary.columns.find((entry) => entry.name === name);

  it('has every column of the CSV, in order, each with a label', () => {
    expect(dictionary.columns.map((entry) => entry.name)).toEqual(
      layout.columns.map((entry) => entry.name),
    );
    for (const entry of dictionary.columns) expect(entry.label, entry.name).not.toBe('');
    expect(dictionary.nonResponseLabels).toEqual({
      dontKnow: 'Ne sait pas',
      refused: 'Refus de répondre',
    });
  });

  it('says how each column is read, its value labels and its non-response codes', () => {
    expect(column('sex')).toMatchObject({ storage: 'numeric', nonResponse: undefined });
    expect(column('sex')?.valueLabels.length).toBeGreaterThanOrEqual(2);
    expect(column('age_band')).toMatchObject({
      storage: 'numeric',
      nonResponse: { dontKnow: -8, refused: -9 },
    });
    expect(column('age_band')?.valueLabels[0]).toEqual({ value: 1, label: '18 à 29 ans' });
    // A score with no declared type: numeric from its expression.
    expect(column('suicide_score')?.storage).toBe('numeric');
    expect(column('rep_fou_carers')).toMatchObject({ storage: 'string', valueLabels: [] });
    expect(column('rep_fou_carers__1')?.valueLabels).toEqual([
      { value: 1, label: 'choisi' },
      { value: 0, label: 'non choisi' },
    ]);
    expect(column('started_at')?.storage).toBe('datetime_utc');
    expect(column('started_at_local')?.storage).toBe('datetime_local');
    expect(column('quota_sex')?.storage).toBe('string');
    expect(column('weight')).toMatchObject({ storage: 'numeric', nonResponse: undefined });
    // Codes that are numbers never collide with the non-response codes.
    for (const entry of dictionary.columns)
      for (const { value } of entry.valueLabels)
        expect([-8, -9].includes(value), `${entry.name} ${value}`).toBe(false);
  });
});
