// The scripts that load the interviews' CSV labelled in R, Stata and SPSS, read as text: names
// within each tool's rules, labels within its limits and quoted by its grammar, the CSV read with
// the export's options, non-response codes taken from the dictionary. The Stata do-file goes
// through a checker of Stata's documented grammar (the checker is tested here too, on do-files
// it must refuse); R and GNU PSPP run the other two in tests/integration/export-scripts.test.ts.
import { describe, expect, it } from 'vitest';
import type { CsvFormat, Dictionary } from '../../../../src/core/export/index.ts';
import { dictionaryOf, exportLayout } from '../../../../src/core/export/index.ts';
import { rScript, spssScript, stataScript } from '../../../../src/core/export/scripts/index.ts';
import {
  NameAllocator,
  SPSS_NAMES,
  STATA_NAMES,
} from '../../../../src/core/export/scripts/names.ts';
import { rString } from '../../../../src/core/export/scripts/r.ts';
import { spssString } from '../../../../src/core/export/scripts/spss.ts';
import { stataString } from '../../../../src/core/export/scripts/stata.ts';
import {
  COMMA_DOT,
  DICTIONARY,
  LONG_A,
  LONG_B,
  LONG_LABEL,
  MID_A,
  MID_B,
  SEMICOLON_COMMA_BOM,
} from '../../../helpers/script-fixtures.ts';
import { loadSmpg } from '../../../helpers/smpg.ts';
import { checkStataSyntax, isStataName } from '../../../helpers/stata-grammar.ts';

const FORMATS = [COMMA_DOT, SEMICOLON_COMMA_BOM] as const;

function names(rules: typeof STATA_NAMES, wanted: readonly string[]): string[] {
  const allocator = new NameAllocator(rules);
  return wanted.map((name) => allocator.take(name));
}

/** The Stata name of each fixture column, read from the do-file's group rename. */
function stataNames(doFile: string): string[] {
  const rename = /rename \(([^)]*)\) \/\/\/\s*\(([^)]*)\)/.exec(doFile);
  const words = (text: string) => text.split(/\s+/).filter((word) => word !== '' && word !== '///');
  const from = words(rename?.[1] ?? '');
  const to = words(rename?.[2] ?? '');
  return DICTIONARY.columns.map((_, i) => {
    const at = from.indexOf(`v${i + 1}`);
    return at < 0 ? `v${i + 1}` : (to[at] ?? '');
  });
}

/** The names of SPSS variables as GET DATA reads them, in order. */
function spssReadNames(syntax: string): string[] {
  const list = syntax.slice(
    syntax.indexOf('/VARIABLES='),
    syntax.indexOf('.\n', syntax.indexOf('/VARIABLES=')),
  );
  return list
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(' ')[0] ?? '');
}

