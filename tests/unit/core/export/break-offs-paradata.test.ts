// The break-offs' and paradata files: a broken-off interview is the interviews' row plus where and
// why it stopped; the paradata file has one row per item asked, in the questionnaire's order; the
// codebook describes both files' own columns; text cells are neutralised unless asked raw.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BREAK_OFF_COLUMNS,
  CODEBOOK_HEADER,
  PARADATA_FILE_HEADER,
  breakOffHeader,
  breakOffRow,
  exportHeader,
  exportLayout,
  exportRow,
  fileColumnRows,
  paradataRows,
} from '../../../../src/core/export/index.ts';
import type { InterviewRecordWire } from '../../../../src/core/protocol/index.ts';
import type { Answer, Questionnaire } from '../../../../src/core/questionnaire/index.ts';
import { anonymise } from '../../../../src/core/record/index.ts';
import { load } from '../../../helpers/builder.ts';

const demo: Questionnaire = load(JSON.parse(readFileSync('questionnaires/demo/1.json', 'utf8')));
const layout = exportLayout([demo]);
const STARTED = '2026-06-15T09:00:00.000Z';
const ENDED = '2026-06-15T09:12:00.000Z';

/** A demo interview stopped at `activities`, with the tablet's paradata. */
function stopped(): InterviewRecordWire {
  const answers = new Map<string, Answer>([
    ['consent', '1'],
    ['age', 40],
  ]);
  const record = anonymise(
    demo,
    {
      id: '00000000-0000-4000-8000-000000000001',
      site: 'lille',
      interviewer: '=ENQ01',
      deviceId: 'tablet',
      status: 'broken_off',
      language: 'fr',
      appVersion: 'test',
      startedAt: STARTED,
      endedAt: ENDED,
    },
    answers,
    { today: () => ENDED.slice(0, 10) },
  );
  return {
    ...record,
    status: 'broken_off',
    breakOff: { reason: 'respondent_unwell', itemId: 'activities', at: ENDED },
    // In sorted order, as the stored body has it; the file gives the questionnaire's order.
    paradata: {
      itemSeconds: { activities: 2.5, age: 7, consent: 12.3, intro: 4 },
      languages: ['fr', 'en'],
    },
  };
}

describe('the break-offs file', () => {
  it('is the interviews’ row, then the reason, the last item shown and the time', () => {
    const record = stopped();
    expect(breakOffHeader(layout)).toEqual([...exportHeader(layout), ...BREAK_OFF_COLUMNS]);
    const row = breakOffRow(layout, record);
    expect(row.slice(0, -3)).toEqual(exportRow(layout, record));
    expect(row.slice(-3)).toEqual(['respondent_unwell', 'activities', ENDED]);
    const header = breakOffHeader(layout);
    expect(row[header.indexOf('consent')]).toBe('1');
    // After the break: not asked, empty.
    expect(row[header.indexOf('activities')]).toBe('');
    expect(breakOffRow(layout, record, { values: 'labels', language: 'en' }).at(-3)).toBe(
      'The respondent felt unwell',
    );
    expect(breakOffRow(layout, record, { values: 'labels' }).at(-3)).toBe(
      'La personne ne se sentait pas bien',
    );
  });
});

describe('the paradata file', () => {
  it('has one row per item asked, in the questionnaire’s order, with the record’s languages', () => {
    const rows = paradataRows(layout, stopped());
    expect(rows).toEqual([
      ['00000000-0000-4000-8000-000000000001', "'=ENQ01", 'broken_off', 'intro', '4', 'fr en'],
      ['00000000-0000-4000-8000-000000000001', "'=ENQ01", 'broken_off', 'consent', '12.3', 'fr en'],
      ['00000000-0000-4000-8000-000000000001', "'=ENQ01", 'broken_off', 'age', '7', 'fr en'],
      [
        '00000000-0000-4000-8000-000000000001',
        "'=ENQ01",
        'broken_off',
        'activities',
        '2.5',
        'fr en',
      ],
    ]);
    expect(PARADATA_FILE_HEADER).toHaveLength(rows[0]?.length ?? 0);
    const raw = paradataRows(layout, stopped(), { formulas: 'raw', decimalComma: true });
    expect(raw[1]).toEqual([
      '00000000-0000-4000-8000-000000000001',
      '=ENQ01',
      'broken_off',
      'consent',
      '12,3',
      'fr en',
    ]);
  });

  it('has no row for a record without paradata, and the interview’s language when none is listed', () => {
    const record = stopped();
    const without: InterviewRecordWire = { ...record };
    delete (without as { paradata?: unknown }).paradata;
    expect(paradataRows(layout, without)).toEqual([]);
    const unlisted = { ...record, paradata: { itemSeconds: { consent: 1 }, languages: [] } };
    expect(paradataRows(layout, unlisted)[0]?.at(-1)).toBe('fr');
  });
});

describe('the codebook of both files', () => {
  it('describes each column proper to them, with its codes and its file', () => {
    const rows = fileColumnRows(layout, 'en');
    expect(rows.map((row) => row[0])).toEqual([
      ...BREAK_OFF_COLUMNS,
      ...PARADATA_FILE_HEADER.filter((name) => name !== 'interview_id' && name !== 'interviewer'),
    ]);
    for (const row of rows) expect(row).toHaveLength(CODEBOOK_HEADER.length);
    expect(rows[0]?.[3]).toContain('respondent_unwell = The respondent felt unwell');
    expect(rows[0]?.[8]).toBe('break-offs file only');
    expect(rows.find((row) => row[0] === 'status')?.[3]).toBe(
      'completed = completed | screened_out = screened out | broken_off = broken off',
    );
    expect(fileColumnRows(layout, 'fr')[0]?.[3]).toContain(
      'respondent_unwell = La personne ne se sentait pas bien',
    );
  });
});
