// The analysts' export: records of SMPG personas and of random respondents are written as CSV with
// papaparse, parsed back, and compared to their answers item by item, in both separators, with
// codes and with labels; the codebook and the CSV describe the same columns; several versions of
// a questionnaire export together. Texts that start like a formula come back with a `'` first
// (formulas.test.ts has the rule), or as typed with `formulas: 'raw'`.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type {
  Column,
  ColumnSource,
  ExportLayout,
  ExportOptions,
} from '../../../../src/core/export/index.ts';
import {
  CODEBOOK_HEADER,
  LABEL_LIST_SEPARATOR,
  PARADATA_COLUMNS,
  codebookRows,
  exportHeader,
  exportLayout,
  exportRow,
  screenOutHeader,
  screenOutRow,
  startsFormula,
} from '../../../../src/core/export/index.ts';
import type { InterviewRecordWire } from '../../../../src/core/protocol/index.ts';
import type { Answer, Questionnaire } from '../../../../src/core/questionnaire/index.ts';
import { DONT_KNOW, REFUSED, isNonResponse } from '../../../../src/core/questionnaire/index.ts';
import { load } from '../../../helpers/builder.ts';
import { makeRecord, randomPolicy, seededRandom, seededUuid } from '../../../helpers/records.ts';
import { PERSONAS, POLICIES } from '../../../helpers/smpg-personas.ts';
import { DEMO_CALM, DEMO_DISTRESS } from '../../../e2e/demo-answers.ts';

const read = (path: string): Questionnaire => load(JSON.parse(readFileSync(path, 'utf8')));
const smpg = read('questionnaires/smpg/2026.1.json');
const demo1 = read('questionnaires/demo/1.json');
const demo2 = read('questionnaires/demo/2.json');

function smpgRecords(): InterviewRecordWire[] {
  const random = seededRandom(7);
  const personas = PERSONAS.map(
    (persona, i) =>
      makeRecord(smpg, persona.script, POLICIES[persona.policy], {
        id: seededUuid(random),
        interviewer: `ENQ-0${i % 4}`,
        pickupPoint: i % 2 === 0 ? 'Marché de Wazemmes' : 'Gare; quai "B"',
      }).record,
  );
  const randoms = Array.from(
    { length: 60 },
    (_, i) =>
      makeRecord(
        smpg,
        { elig_adult: '1', elig_zone: '1', elig_first: '1', elig_consent: '1' },
        randomPolicy(smpg, seededRandom(1000 + i)),
        { id: seededUuid(random), language: i % 3 === 0 ? 'en' : 'fr' },
      ).record,
  );
  return [...personas, ...randoms];
}

const RECORDS = smpgRecords();
const COMPLETED = RECORDS.filter((record) => record.status === 'completed');

function csv(rows: readonly (readonly string[])[], delimiter: ',' | ';'): string {
  return Papa.unparse(rows as string[][], { delimiter, newline: '\r\n' });
}

function parse(text: string, delimiter: ',' | ';'): string[][] {
  const result = Papa.parse<string[]>(text, { delimiter, newline: '\r\n', skipEmptyLines: false });
  expect(result.errors).toEqual([]);
  return result.data;
}

/** Reads one cell back into the answer it came from (the inverse of the export's mapping). */
function decode(
  cell: string,
  column: Column,
  source: ColumnSource,
  layout: ExportLayout,
  options: ExportOptions,
): Answer | undefined {
  if (cell === '') return undefined;
  const labels = options.values === 'labels';
  const language = options.language ?? 'fr';
  const { dontKnow, refused } = layout.nonResponse;
  if (source.nonResponse) {
    const dk = labels ? (dontKnow.label[language] ?? '') : String(dontKnow.code);
    const rf = labels ? (refused.label[language] ?? '') : String(refused.code);
    if (cell === dk) return DONT_KNOW;
    if (cell === rf) return REFUSED;
  }
  const codeOf = (value: string): string => {
    if (!labels) {
      // A number standing for a code that is not one (`18-29`): the code it stands for.
      const numbered = [...(column.numbers ?? [])].find(([, number]) => String(number) === value);
      return numbered === undefined ? value : numbered[0];
    }
    const choice = source.choices?.find((candidate) => candidate.label[language] === value);
    if (choice !== undefined) return choice.code;
    if (source.coarsen?.kind === 'bands') {
      const band = source.coarsen.bands.find(
        (candidate) => (candidate.label?.[language] ?? candidate.code) === value,
      );
      if (band !== undefined) return band.code;
    }
    return value;
  };
  if (source.coarsen !== undefined) return codeOf(cell);
  switch (column.kind) {
    case 'single':
      return codeOf(cell);
    case 'multiple':
      return labels ? cell.split(LABEL_LIST_SEPARATOR).map(codeOf) : cell.split(' ');
    case 'integer':
      return Number(cell);
    case 'decimal':
      return Number(options.decimalComma === true ? cell.replace(',', '.') : cell);
    default:
      // A text neutralised by the export: the `'` it was given is taken off.
      return options.formulas !== 'raw' && cell.startsWith("'") && startsFormula(cell.slice(1))
        ? cell.slice(1)
        : cell;
  }
}