describe('names within each tool', () => {
  it('Stata: at most 32 characters, valid, unique, no reserved word', () => {
    const got = names(STATA_NAMES, [
      MID_A,
      MID_B,
      'with',
      'in',
      'str12',
      '1st_visit',
      'âge déclaré',
      'Q1',
      'q1',
      '_n',
    ]);
    expect(got).toEqual([
      'mod_depression_screening_questio',
      'mod_depression_screening_quest_2',
      'v_with',
      'v_in',
      'v_str12',
      'v1st_visit',
      'age_declare',
      'Q1',
      'q1_2',
      'v_n',
    ]);
    for (const name of got) expect(isStataName(name), name).toBe(true);
  });

  it('keeps the code of a long choice flag, the part that tells its columns apart', () => {
    const flags = names(STATA_NAMES, [
      'sd_sources_of_income_in_the_last_twelve_months__12',
      'sd_sources_of_income_in_the_last_twelve_months__13',
    ]);
    expect(flags).toEqual(['sd_sources_of_income_in_the__12', 'sd_sources_of_income_in_the__13']);
  });

  it('SPSS: at most 64 bytes, a letter first, no reserved word nor COMMENT or DOCUMENT', () => {
    const got = names(SPSS_NAMES, [
      LONG_A,
      LONG_B,
      'with',
      'BY',
      'all',
      'comment',
      'doc',
      'x_',
      'in',
    ]);
    expect(got).toEqual([
      LONG_A.slice(0, 64),
      `${LONG_A.slice(0, 62)}_2`,
      'v_with',
      'v_BY',
      'v_all',
      'v_comment',
      'v_doc',
      'x',
      'in',
    ]);
    for (const name of got) expect(name.length).toBeLessThanOrEqual(64);
  });

  it('gives a CSV column its own name before a name the script adds', () => {
    const dictionary: Dictionary = {
      ...DICTIONARY,
      columns: [
        {
          name: 'note',
          storage: 'string',
          label: 'Note',
          valueLabels: [],
          nonResponse: { dontKnow: -8, refused: -9 },
        },
        {
          name: 'note_nr',
          storage: 'numeric',
          label: 'Numéro',
          valueLabels: [],
          nonResponse: undefined,
        },
      ],
    };
    const doFile = stataScript(dictionary, COMMA_DOT);
    expect(doFile).toContain('rename (v1 v2) ///\n    (note note_nr)');
    expect(doFile).toContain('generate double note_nr_2 = -8 if note == "-8", after(note)');
    expect(checkStataSyntax(doFile)).toEqual([]);
    expect(rScript(dictionary, COMMA_DOT)).toContain('reason = "note_nr_2"');
  });
});

describe('value labels', () => {
  it('label each value once, and never a non-response code, in the three scripts', () => {
    const dictionary: Dictionary = {
      ...DICTIONARY,
      columns: [
        {
          name: 'x',
          storage: 'numeric',
          label: 'X',
          valueLabels: [
            { value: 1, label: 'A' },
            { value: 1, label: 'B' },
            { value: -8, label: 'C' },
          ],
          nonResponse: { dontKnow: -8, refused: -9 },
        },
      ],
    };
    expect(rScript(dictionary, COMMA_DOT)).toContain('"x" = c("A" = 1)\n');
    const doFile = stataScript(dictionary, COMMA_DOT);
    expect(doFile).toContain('label define x 1 "A" .a "Ne sait pas" .b "Refus de répondre"\n');
    expect(checkStataSyntax(doFile)).toEqual([]);
    const syntax = spssScript(dictionary, COMMA_DOT);
    expect(syntax).toContain("  /x\n    1 'A'\n    -8 'Ne sait pas'\n    -9 'Refus de répondre'.");
    expect(syntax).not.toMatch(/'B'|'C'/);
  });
});

describe('string literals', () => {
  it('R: ASCII, escapes for quotes, backslashes, line breaks and every other character', () => {
    expect(rString('Âge "dit" \\ l’été\n😀')).toBe(
      '"\\u00c2ge \\"dit\\" \\\\ l\\u2019\\u00e9t\\u00e9\\n\\U{1f600}"',
    );
  });

  it('Stata: compound quotes around a double quote, macros escaped, one line', () => {
    expect(stataString('Oui')).toBe('"Oui"');
    expect(stataString('il a dit "oui"')).toBe('`"il a dit "oui""\'');
    expect(stataString('$HOME `cmd` \\ fin')).toBe('"\\$HOME \'cmd\' \\\\ fin"');
    expect(stataString('"\'entre\'"\nligne')).toBe('`""’entre\'" ligne"\'');
    expect(stataString('voir // ici /* là */')).toBe('"voir / / ici / * là * /"');
  });

  it('SPSS: single quotes doubled, long texts in pieces joined by +', () => {
    expect(spssString('l\'un "deux"')).toEqual(["'l''un \"deux\"'"]);
    const pieces = spssString(LONG_LABEL);
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.slice(0, -1).every((piece) => piece.endsWith("' +"))).toBe(true);
    expect(pieces.map((piece) => piece.replace(/ \+$/, '').slice(1, -1)).join('')).toBe(LONG_LABEL);
  });
});

