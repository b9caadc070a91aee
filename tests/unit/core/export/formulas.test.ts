// Exports that are safe to open: a text cell that a spreadsheet would run as a formula (OWASP's
// first characters `=`, `+`, `-`, `@`, tab, CR) gets a `'` first in every file, whatever the
// options; numbers and declared codes never do; `formulas: 'raw'` gives the text as typed.
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { ExportOptions } from '../../../../src/core/export/index.ts';
import {
  CODEBOOK_HEADER,
  codebookRows,
  csvLine,
  exportLayout,
  exportRow,
  neutralised,
  screenOutHeader,
  screenOutRow,
  startsFormula,
} from '../../../../src/core/export/index.ts';
import type { InterviewRecordWire } from '../../../../src/core/protocol/index.ts';
import { DONT_KNOW } from '../../../../src/core/questionnaire/index.ts';
import {
  calculate,
  choices,
  decimal,
  definition,
  integer,
  load,
  multiple,
  single,
  textItem,
} from '../../../helpers/builder.ts';

/** OWASP's list (CSV injection): what a cell must not start with. */
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r'] as const;
const ATTACKS = [
  '=HYPERLINK("http://x","y")',
  '+1+1',
  '-rien',
  '@SUM(1)',
  '\t=1+1',
  '\r=1+1',
  // Typed as text, it is text: the rule goes by the value's type, not by its look.
  '-3',
];

const q = load(
  definition(
    [
      textItem('remark'),
      integer('count', { min: -7, max: 100 }),
      decimal('temperature', { min: -7, max: 50 }),
      single('answer', ['1', '-1', '+2']),
      multiple('several', ['a', '-1']),
      single('label', [], {
        choices: [
          { code: '1', label: { fr: '=formule (fr)', en: '-minus (en)' } },
          { code: '2', label: { fr: 'deux', en: 'two' } },
        ],
      }),
      calculate('score', '${count} * 2'),
      calculate('tag', "concat('-', ${remark})", { valueType: 'string' }),
    ],
    {
      screenOuts: [
        { id: 'minor', when: '${count} < -5', label: { fr: '=refusé', en: '@refused' } },
      ],
    },
  ),
);
const layout = exportLayout([q]);
const at = (name: string) => layout.columns.findIndex((column) => column.name === name);
const cell = (row: readonly string[], name: string) => row[at(name)];

function record(
  answers: InterviewRecordWire['answers'],
  extra: Partial<InterviewRecordWire> = {},
): InterviewRecordWire {
  return {
    id: '01900000-0000-7000-8000-000000000001',
    questionnaireId: 'test',
    questionnaireVersion: '1',
    site: 'lille',
    interviewer: 'ENQ-01',
    deviceId: 'tablet-1',
    status: 'completed',
    language: 'fr',
    appVersion: 'test',
    startedAt: '2026-11-23T09:00:00.000Z',
    endedAt: '2026-11-23T09:40:00.000Z',
    durationSeconds: 2400,
    quotaCategories: {},
    alerts: [],
    answers,
    computed: {},
    ...extra,
  };
}

describe('startsFormula and neutralised', () => {
  it("put a ' before each of OWASP's first characters, and before nothing else", () => {
    for (const trigger of TRIGGERS) {
      expect(startsFormula(`${trigger}x`), JSON.stringify(trigger)).toBe(true);
      expect(neutralised(`${trigger}x`)).toBe(`'${trigger}x`);
    }
    for (const safe of ['', 'a', '1', ' =1', "'=1", 'é', '(1)', 'x=1', '\n=1']) {
      expect(startsFormula(safe), JSON.stringify(safe)).toBe(false);
      expect(neutralised(safe)).toBe(safe);
    }
  });
});

