// The scripts that load the interviews' CSV, run by the tools themselves: R (with haven) sources
// the R script on a hand-made CSV in both the export's formats and on a real SMPG 2026.2 export,
// and says what it loaded; GNU PSPP, which implements SPSS syntax, runs the SPSS syntax on the
// same files in SPSS-compatible batch mode and shows its dictionary and cases, with no error or
// warning. One R process and one PSPP process for all of it.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvFormat, Dictionary } from '../../src/core/export/index.ts';
import {
  csvRows,
  dictionaryOf,
  exportHeader,
  exportLayout,
  exportRow,
} from '../../src/core/export/index.ts';
import { rScript, spssScript } from '../../src/core/export/scripts/index.ts';
import type { AnalysisTools } from '../helpers/analysis-tools.ts';
import { ensureAnalysisTools } from '../helpers/analysis-tools.ts';
import { makeRecord, randomPolicy, seededRandom, seededUuid } from '../helpers/records.ts';
import {
  COMMA_DOT,
  DICTIONARY,
  LONG_A,
  LONG_LABEL,
  MID_A,
  MULTILINE_ROW,
  ROWS,
  SEMICOLON_COMMA_BOM,
  csvText,
} from '../helpers/script-fixtures.ts';
import { loadSmpg } from '../helpers/smpg.ts';

const run = promisify(execFile);
const ENV = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
const FIXTURES = [
  ['a', COMMA_DOT],
  ['b', SEMICOLON_COMMA_BOM],
] as const;
const SMPG_FORMAT: CsvFormat = {
  fileName: 'smpg_lille_interviews_2026-06-15.csv',
  delimiter: ';',
  decimalComma: true,
  bom: true,
};

/** A real SMPG 2026.2 export: its dictionary and rows (records with non-responses). */
function smpgExport(): { dictionary: Dictionary; header: string[]; rows: string[][] } {
  const smpg = loadSmpg('2026.2');
  const layout = exportLayout([smpg], { quotaVariables: ['sex', 'age'] });
  const random = seededRandom(2027);
  const eligible = {
    elig_adult: '1',
    elig_zone: '1',
    elig_first: '1',
    elig_consent: '1',
    elig_housing: '1',
  };
  const rows: string[][] = [];
  for (let i = 0; rows.length < 24 && i < 200; i++) {
    const { record } = makeRecord(smpg, eligible, randomPolicy(smpg, seededRandom(300 + i), 0.15), {
      id: seededUuid(random),
      interviewer: `ENQ-0${i % 3}`,
    });
    if (record.status !== 'completed') continue;
    rows.push(
      exportRow(layout, record, {
        decimalComma: true,
        formulas: 'raw',
        timeZones: new Map([['lille', 'Europe/Paris']]),
        weightOf: () => 0.5 + rows.length / 8,
      }),
    );
  }
  return { dictionary: dictionaryOf(layout, 'fr'), header: exportHeader(layout), rows };
}

function csvOf(format: CsvFormat, header: readonly string[], rows: readonly string[][]): string {
  const text = csvRows([[...header], ...rows], { delimiter: format.delimiter, newline: '\r\n' });
  return `${format.bom ? '\uFEFF' : ''}${text}\r\n`;
}

/** R code printing `key<TAB>[JSON strings or null]` lines about the data frame `interviews`. */
const R_EMIT = `
emit <- function(key, value) {
  value <- as.character(value)
  cells <- ifelse(is.na(value), "null", vapply(value, function(v) encodeString(v, quote = '"'), ""))
  cat(key, "\\t[", paste(cells, collapse = ","), "]\\n", sep = "")
}
label_of <- function(x) if (is.null(attr(x, "label"))) NA_character_ else attr(x, "label")
`;