describe('the R script', () => {
  for (const format of FORMATS) {
    const script = rScript(DICTIONARY, format);

    it(`reads the CSV with the export's options (${format.delimiter}, decimal comma ${format.decimalComma})`, () => {
      expect(script).toContain(`sep = "${format.delimiter}"`);
      expect(script).toContain(`dec = "${format.decimalComma ? ',' : '.'}"`);
      expect(script).toContain(`fileEncoding = "${format.bom ? 'UTF-8-BOM' : 'UTF-8'}"`);
      expect(script).toContain('na.strings = ""');
      expect(script).toContain('check.names = FALSE');
      expect(script).toContain('utils::read.csv(');
      // The path: csv_file if set, else the command line's, else the export's file name.
      expect(script).toContain('if (exists("csv_file")) csv_file else');
      expect(script).toContain('commandArgs(trailingOnly = TRUE)');
      expect(script).toContain(`args[1] else "${format.fileName}"`);
      expect(script).toMatch(
        /cat\(sprintf\("interviews: %d rows, %d columns\\n", nrow\(interviews\), ncol\(interviews\)\)\)\n$/,
      );
    });
  }

  const script = rScript(DICTIONARY, COMMA_DOT);

  it('stops in French and English, saying install.packages("haven"), when haven is missing', () => {
    expect(script).toContain('if (!requireNamespace("haven", quietly = TRUE))');
    expect(script).toContain('est n\\u00e9cessaire : install.packages(\\"haven\\")');
    expect(script).toContain('is required: install.packages(\\"haven\\")');
  });

  it('is ASCII, data then a loop: one line per column, each value label set once', () => {
    expect(/^[\t\n\x20-\x7e]*$/.test(script)).toBe(true);
    expect(script.match(/^ {4}col\(/gm)).toHaveLength(DICTIONARY.columns.length);
    expect(script.match(/c\("Oui" = 1, "Non" = 2\)/g)).toHaveLength(1);
    expect(script.match(/labels = "q1"/g)).toHaveLength(2);
    expect(script.split('\n').length).toBeLessThan(DICTIONARY.columns.length + 130);
    expect(script).toContain('haven::tagged_na("a", "b")');
  });

  it('takes the non-response codes from the dictionary, never from itself', () => {
    const other: Dictionary = {
      ...DICTIONARY,
      columns: DICTIONARY.columns.map((column) =>
        column.nonResponse === undefined
          ? column
          : { ...column, nonResponse: { dontKnow: 98, refused: 99 } },
      ),
    };
    const text = rScript(other, COMMA_DOT);
    expect(text).toContain('nr = c(98, 99)');
    // A code, not the -8 of UTF-8.
    const code = /(?<![A-Za-z])-[89](?![0-9])/;
    expect(text).not.toMatch(code);
    expect(stataScript(other, COMMA_DOT)).not.toMatch(code);
    expect(spssScript(other, COMMA_DOT)).not.toMatch(code);
    expect(checkStataSyntax(stataScript(other, COMMA_DOT))).toEqual([]);
  });
});

describe('the Stata do-file', () => {
  for (const format of FORMATS) {
    const doFile = stataScript(DICTIONARY, format);

    it(`passes the grammar check (${format.delimiter}, decimal comma ${format.decimalComma})`, () => {
      expect(checkStataSyntax(doFile)).toEqual([]);
      const flat = doFile.replaceAll(' ///\n    ', ' ');
      expect(flat).toContain(
        `import delimited using \`"\`csv_file'"', clear delimiters("${format.delimiter}") varnames(nonames) rowrange(2) encoding("utf-8") bindquotes(strict) maxquotedrows(unlimited) asdouble`,
      );
      expect(flat.includes('decimalseparator(,)')).toBe(format.decimalComma);
      expect(flat).toContain('stringcols(1 7/13 25) numericcols(2/6 14/24)');
      expect(doFile).toContain(`if \`"\`csv_file'"' == "" local csv_file "${format.fileName}"`);
    });
  }

  const doFile = stataScript(DICTIONARY, COMMA_DOT);
  const named = stataNames(doFile);
  const nameOf = (csv: string) =>
    named[DICTIONARY.columns.findIndex(({ name }) => name === csv)] ?? '';

  it("names every column within Stata's rules, the CSV name in a note when renamed", () => {
    expect(new Set(named.map((name) => name.toLowerCase())).size).toBe(named.length);
    for (const name of named) expect(isStataName(name), name).toBe(true);
    expect(nameOf('v1')).toBe('v1');
    expect(nameOf('interview_id')).toBe('interview_id');
    expect(doFile).toContain(`notes ${nameOf(MID_B)}: CSV column ${MID_B}`);
    expect(doFile).toContain(`notes ${nameOf('âge_déclaré')}: CSV column âge_déclaré`);
  });

  it('labels every variable within 80 characters, quotes and macros safe', () => {
    expect(doFile).toContain(`label variable q1 \`"Avez-vous dit "oui" à l'enquêteur ?"'`);
    expect(doFile).toContain('label variable q2 "Première ligne seconde ligne"');
    expect(doFile).toContain(
      `label variable comment \`"Commentaire 'libre' \\$HOME \\\\ fin "’entre'""'`,
    );
    const long =
      /label variable mod_depression_screening_questio "([^"]*)"/.exec(doFile)?.[1] ?? '';
    expect(Array.from(long)).toHaveLength(80);
    expect(long.endsWith('…')).toBe(true);
  });

  it('decodes -8 and -9 to .a and .b, labelled, in numeric, date and time columns', () => {
    const mvdecode = /mvdecode ([^,]*), mv\(-8=\.a \\ -9=\.b\)/.exec(
      doFile.replaceAll(' ///\n    ', ' '),
    );
    const numericWithCodes = DICTIONARY.columns
      .filter((column) => column.storage === 'numeric' && column.nonResponse !== undefined)
      .map(({ name }) => nameOf(name));
    expect(mvdecode?.[1]?.split(' ')).toEqual(numericWithCodes);
    expect(doFile).toContain(
      'label define q1 1 "Oui" 2 "Non" .a "Ne sait pas" .b "Refus de répondre"',
    );
    expect(doFile).toContain('label values q1 q2 q1');
    expect(doFile).toContain('replace birth_t = .a if birth == "-8"');
    expect(doFile).toContain('label values age birth contact_time age');
  });

  it('makes dates %td and UTC times %tc; local times stay text; a text keeps its codes aside', () => {
    expect(doFile).toContain('generate double birth_t = date(birth, "YMD"), after(birth)');
    expect(doFile).toContain('format birth %td');
    expect(doFile).toContain(
      'generate double started_at_t = clock(subinstr(substr(started_at, 1, 23), "T", " ", 1), "YMDhms"), after(started_at)',
    );
    expect(doFile).toContain('format started_at %tc');
    expect(doFile).not.toMatch(/started_at_local_t|format started_at_local/);
    expect(doFile).toContain('replace comment = "" if inlist(comment, "-8", "-9")');
    expect(doFile).toContain('label values comment_nr local_time_nr comment_nr');
  });

  it('labels integers only: a half code and the codes of a text are left to the codebook', () => {
    expect(doFile).toContain('label define score 0 "Nul"\n');
    expect(doFile).toMatch(/\* Stata labels integers only[^\n]*\n\* score/);
    expect(doFile).toMatch(/\* Stata labels numbers only[^\n]*\n\* band/);
  });
});