describe('interview rows', () => {
  const VARIANTS: readonly ExportOptions[] = [
    {},
    { decimalComma: true },
    { values: 'labels', language: 'en' },
    { values: 'labels', language: 'fr', decimalComma: true },
  ];

  for (const options of VARIANTS) {
    it(`neutralise typed text by default (${JSON.stringify(options)})`, () => {
      for (const attack of ATTACKS) {
        const row = exportRow(layout, record({ remark: attack }), options);
        expect(cell(row, 'remark'), JSON.stringify(attack)).toBe(`'${attack}`);
        const escaped = exportRow(layout, record({ remark: attack }), {
          ...options,
          formulas: 'escaped',
        });
        expect(escaped).toEqual(row);
      }
    });

    it(`give the text as typed with formulas: 'raw' (${JSON.stringify(options)})`, () => {
      for (const attack of ATTACKS) {
        const row = exportRow(layout, record({ remark: attack }), { ...options, formulas: 'raw' });
        expect(cell(row, 'remark'), JSON.stringify(attack)).toBe(attack);
      }
    });
  }

  it('leave numbers alone: negative integers and decimals, with a dot or a comma', () => {
    const answers = { count: -7, temperature: -3.5, answer: DONT_KNOW };
    const computed = { score: -14 };
    const dot = exportRow(layout, record(answers, { computed }));
    expect([cell(dot, 'count'), cell(dot, 'temperature'), cell(dot, 'score')]).toEqual([
      '-7',
      '-3.5',
      '-14',
    ]);
    const comma = exportRow(layout, record(answers, { computed }), { decimalComma: true });
    expect([cell(comma, 'count'), cell(comma, 'temperature')]).toEqual(['-7', '-3,5']);
    // The non-response codes (-8, -9), in the raw column and in every 0/1 column.
    expect(cell(dot, 'answer')).toBe('-8');
    const refused = exportRow(layout, record({ several: { nonResponse: 'refused' } }));
    expect([cell(refused, 'several'), cell(refused, 'several__a')]).toEqual(['-9', '-9']);
  });

  it('leave the codes the questionnaire declares alone, and neutralise any other string', () => {
    const declared = exportRow(layout, record({ answer: '-1', several: ['-1', 'a'] }));
    expect([cell(declared, 'answer'), cell(declared, 'several')]).toEqual(['-1', '-1 a']);
    expect(cell(exportRow(layout, record({ answer: '+2' })), 'answer')).toBe('+2');
    // A value no choice declares is text, whatever its column (a forged or damaged record).
    const forged = exportRow(layout, record({ answer: '=1+1', several: ['-1', '=cmd|x'] }));
    expect([cell(forged, 'answer'), cell(forged, 'several')]).toEqual(["'=1+1", "'-1 =cmd|x"]);
    const raw = exportRow(layout, record({ answer: '=1+1' }), { formulas: 'raw' });
    expect(cell(raw, 'answer')).toBe('=1+1');
  });

  it('neutralise labels, computed text and paradata, which are text too', () => {
    const fr = exportRow(layout, record({ label: '1' }), { values: 'labels', language: 'fr' });
    expect(cell(fr, 'label')).toBe("'=formule (fr)");
    const en = exportRow(layout, record({ label: '1' }), { values: 'labels', language: 'en' });
    expect(cell(en, 'label')).toBe("'-minus (en)");
    expect(cell(exportRow(layout, record({ label: '1' })), 'label')).toBe('1');
    const computed = exportRow(layout, record({}, { computed: { tag: '-x' } }));
    expect(cell(computed, 'tag')).toBe("'-x");
    const paradata = exportRow(
      layout,
      record({}, { interviewer: '@ENQ', pickupPoint: '=Gare', site: '+lille' }),
    );
    expect([
      cell(paradata, 'interviewer'),
      cell(paradata, 'pickup_point'),
      cell(paradata, 'site'),
      cell(paradata, 'duration_seconds'),
    ]).toEqual(["'@ENQ", "'=Gare", "'+lille", '2400']);
  });

  it('write a cell that must be quoted and neutralised as both', () => {
    const row = exportRow(layout, record({ remark: '=A1,"x"' }));
    expect(cell(row, 'remark')).toBe(`'=A1,"x"`);
    const line = csvLine(row, ',');
    // The first column: the quote goes inside the field's quotes, the field's quotes are doubled.
    expect(line.startsWith(`"'=A1,""x""",`)).toBe(true);
    expect(Papa.parse<string[]>(line, { delimiter: ',' }).data[0]?.[at('remark')]).toBe(`'=A1,"x"`);
    // A leading CR: neutralised, then quoted for the line break.
    const cr = csvLine(exportRow(layout, record({ remark: '\r=1' })), ';');
    expect(cr.startsWith(`"'\r=1";`)).toBe(true);
  });
});