const VARIANTS: readonly { delimiter: ',' | ';'; options: ExportOptions }[] = [
  { delimiter: ',', options: {} },
  { delimiter: ';', options: { decimalComma: true } },
  { delimiter: ',', options: { values: 'labels', language: 'en' } },
  { delimiter: ';', options: { values: 'labels', language: 'fr', decimalComma: true } },
  { delimiter: ',', options: { formulas: 'raw' } },
  { delimiter: ';', options: { values: 'labels', language: 'fr', formulas: 'raw' } },
];

describe('export round trip', () => {
  it('makes completed interviews of every kind: personas, screen-outs, random respondents', () => {
    expect(COMPLETED.length).toBeGreaterThan(60);
    expect(RECORDS.some((record) => record.status === 'screened_out')).toBe(true);
    // Random respondents give non-responses, multiple choices and awkward texts to export.
    const values = COMPLETED.flatMap((record) => Object.values(record.answers));
    expect(values).toContainEqual(REFUSED);
    expect(values).toContainEqual(DONT_KNOW);
    expect(values.some((value) => typeof value === 'string' && value.includes('\n'))).toBe(true);
  });

  for (const { delimiter, options } of VARIANTS) {
    const name = `${options.values ?? 'codes'}, formulas ${options.formulas ?? 'escaped'}`;
    it(`gives back every answer, separator "${delimiter}", ${name}`, () => {
      const layout = exportLayout([smpg]);
      const text = csv(
        [exportHeader(layout), ...COMPLETED.map((record) => exportRow(layout, record, options))],
        delimiter,
      );
      const [header, ...rows] = parse(text, delimiter);
      expect(header).toEqual(layout.columns.map((column) => column.name));
      expect(rows).toHaveLength(COMPLETED.length);
      for (const [r, record] of COMPLETED.entries()) {
        const row = rows[r] ?? [];
        expect(row).toHaveLength(layout.columns.length);
        // Nothing a spreadsheet would run: what starts with "-" is a number (SMPG has no negative
        // choice codes).
        if (options.formulas !== 'raw')
          for (const cell of row)
            expect(!startsFormula(cell) || /^-[0-9]+([.,][0-9]+)?$/.test(cell), cell).toBe(true);
        const seen = new Set<string>();
        for (const [c, column] of layout.columns.entries()) {
          const cell = row[c] ?? '';
          const source = column.sources[0];
          if (column.kind === 'paradata' || source === undefined) continue;
          const where = `${record.id} ${column.name}`;
          if (column.kind === 'computed') {
            const value = record.computed[column.key];
            if (value === undefined || value === '') expect(cell, where).toBe('');
            else if (typeof value === 'object')
              expect(cell, where).toBe(
                options.values === 'labels'
                  ? layout.nonResponse[value.nonResponse === 'dont_know' ? 'dontKnow' : 'refused']
                      .label[options.language ?? 'fr']
                  : String(
                      layout.nonResponse[value.nonResponse === 'dont_know' ? 'dontKnow' : 'refused']
                        .code,
                    ),
              );
            else if (options.values !== 'labels' || source.choices === undefined)
              expect(cell, where).toBe(
                typeof value === 'boolean'
                  ? value
                    ? '1'
                    : '0'
                  : options.values !== 'labels' && column.numbers?.has(String(value)) === true
                    ? String(column.numbers.get(String(value)))
                    : options.decimalComma === true
                      ? String(value).replace('.', ',')
                      : String(value),
              );
            continue;
          }
          if (column.kind === 'alert') {
            expect(cell, where).toBe(record.alerts.includes(column.key) ? '1' : '0');
            continue;
          }
          const answer = record.answers[column.key];
          if (column.kind === 'choice_flag') {
            const expected =
              answer === undefined
                ? ''
                : Array.isArray(answer)
                  ? answer.includes(column.code ?? '')
                    ? '1'
                    : '0'
                  : String(
                      layout.nonResponse[
                        (answer as { nonResponse: string }).nonResponse === 'dont_know'
                          ? 'dontKnow'
                          : 'refused'
                      ].code,
                    );
            expect(cell, where).toBe(expected);
            continue;
          }
          seen.add(column.key);
          expect(decode(cell, column, source, layout, options), where).toEqual(answer);
        }
        // Every answer of the record has its column.
        expect(Object.keys(record.answers).filter((id) => !seen.has(id))).toEqual([]);
        // Paradata, last.
        const paradata = row.slice(-PARADATA_COLUMNS.length);
        expect(paradata).toEqual([
          record.id,
          'smpg',
          '2026.1',
          record.site,
          record.interviewer,
          record.deviceId,
          record.pickupPoint ?? '',
          record.startedAt,
          record.endedAt,
          // Local times need the site's time zone (`ExportOptions.timeZones`): none here.
          '',
          '',
          '',
          String(record.durationSeconds),
          record.language,
          record.appVersion,
        ]);
      }
    });
  }

  it('never leaves a refusal or a "don\'t know" as an empty cell', () => {
    const layout = exportLayout([smpg]);
    // Eligibility and quota questions offer no non-response: answered, as the app requires.
    const refuser = makeRecord(
      smpg,
      {
        elig_adult: '1',
        elig_zone: '1',
        elig_first: '1',
        elig_consent: '1',
        sex: '2',
        age: 60,
        csp: '7',
        diploma: '2',
      },
      POLICIES.refuse,
      { id: seededUuid(seededRandom(3)) },
    ).record;
    const row = exportRow(layout, refuser);
    let refusals = 0;
    for (const [c, column] of layout.columns.entries()) {
      const answer = refuser.answers[column.key];
      if (!isNonResponse(answer) || column.kind === 'computed' || column.kind === 'alert') continue;
      expect(row[c], column.name).toBe('-9');
      refusals++;
    }
    expect(refusals).toBeGreaterThan(20);
  });

  it('leaves items that were not asked empty, and identifying items out', () => {
    const layout = exportLayout([demo2]);
    const { record } = makeRecord(demo2, { ...DEMO_CALM, activities: ['shop'] }, 'skip', {
      id: seededUuid(seededRandom(4)),
    });
    const row = exportRow(layout, record);
    const cell = (name: string) => row[layout.columns.findIndex((column) => column.name === name)];
    // work_hours is asked only of respondents who work.
    expect(cell('work_hours')).toBe('');
    expect(cell('activities')).toBe('shop');
    expect(cell('activities__shop')).toBe('1');
    expect(cell('activities__work')).toBe('0');
    expect(layout.columns.map((column) => column.name)).not.toContain('interviewer_note');
    // Notes have no column.
    expect(layout.columns.map((column) => column.name)).not.toContain('intro');
  });
});