describe('the grammar checker refuses what Stata would', () => {
  const good = stataScript(DICTIONARY, COMMA_DOT);
  const cases: readonly [string, string, RegExp][] = [
    [
      'a label over 80 characters',
      good.replace('label variable age "Âge"', `label variable age "${'x'.repeat(81)}"`),
      /longer than 80/,
    ],
    [
      'an invalid name',
      good.replace('(interview_id q1', '(interview-id q1'),
      /not a valid Stata name|expected/,
    ],
    ['a reserved name', good.replace('(interview_id q1', '(in q1'), /not a valid Stata name/],
    [
      'a label on a decimal',
      good.replace('label define score 0 "Nul"', 'label define score 0 "Nul" 0.5 "Demi"'),
      /not an integer/,
    ],
    [
      'a variable not there',
      good.replace('label variable age "Âge"', 'label variable agee "Âge"'),
      /agee not found/,
    ],
    [
      'a command cut without ///',
      good.replace('rowrange(2) ///', 'rowrange(2)'),
      /not a command|expected/,
    ],
    [
      'a global macro in a string',
      good.replace('label variable age "Âge"', 'label variable age "$HOME"'),
      /global macro/,
    ],
    [
      'a double quote in a plain string',
      good.replace('label variable age "Âge"', 'label variable age "l"a"'),
      /unclosed|unexpected|expected/,
    ],
    [
      'a value label on a text',
      good.replace('label values q1 q2 q1', 'label values q1 q2 comment q1'),
      /string variable/,
    ],
    [
      'a value label never defined',
      good.replace('label values q1 q2 q1', 'label values q1 q2 nolabel'),
      /not found/,
    ],
    [
      'a wrong column count',
      good.replace('assert c(k) == 25', 'assert c(k) == 24'),
      /25 variables/,
    ],
    ['a command Stata does not have', `${good}\ntabul q1\n`, /not a command/],
  ];
  for (const [what, text, message] of cases)
    it(what, () => {
      expect(text).not.toBe(good);
      const issues = checkStataSyntax(text);
      expect(issues.length, issues.join('\n')).toBeGreaterThan(0);
      expect(issues.join('\n')).toMatch(message);
    });
});