describe('codebook', () => {
  const book = codebookRows(layout, 'fr');

  it('neutralises every text that starts like a formula: codes lists, question texts', () => {
    expect(book.flat().filter(startsFormula)).toEqual([]);
    // The text column's codes are its non-response codes: "-8 = ...", text in the codebook.
    const codes = CODEBOOK_HEADER.indexOf('codes');
    expect(book.find((row) => row[0] === 'remark')?.[codes]).toMatch(/^'-8 = /);
    const raw = codebookRows(layout, 'fr', 'raw');
    expect(raw.find((row) => row[0] === 'remark')?.[codes]).toMatch(/^-8 = /);
    // Question texts come from the questionnaire: a published one may start with "=" too.
    const odd = exportLayout([
      load(
        definition([
          textItem('q1', { label: { fr: '=HYPERLINK("http://x")', en: '@x' } }),
          single('q2', [], { choices: choices('1') }),
        ]),
      ),
    ]);
    const question = CODEBOOK_HEADER.indexOf('question');
    expect(codebookRows(odd, 'fr')[0]?.[question]).toBe(`'=HYPERLINK("http://x")`);
    expect(codebookRows(odd, 'en')[0]?.[question]).toBe(`'@x`);
    expect(codebookRows(odd, 'fr', 'raw')[0]?.[question]).toBe('=HYPERLINK("http://x")');
  });

  it("says in each free-text column's note how formulas are written", () => {
    const note = CODEBOOK_HEADER.indexOf('note');
    const freeText = CODEBOOK_HEADER.indexOf('free_text');
    const texts = book.filter((row) => row[freeText] === '1');
    expect(texts.map((row) => row[0])).toEqual(['remark', 'pickup_point']);
    for (const row of texts) expect(row[note]).toContain("précédé de '");
    const en = codebookRows(layout, 'en').filter((row) => row[freeText] === '1');
    for (const row of en) expect(row[note]).toContain("preceded by '");
    const raw = codebookRows(layout, 'en', 'raw').filter((row) => row[freeText] === '1');
    for (const row of raw) expect(row[note]).toContain('text as typed (formulas=raw)');
    // Other columns say nothing of it.
    expect(book.find((row) => row[0] === 'count')?.[note]).toBe('');
  });
});

describe('screen-outs', () => {
  const versions = new Map([['1', q]]);
  const screened = record(
    {},
    {
      status: 'screened_out',
      screenOutId: 'minor',
      pickupPoint: '-Gare',
      quotaCategories: { sex: '=2' },
    },
  );
  const header = screenOutHeader(['sex']);

  it('neutralise every text cell: labels, pick-up point, categories', () => {
    const row = screenOutRow(screened, ['sex'], versions, 'fr');
    expect(row[header.indexOf('reason_label')]).toBe("'=refusé");
    expect(row[header.indexOf('pickup_point')]).toBe("'-Gare");
    expect(row[header.indexOf('quota_sex')]).toBe("'=2");
    expect(row.filter(startsFormula)).toEqual([]);
    expect(screenOutRow(screened, ['sex'], versions, 'en')[header.indexOf('reason_label')]).toBe(
      "'@refused",
    );
  });

  it("give them as typed with formulas 'raw'", () => {
    const row = screenOutRow(screened, ['sex'], versions, 'fr', 'raw');
    expect(row[header.indexOf('reason_label')]).toBe('=refusé');
    expect(row[header.indexOf('pickup_point')]).toBe('-Gare');
    expect(row[header.indexOf('quota_sex')]).toBe('=2');
  });
});