describe('codebook', () => {
  const layout = exportLayout([smpg]);
  const book = codebookRows(layout, 'fr');

  it('has one row per CSV column, in the same order, and no other', () => {
    expect(book.map((row) => row[0])).toEqual(exportHeader(layout));
    for (const row of book) expect(row).toHaveLength(CODEBOOK_HEADER.length);
  });

  it('says what each code means, the non-response codes as declared, and what empty means', () => {
    const byName = new Map(book.map((row) => [row[0], row]));
    const sex = byName.get('sex') ?? [];
    expect(sex[2]).toBe('single');
    expect(sex[3]).toContain('1 = ');
    expect(sex[3]).toContain('2 = ');
    // Sex is asked of everyone who agreed: its relevance is its section's.
    expect(sex[4]).toContain('elig_consent');
    for (const row of book) {
      const [name, , type, codes, , , freeText, emptyMeans] = row;
      if (type === 'paradata') continue;
      const source = layout.columns.find((column) => column.name === name)?.sources[0];
      if (source?.nonResponse === true && type !== 'alert') {
        expect(codes, name).toContain('-8 = Ne sait pas');
        expect(codes, name).toContain('-9 = Refus de répondre');
      }
      expect(freeText, name).toBe(type === 'text' ? '1' : '0');
      if (type !== 'alert') expect(emptyMeans, name).not.toBe('');
    }
    const flag = layout.columns.find((column) => column.kind === 'choice_flag');
    expect(byName.get(flag?.name ?? '')?.[3]).toMatch(/^1 = choisi \| 0 = non choisi/);
  });

  it('says that the interview id holds the time the interview started (UUID version 7)', () => {
    const id = book.find((row) => row[0] === 'interview_id') ?? [];
    expect(id[1]).toContain('UUID version 7');
    expect(id[1]).toContain('début');
    expect(codebookRows(layout, 'en').find((row) => row[0] === 'interview_id')?.[1]).toContain(
      'the time it started',
    );
  });

  it('has each multiple choice raw list agree with its 0/1 columns', () => {
    const multiples = layout.columns.filter((column) => column.kind === 'multiple');
    expect(multiples.length).toBeGreaterThan(5);
    for (const record of COMPLETED) {
      const row = exportRow(layout, record);
      for (const multiple of multiples) {
        const raw = row[layout.columns.indexOf(multiple)] ?? '';
        const flags = layout.columns.filter(
          (column) => column.kind === 'choice_flag' && column.key === multiple.key,
        );
        for (const flag of flags) {
          const value = row[layout.columns.indexOf(flag)];
          if (raw === '') expect(value).toBe('');
          else if (raw === '-8' || raw === '-9') expect(value).toBe(raw);
          else expect(value).toBe(raw.split(' ').includes(flag.code ?? '') ? '1' : '0');
        }
      }
    }
  });
});