describe('the SPSS syntax', () => {
  for (const format of FORMATS) {
    const syntax = spssScript(DICTIONARY, format);

    it(`reads the CSV with the export's options (${format.delimiter}, decimal comma ${format.decimalComma})`, () => {
      expect(syntax).toContain(`SET DECIMAL=${format.decimalComma ? 'COMMA' : 'DOT'}.`);
      expect(syntax).toContain(
        `GET DATA /TYPE=TXT\n  /FILE='${format.fileName}'\n  /ENCODING='UTF8' /ARRANGEMENT=DELIMITED /DELCASE=LINE /FIRSTCASE=2\n  /DELIMITERS='${format.delimiter}' /QUALIFIER='"'\n  /VARIABLES=\n`,
      );
      expect(syntax.endsWith('EXECUTE.\nRESTORE.\n')).toBe(true);
    });
  }

  const syntax = spssScript(DICTIONARY, COMMA_DOT);
  const read = spssReadNames(syntax);

  it("names every column within SPSS rules, the CSV name at the start of a renamed one's label", () => {
    expect(read).toHaveLength(DICTIONARY.columns.length);
    const reserved = /^(ALL|AND|BY|EQ|GE|GT|LE|LT|NE|NOT|OR|TO|WITH)$/i;
    for (const name of read) {
      expect(name, name).toMatch(/^[A-Za-z][A-Za-z0-9_.$#@]*$/);
      expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(64);
      expect(name).not.toMatch(reserved);
    }
    expect(new Set(read.map((name) => name.toLowerCase())).size).toBe(read.length);
    expect(syntax).toContain("  /v_with '[with] Réservé partout'");
    expect(syntax).toContain(
      "  /v_comment '[comment] Commentaire `libre` $HOME \\ fin \"''entre''\"'",
    );
  });

  it('is made of commands that each end with a period, continuation lines indented, lines short', () => {
    const lines = syntax.split('\n');
    let open = false;
    for (const line of lines) {
      if (line.trim() === '') {
        expect(open, 'a blank line inside a command ends it').toBe(false);
        continue;
      }
      // Batch mode (PSPP manual, "Syntax Variants"): a command's later lines are indented.
      expect(/^\s/.test(line), line).toBe(open);
      open = !line.endsWith('.');
      expect(line.length, line).toBeLessThanOrEqual(80);
    }
    expect(open).toBe(false);
  });

  it('labels variables and values, non-responses included, and declares them missing', () => {
    expect(syntax).toContain("  /q1 'Avez-vous dit \"oui\" à l''enquêteur ?'");
    expect(syntax).toMatch(
      / {2}\/q1 q2\n {4}1 'Oui'\n {4}2 'Non'\n {4}-8 'Ne sait pas'\n {4}-9 'Refus de répondre'\n/,
    );
    expect(syntax).toMatch(
      / {2}\/v_comment\n {4}'-8' 'Ne sait pas'\n {4}'-9' 'Refus de répondre'\n/,
    );
    expect(syntax).toMatch(
      /MISSING VALUES\n {2}q1 q2 age birth contact_time\n[^(]*\(-8, -9\)\n {2}\/v_comment \('-8', '-9'\)\n {2}\/local_time \('-8', '-9'\)\.\n/,
    );
    const long =
      /\/mod_depression_screening_question_first\n((?: {6}'.*\n)+)/.exec(syntax)?.[1] ?? '';
    const label = long
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.trim().replace(/ \+$/, '').slice(1, -1))
      .join('');
    expect(new TextEncoder().encode(label).length).toBeLessThanOrEqual(255);
    expect(label.endsWith('…')).toBe(true);
  });

  it('reads dates and UTC times as text, then makes them dates and times in their place', () => {
    expect(read).toContain('birth_text');
    expect(read).toContain('started_at_text');
    expect(read).toContain('started_at_local');
    expect(syntax).toContain(
      'NUMERIC birth (SDATE10) /visit_day (SDATE10) /started_at (DATETIME20)',
    );
    expect(syntax).toContain(
      "IF (NOT ANY(birth_text, '', '-8', '-9'))\n    birth =\n      NUMBER(birth_text, SDATE10).",
    );
    expect(syntax).toContain("IF (birth_text = '-8') birth = -8.");
    expect(syntax).toMatch(
      /MATCH FILES \/FILE=\* \/KEEP= interview_id TO v_comment birth visit_day\s+started_at contact_time started_at_local TO band\./,
    );
  });
});

describe('the scripts of the real SMPG 2026.2 export', () => {
  const layout = exportLayout([loadSmpg('2026.2')], { quotaVariables: ['sex', 'age'] });
  const dictionary = dictionaryOf(layout, 'fr');
  const format: CsvFormat = {
    fileName: 'smpg_lille_interviews_2026-06-15.csv',
    delimiter: ';',
    decimalComma: true,
    bom: true,
  };

  it('describe every column of the layout', () => {
    expect(dictionary.columns.map(({ name }) => name)).toEqual(
      layout.columns.map(({ name }) => name),
    );
    expect(dictionary.columns.length).toBeGreaterThan(500);
  });

  it('give a do-file that passes the grammar check, every name valid', () => {
    const doFile = stataScript(dictionary, format);
    expect(checkStataSyntax(doFile)).toEqual([]);
    expect(doFile).toContain(`assert c(k) == ${dictionary.columns.length}`);
    expect(doFile).toMatch(/mvdecode /);
  });

  it('give SPSS syntax of commands ended by a period, every name valid, lines short', () => {
    const syntax = spssScript(dictionary, format);
    const read = spssReadNames(syntax);
    expect(read).toHaveLength(dictionary.columns.length);
    expect(new Set(read.map((name) => name.toLowerCase())).size).toBe(read.length);
    for (const line of syntax.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(syntax).toContain('MISSING VALUES');
  });

  it('give an R script with one line per column', () => {
    const script = rScript(dictionary, format);
    expect(script.match(/^ {4}col\(/gm)).toHaveLength(dictionary.columns.length);
    expect(/^[\t\n\x20-\x7e]*$/.test(script)).toBe(true);
  });
});