function rChecks(prefix: string): string {
  const column = (name: string) => `interviews[[${JSON.stringify(name)}]]`;
  return `
emit("${prefix}.dim", dim(interviews))
emit("${prefix}.names", names(interviews))
emit("${prefix}.labels", vapply(interviews, label_of, ""))
emit("${prefix}.classes", vapply(interviews, function(x) class(x)[1], ""))
emit("${prefix}.q1.labels", names(attr(interviews$q1, "labels")))
emit("${prefix}.q1.tags", haven::na_tag(interviews$q1))
emit("${prefix}.q1.factor", haven::as_factor(interviews$q1))
emit("${prefix}.q2.tags", haven::na_tag(interviews$q2))
emit("${prefix}.q2.values", unclass(interviews$q2))
emit("${prefix}.age.mean", mean(interviews$age, na.rm = TRUE))
emit("${prefix}.age.tags", haven::na_tag(interviews$age))
emit("${prefix}.weight", format(interviews$weight, nsmall = 2))
emit("${prefix}.v1.labels", names(attr(interviews$v1, "labels")))
emit("${prefix}.v1.codes", unname(attr(interviews$v1, "labels")))
emit("${prefix}.v1.factor", haven::as_factor(interviews$v1))
emit("${prefix}.comment", interviews$comment)
emit("${prefix}.comment_nr", interviews$comment_nr)
emit("${prefix}.comment_nr.levels", levels(interviews$comment_nr))
emit("${prefix}.birth", format(interviews$birth))
emit("${prefix}.birth_nr", interviews$birth_nr)
emit("${prefix}.started_at", format(interviews$started_at, "%Y-%m-%dT%H:%M:%OS3Z"))
emit("${prefix}.started_at.tz", attr(interviews$started_at, "tzone"))
emit("${prefix}.contact_time", format(interviews$contact_time, "%Y-%m-%dT%H:%M:%OS3Z"))
emit("${prefix}.contact_time_nr", interviews$contact_time_nr)
emit("${prefix}.started_at_local", interviews$started_at_local)
emit("${prefix}.local_time", interviews$local_time)
emit("${prefix}.local_time_nr", interviews$local_time_nr)
emit("${prefix}.long.tags", haven::na_tag(${column(LONG_A)}))
emit("${prefix}.long.factor", haven::as_factor(${column(LONG_A)}))
emit("${prefix}.score.labels", names(attr(interviews$score, "labels")))
emit("${prefix}.band.class", class(interviews$band))
emit("${prefix}.band.labels", names(attr(interviews$band, "labels")))
emit("${prefix}.mid", label_of(${column(MID_A)}))
`;
}

/** For each column of the SMPG export: tags a and b, values, their sum; or the reasons. */
const R_SMPG = `
for (name in names(interviews)) {
  x <- interviews[[name]]
  if (is.numeric(x)) {
    tags <- haven::na_tag(x)
    emit(paste0("smpg.", name), c(sum(tags %in% "a"), sum(tags %in% "b"), sum(!is.na(x)),
      format(sum(unclass(x), na.rm = TRUE), digits = 15)))
  } else if (is.factor(x)) {
    emit(paste0("smpg.", name), c(sum(x %in% levels(x)[1]), sum(x %in% levels(x)[2])))
  } else {
    emit(paste0("smpg.", name), c(sum(!is.na(x))))
  }
}
emit("smpg.dim", dim(interviews))
emit("smpg.started_at.class", class(interviews$started_at))
emit("smpg.started_at_local.class", class(interviews$started_at_local))
`;

/** The tables of PSPP's CSV output, in order: title, then rows (the header row first). */
function psppTables(output: string): { title: string; rows: string[][] }[] {
  return output
    .split(/\r?\n\r?\n/)
    .filter((block) => block.startsWith('Table: '))
    .map((block) => {
      const newline = block.indexOf('\n');
      const parsed = Papa.parse<string[]>(block.slice(newline + 1), { skipEmptyLines: true });
      return { title: block.slice('Table: '.length, newline).trim(), rows: parsed.data };
    });
}