describe('two versions together', () => {
  const layout = exportLayout([demo1, demo2]);
  const names = layout.columns.map((column) => column.name);
  const v1 = makeRecord(demo1, DEMO_CALM, 'skip', { id: seededUuid(seededRandom(5)) }).record;
  const v2 = makeRecord(demo2, DEMO_DISTRESS, 'skip', { id: seededUuid(seededRandom(6)) }).record;

  it('has the union of the columns, newest order first, and a version column', () => {
    expect(layout.versions).toEqual(['2', '1']);
    const only1 = exportLayout([demo1]).columns.map((column) => column.name);
    const only2 = exportLayout([demo2]).columns.map((column) => column.name);
    expect(new Set(names)).toEqual(new Set([...only1, ...only2]));
    expect(names.filter((name) => only2.includes(name))).toEqual(only2);
    expect(names).toContain('questionnaire_version');
  });

  it('leaves a column empty for the records of a version without it', () => {
    const missingIn1 = layout.columns.find(
      (column) =>
        column.kind !== 'paradata' && !column.sources.some((source) => source.version === '1'),
    );
    expect(missingIn1).toBeDefined();
    const index = layout.columns.indexOf(missingIn1 as Column);
    expect(exportRow(layout, v1)[index]).toBe('');
    const row2 = exportRow(layout, v2);
    expect(row2[names.indexOf('questionnaire_version')]).toBe('2');
    expect(exportRow(layout, v1)[names.indexOf('questionnaire_version')]).toBe('1');
    // The codebook says which versions have each column.
    const book = codebookRows(layout, 'en');
    expect(book.find((row) => row[0] === missingIn1?.name)?.[5]).toBe('2');
    expect(book.find((row) => row[0] === 'age')?.[5]).toBe('2 1');
  });
});

describe('screen-outs', () => {
  it('gives the reason, its label and the respondent quota categories', () => {
    const screened = makeRecord(smpg, { elig_adult: '2' }, 'skip', {
      id: seededUuid(seededRandom(8)),
    }).record;
    expect(screened.status).toBe('screened_out');
    const quota = { ...screened, screenOutId: 'quota_full', quotaCategories: { sex: '2' } };
    const header = screenOutHeader(['sex', 'age']);
    const versions = new Map([['2026.1', smpg]]);
    const row = screenOutRow(quota, ['sex', 'age'], versions, 'fr');
    expect(row).toHaveLength(header.length);
    expect(row[header.indexOf('reason')]).toBe('quota_full');
    expect(row[header.indexOf('reason_label')]).toBe('Quota plein');
    expect(row[header.indexOf('quota_sex')]).toBe('2');
    expect(row[header.indexOf('quota_age')]).toBe('');
    const declared = screenOutRow(screened, [], versions, 'en');
    expect(declared[screenOutHeader([]).indexOf('reason')]).toBe(screened.screenOutId);
    expect(declared[screenOutHeader([]).indexOf('reason_label')]).not.toBe('');
  });
});