describe('the scripts, run by R and GNU PSPP', () => {
  let dir: string;
  let tools: AnalysisTools;
  const said = new Map<string, (string | null)[]>();
  let psppOutput = '';
  let psppErrors = '';
  const smpg = smpgExport();

  beforeAll(async () => {
    tools = await ensureAnalysisTools();
    dir = mkdtempSync(join(tmpdir(), 'smpg-scripts-'));
    mkdirSync(join(dir, 'r'));
    mkdirSync(join(dir, 'spss'));
    for (const [name, format] of FIXTURES) {
      // R reads a text with a line break; SPSS's GET DATA cannot, so its file has none.
      writeFileSync(join(dir, 'r', format.fileName), csvText(format, [...ROWS, MULTILINE_ROW]));
      writeFileSync(join(dir, 'spss', format.fileName), csvText(format));
      writeFileSync(join(dir, 'r', `${name}.R`), rScript(DICTIONARY, format));
      writeFileSync(
        join(dir, 'spss', `${name}.sps`),
        `${spssScript(DICTIONARY, format)}DISPLAY DICTIONARY.\nLIST.\n`,
      );
    }
    writeFileSync(join(dir, 'r', SMPG_FORMAT.fileName), csvOf(SMPG_FORMAT, smpg.header, smpg.rows));
    const oneLine = smpg.rows.filter((row) => row.every((cell) => !/[\r\n]/.test(cell)));
    writeFileSync(
      join(dir, 'spss', SMPG_FORMAT.fileName),
      csvOf(SMPG_FORMAT, smpg.header, oneLine),
    );
    writeFileSync(join(dir, 'r', 'smpg.R'), rScript(smpg.dictionary, SMPG_FORMAT));
    writeFileSync(
      join(dir, 'spss', 'smpg.sps'),
      `${spssScript(smpg.dictionary, SMPG_FORMAT)}DISPLAY DICTIONARY.\nLIST VARIABLES=interview_id.\n`,
    );

    // R: the first script reads the path on its command line; the others read csv_file.
    const first = readFileSync(join(dir, 'r', 'a.R'), 'utf8');
    const driver = [
      first,
      R_EMIT,
      rChecks('a'),
      `csv_file <- ${JSON.stringify(SEMICOLON_COMMA_BOM.fileName)}`,
      'source("b.R")',
      rChecks('b'),
      `csv_file <- ${JSON.stringify(SMPG_FORMAT.fileName)}`,
      'source("smpg.R")',
      R_SMPG,
    ].join('\n');
    writeFileSync(join(dir, 'r', 'driver.R'), driver);
    const r = await run(tools.rscript, ['--vanilla', 'driver.R', COMMA_DOT.fileName], {
      cwd: join(dir, 'r'),
      env: ENV,
      maxBuffer: 64 * 1024 * 1024,
    });
    for (const line of r.stdout.split('\n')) {
      const tab = line.indexOf('\t');
      if (tab > 0)
        said.set(line.slice(0, tab), JSON.parse(line.slice(tab + 1)) as (string | null)[]);
    }

    // PSPP: SPSS-compatible syntax only (-x compatible), batch mode as SPSS production jobs.
    await run(
      tools.pspp,
      ['-x', 'compatible', '-b', '-o', 'out.csv', '-e', 'errors.txt', 'a.sps', 'b.sps', 'smpg.sps'],
      { cwd: join(dir, 'spss'), env: ENV, maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: unknown) => {
      psppErrors = String(error);
    });
    psppOutput = readFileSync(join(dir, 'spss', 'out.csv'), 'utf8');
    psppErrors += readFileSync(join(dir, 'spss', 'errors.txt'), 'utf8');
  }, 600_000);

  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const get = (key: string) => said.get(key);

  describe.each(FIXTURES)('R, the %s file', (prefix, format) => {
    const key = (name: string) => `${prefix}.${name}`;

    it('loads every row, the CSV columns in order with the reason columns after theirs', () => {
      const names = DICTIONARY.columns.flatMap(({ name, storage, nonResponse }) =>
        nonResponse !== undefined && storage !== 'numeric' ? [name, `${name}_nr`] : [name],
      );
      expect(get(key('names'))).toEqual(names);
      expect(get(key('dim'))).toEqual([String(ROWS.length + 1), String(names.length)]);
    });

    it('labels every column with its question, whole (line breaks, quotes, accents)', () => {
      const labels = get(key('labels')) ?? [];
      const names = get(key('names')) ?? [];
      for (const column of DICTIONARY.columns)
        expect(labels[names.indexOf(column.name)], column.name).toBe(column.label);
      expect(get(key('mid'))).toEqual([LONG_LABEL]);
    });

    it('makes codes labelled and non-responses tagged missing values, with their labels', () => {
      expect(get(key('q1.labels'))).toEqual(['Oui', 'Non', 'Ne sait pas', 'Refus de répondre']);
      expect(get(key('q1.tags'))).toEqual([null, 'a', null, null]);
      expect(get(key('q1.factor'))).toEqual(['Oui', 'Ne sait pas', null, null]);
      expect(get(key('q2.tags'))).toEqual([null, 'b', null, null]);
      expect(get(key('q2.values'))).toEqual(['2', null, null, null]);
      // A tagged missing value is a real NA: the mean leaves it out.
      expect(get(key('age.mean'))).toEqual(['34']);
      expect(get(key('age.tags'))).toEqual([null, 'b', null, null]);
      expect(get(key('long.tags'))).toEqual([null, 'a', null, null]);
      expect(get(key('long.factor'))).toEqual(['Choisi', 'Ne sait pas', null, null]);
      expect(get(key('v1.labels'))).toEqual([
        'L\'un "premier"',
        'Deuxième\nligne',
        'Trois $HOME `cmd` \\ fin',
      ]);
      expect(get(key('v1.codes'))).toEqual(['1', '2', '3']);
      expect(get(key('v1.factor'))).toEqual([
        'Trois $HOME `cmd` \\ fin',
        'L\'un "premier"',
        'Deuxième\nligne',
        'Deuxième\nligne',
      ]);
      expect(get(key('score.labels'))).toEqual(['Nul', 'Demi']);
    });

    it(`reads numbers with the file's decimal mark (${format.decimalComma ? 'comma' : 'point'})`, () => {
      expect(get(key('weight'))).toEqual(['1.25', '0.75', '2.00', '2.00']);
      expect(
        get(key('classes'))?.[DICTIONARY.columns.findIndex(({ name }) => name === 'weight')],
      ).toBe('numeric');
    });

    it('keeps texts whole, a non-response as NA with its reason beside', () => {
      expect(get(key('comment'))?.[0]).toBe('il a dit "non"; d\'accord, é');
      expect(get(key('comment'))?.slice(1, 3)).toEqual([null, null]);
      expect(get(key('comment'))?.[3]).toMatch(/^ligne 1\r?\nligne 2$/);
      expect(get(key('comment_nr'))).toEqual([null, 'Ne sait pas', null, null]);
      expect(get(key('comment_nr.levels'))).toEqual(['Ne sait pas', 'Refus de répondre']);
      expect(get(key('band.class'))).toEqual(['haven_labelled', 'vctrs_vctr', 'character']);
      expect(get(key('band.labels'))).toEqual(['18-29 ans', '30 ans et plus']);
    });

    it('makes dates Date and UTC times POSIXct in UTC; local times stay text', () => {
      const classes = get(key('classes')) ?? [];
      const names = get(key('names')) ?? [];
      expect(classes[names.indexOf('birth')]).toBe('Date');
      expect(classes[names.indexOf('started_at')]).toBe('POSIXct');
      expect(classes[names.indexOf('started_at_local')]).toBe('character');
      expect(get(key('birth'))).toEqual(['1980-02-29', null, null, null]);
      expect(get(key('birth_nr'))).toEqual([null, 'Refus de répondre', null, null]);
      expect(get(key('started_at'))).toEqual([
        '2026-05-04T09:30:00.000Z',
        '2026-05-05T23:59:59.000Z',
        '2026-05-06T00:00:00.000Z',
        '2026-05-06T00:00:00.000Z',
      ]);
      expect(get(key('started_at.tz'))).toEqual(['UTC']);
      expect(get(key('contact_time'))?.slice(0, 2)).toEqual(['2026-05-04T10:15:30.250Z', null]);
      expect(get(key('contact_time_nr'))?.slice(0, 2)).toEqual([null, 'Ne sait pas']);
      expect(get(key('started_at_local'))?.[0]).toBe('2026-05-04 11:30:00');
      expect(get(key('local_time'))?.slice(0, 2)).toEqual(['2026-05-04 12:00:00', null]);
      expect(get(key('local_time_nr'))?.slice(0, 2)).toEqual([null, 'Refus de répondre']);
    });
  });

  it('R loads the real SMPG 2026.2 export: every column, every code where the CSV has it', () => {
    const { dictionary, header, rows } = smpg;
    const companions = dictionary.columns.filter(
      ({ storage, nonResponse }) => nonResponse !== undefined && storage !== 'numeric',
    );
    expect(get('smpg.dim')).toEqual([
      String(rows.length),
      String(header.length + companions.length),
    ]);
    expect(get('smpg.started_at.class')).toEqual(['POSIXct', 'POSIXt']);
    expect(get('smpg.started_at_local.class')).toEqual(['character']);
    let nonResponses = 0;
    dictionary.columns.forEach((column, i) => {
      const cells = rows.map((row) => row[i] ?? '');
      const codes = column.nonResponse;
      const count = (code: number | undefined) =>
        cells.filter((cell) => cell === String(code)).length;
      const counted = get(`smpg.${column.name}`);
      if (column.storage === 'numeric') {
        const values = cells.filter(
          (cell) =>
            cell !== '' &&
            !(
              codes !== undefined &&
              (cell === String(codes.dontKnow) || cell === String(codes.refused))
            ),
        );
        const sum = values.reduce((total, cell) => total + Number(cell.replace(',', '.')), 0);
        expect(counted?.slice(0, 3), column.name).toEqual([
          String(count(codes?.dontKnow)),
          String(count(codes?.refused)),
          String(values.length),
        ]);
        expect(Number(counted?.[3]), column.name).toBeCloseTo(sum, 6);
        nonResponses += count(codes?.dontKnow) + count(codes?.refused);
      } else if (codes !== undefined) {
        expect(get(`smpg.${column.name}_nr`), column.name).toEqual([
          String(count(codes.dontKnow)),
          String(count(codes.refused)),
        ]);
      }
    });
    expect(nonResponses).toBeGreaterThan(100);
  });

  describe('GNU PSPP', () => {
    const tables = () => psppTables(psppOutput);

    it('runs the three syntax files with no error and no warning', () => {
      expect(psppErrors).toBe('');
      expect(psppOutput).not.toMatch(/\berror\b|\bwarning\b/i);
      expect(tables().filter(({ title }) => title === 'Variables')).toHaveLength(3);
    });

    it.each([0, 1])('reads the hand-made file %#: labels, missing values, dates, decimals', (n) => {
      const variables = tables().filter(({ title }) => title === 'Variables')[n]?.rows ?? [];
      const [head = [], ...rest] = variables;
      const at = (name: string) => rest.find((row) => row[0] === name) ?? [];
      const field = (name: string, column: string) => at(name)[head.indexOf(column)];
      expect(rest).toHaveLength(DICTIONARY.columns.length);
      expect(field('q1', 'Label')).toBe('Avez-vous dit "oui" à l\'enquêteur ?');
      expect(field('q2', 'Label')).toBe('Première ligne seconde ligne');
      expect(field('q1', 'Print Format')).toBe('F8.0');
      expect(field('q1', 'Missing Values')).toBe('-8; -9');
      expect(field('v_comment', 'Label')).toBe(
        '[comment] Commentaire `libre` $HOME \\ fin "\'entre\'"',
      );
      expect(field('v_comment', 'Missing Values')).toMatch(/^"-8 *"; "-9 *"$/);
      expect(field('birth', 'Print Format')).toBe('SDATE10');
      expect(field('birth', 'Missing Values')).toBe('-8; -9');
      expect(field('started_at', 'Print Format')).toBe('DATETIME20.0');
      expect(field('started_at_local', 'Print Format')).toBe('A19');
      expect(field('weight', 'Print Format')).toBe('F12.2');
      expect(field(MID_A, 'Label')?.endsWith('…')).toBe(true);
      expect(new TextEncoder().encode(field(MID_A, 'Label')).length).toBeLessThanOrEqual(255);

      const labels = tables().filter(({ title }) => title === 'Value Labels')[n]?.rows ?? [];
      const text = labels.map((row) => row.join('|')).join('\n');
      expect(text).toContain('Avez-vous dit "oui" à l\'enquêteur ?|-9[a]|Refus de répondre');
      expect(text).toContain('|-8[a]|Ne sait pas');
      expect(text).toContain('|1|L\'un "premier"');
      expect(text).toContain('|2|Deuxième ligne');

      const [listHead = [], ...cases] =
        tables().filter(({ title }) => title === 'Data List')[n]?.rows ?? [];
      const cell = (row: number, name: string) => cases[row]?.[listHead.indexOf(name)];
      expect(cases).toHaveLength(ROWS.length);
      expect(cell(0, 'q1')).toBe('1');
      expect(cell(1, 'q1')).toBe('-8');
      expect(cell(2, 'q1')).toBe('.');
      expect(cell(0, 'weight')).toBe('1.25');
      expect(cell(1, 'weight')).toBe('.75');
      expect(cell(0, 'v_comment')).toBe('il a dit "non"; d\'accord, é');
      expect(cell(1, 'v_comment')).toBe('-8');
      expect(cell(0, 'birth')).toBe('1980/02/29');
      expect(cell(0, 'started_at')).toBe('04-MAY-2026 09:30:00');
      expect(cell(0, 'contact_time')).toBe('04-MAY-2026 10:15:30');
      expect(cell(0, 'started_at_local')).toBe('2026-05-04 11:30:00');
      expect(cell(0, 'age_declare')).toBe('6.00');
    });

    it('reads the real SMPG 2026.2 export: every column, every case', () => {
      const variables = tables().filter(({ title }) => title === 'Variables')[2]?.rows ?? [];
      expect(variables.length - 1).toBe(smpg.dictionary.columns.length);
      const missing = variables[0]?.indexOf('Missing Values') ?? -1;
      expect(variables.filter((row) => row[missing] === '-8; -9').length).toBeGreaterThan(500);
      const list = tables().filter(({ title }) => title === 'Data List')[2]?.rows ?? [];
      const oneLine = smpg.rows.filter((row) => row.every((cell) => !/[\r\n]/.test(cell)));
      expect(list.length - 1).toBe(oneLine.length);
      expect(oneLine.length).toBeGreaterThan(10);
    });
  });
});
