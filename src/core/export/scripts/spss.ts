// `interviews.sps`: loads the interviews' CSV into SPSS (or GNU PSPP), labelled: names within
// SPSS's rules, variable and value labels, "don't know" and "refused" as user-missing values,
// dates and UTC times as SPSS dates and times.
import type { CsvFormat, Dictionary, DictionaryColumn, ValueLabel } from '../dictionary.ts';
import {
  aboutParagraph,
  commentLines,
  groupBy,
  labelSetKey,
  oneLine,
  paragraphs,
  withinBytes,
  oneLabelPerValue,
} from './common.ts';
import { wrapWords } from './lines.ts';
import { NameAllocator, SPSS_NAMES } from './names.ts';

/** VARIABLE LABELS: up to 256 bytes in SPSS; PSPP keeps 255. */
const SPSS_LABEL_BYTES = 255;
/** VALUE LABELS: up to 120 bytes. */
const SPSS_VALUE_LABEL_BYTES = 120;
/**
 * The width given to text columns, in bytes: the dictionary does not say how long texts are, and
 * GET DATA cuts a longer value silently. 1000 bytes hold SMPG's longest text answers (500
 * characters) even when each takes two bytes.
 */
export const SPSS_TEXT_BYTES = 1000;
/** Widest numeric input field (PSPP manual, "Basic Numeric Formats"). */
const NUMBER_INPUT = 'F40.2';
const DATE_TEXT = 'A10';
const UTC_TEXT = 'A24';
const LOCAL_TEXT_BYTES = 19;
/** Pieces of a long string literal, joined by `+` on the next line. */
const PIECE_CHARS = 60;

const WRAP = { width: 78, indent: '    ', continuation: '' } as const;

/** One piece of a string literal: single quotes, an apostrophe doubled. */
function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * An SPSS string literal of `text` on one line, split into pieces joined by `+` (PSPP manual,
 * "Tokens": a line break may precede or follow the `+`) so that lines stay short.
 */
export function spssString(text: string): string[] {
  const chars = Array.from(oneLine(text));
  if (chars.length === 0) return ["''"];
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += PIECE_CHARS)
    pieces.push(quote(chars.slice(i, i + PIECE_CHARS).join('')));
  return pieces.map((piece, i) => (i < pieces.length - 1 ? `${piece} +` : piece));
}

/**
 * Text for a comment: quotes left out, so that no string opens; no period to end it early (a
 * comment ends at a line that ends with a period, wherever the words wrap): a sentence's period
 * becomes a semicolon.
 */
function commentText(text: string): string {
  return oneLine(text)
    .replace(/['"]/g, '')
    .replace(/\.(?=\s|$)/g, ';')
    .replace(/;$/, '');
}

interface Variable {
  readonly column: DictionaryColumn;
  readonly name: string;
  /** Read as text under this name, then converted to a date or a time named `name`. */
  readonly text: string | undefined;
}

function header(dictionary: Dictionary, format: CsvFormat): string[] {
  const { dontKnow, refused } = dictionary.nonResponseLabels;
  return [
    aboutParagraph(dictionary, format, 'SPSS or GNU PSPP'),
    '',
    `Use: set the path of ${format.fileName} on the /FILE line below (a relative path is`,
    'read from the working directory, see CD), then run the whole file.',
    '',
    '- Names follow SPSS rules (at most 64 bytes, a letter first, not a reserved word,',
    'unique): a renamed column has its CSV name in brackets at the start of its label.',
    `- The non-response codes (${dontKnow}, ${refused}) are user-missing values, labelled,`,
    'in numeric, text and date columns alike: procedures leave them out and FREQUENCIES',
    'shows them.',
    `- Text columns are ${SPSS_TEXT_BYTES} bytes wide: a longer text would be cut. GET DATA`,
    'ends a case at each line break: export with linebreaks=space (the dashboard format',
    '"R, Stata, SPSS" does) so that a text typed on several lines stays on one.',
    '- Dates are SDATE dates and UTC times DATETIME times; local times stay text, as sites',
    'may lie in different time zones.',
  ];
}

/**
 * `lead` then a string literal (in pieces when long), then `end`: the literal on the lead's line
 * when it fits, else on the lines below.
 */
function withString(lead: string, text: string, end: string): string[] {
  const pieces = spssString(text);
  const [first = "''", ...rest] = pieces;
  const lines =
    `${lead} ${first}`.length <= WRAP.width
      ? [`${lead} ${first}`, ...rest.map((piece) => `      ${piece}`)]
      : [lead, ...pieces.map((piece) => `      ${piece}`)];
  return lines.map((line, i) => (i === lines.length - 1 ? line + end : line));
}

/** The SPSS syntax that loads the interviews' CSV described by `dictionary`, written as `format`. */
export function spssScript(described: Dictionary, format: CsvFormat): string {
  const dictionary = oneLabelPerValue(described);
  const { dontKnow, refused } = dictionary.nonResponseLabels;
  const names = new NameAllocator(SPSS_NAMES);
  const mainNames = dictionary.columns.map((column) => names.take(column.name));
  const variables: Variable[] = dictionary.columns.map((column, index) => {
    const name = mainNames[index] ?? column.name;
    const converts = column.storage === 'date' || column.storage === 'datetime_utc';
    return { column, name, text: converts ? names.take(`${name}_text`) : undefined };
  });
  const isText = (column: DictionaryColumn) =>
    column.storage === 'string' || column.storage === 'datetime_local';
  // Variables given value labels or missing values together must have the same width.
  const width = (column: DictionaryColumn) =>
    column.storage === 'string'
      ? SPSS_TEXT_BYTES
      : column.storage === 'datetime_local'
        ? LOCAL_TEXT_BYTES
        : 0;

  // Each paragraph is one comment command: `*`, lines below indented, a period at its end.
  const out = commentLines(paragraphs(header(dictionary, format).map(commentText)), 78, {
    first: '* ',
    next: '  ',
    end: '.',
    blank: '',
  });
  out.push(
    '',
    '* The decimal mark of the CSV, whatever the locale, until the data are read.',
    'PRESERVE.',
    `SET DECIMAL=${format.decimalComma ? 'COMMA' : 'DOT'}.`,
    // The path on GET DATA itself: a FILE HANDLE would fail when the syntax runs a second time.
    'GET DATA /TYPE=TXT',
    `  /FILE=${quote(format.fileName)}`,
    "  /ENCODING='UTF8' /ARRANGEMENT=DELIMITED /DELCASE=LINE /FIRSTCASE=2",
    `  /DELIMITERS=${quote(format.delimiter)} /QUALIFIER='"'`,
    '  /VARIABLES=',
  );
  const read = variables.map(({ column, name, text }) => {
    switch (column.storage) {
      case 'numeric':
        return `${name} ${NUMBER_INPUT}`;
      case 'string':
        return `${name} A${SPSS_TEXT_BYTES}`;
      case 'datetime_local':
        return `${name} A${LOCAL_TEXT_BYTES}`;
      case 'date':
        return `${text ?? name} ${DATE_TEXT}`;
      case 'datetime_utc':
        return `${text ?? name} ${UTC_TEXT}`;
    }
  });
  out.push(...read.map((line, i) => `    ${line}${i === read.length - 1 ? '.' : ''}`));

  const converted = variables.filter(({ text }) => text !== undefined);
  if (converted.length > 0) {
    out.push('');
    out.push(
      ...wrapWords(
        'NUMERIC',
        converted.map(
          ({ column, name }, i) =>
            `${i === 0 ? '' : '/'}${name} (${column.storage === 'date' ? 'SDATE10' : 'DATETIME20'})`,
        ),
        '.',
        WRAP,
      ),
    );
    for (const { column, name, text } of converted) {
      if (text === undefined) continue;
      const codes = column.nonResponse;
      const skip = [
        "''",
        ...(codes === undefined
          ? []
          : [codes.dontKnow, codes.refused].map((c) => quote(String(c)))),
      ];
      // NUMBER() reads with an input format; a time's fraction is read apart because the seconds'
      // decimal mark follows SET DECIMAL while the CSV always writes a point.
      const value =
        column.storage === 'date'
          ? [`NUMBER(${text}, SDATE10).`]
          : [
              `NUMBER(SUBSTR(${text}, 1, 10), SDATE10) +`,
              `NUMBER(SUBSTR(${text}, 12, 8), TIME8) +`,
              `SUM(NUMBER(SUBSTR(${text}, 21, 3), F3) / 1000, 0).`,
            ];
      out.push(
        `IF (NOT ANY(${text}, ${skip.join(', ')}))`,
        `    ${name} =`,
        ...value.map((line) => `      ${line}`),
      );
      if (codes !== undefined) {
        out.push(`IF (${text} = ${quote(String(codes.dontKnow))}) ${name} = ${codes.dontKnow}.`);
        out.push(`IF (${text} = ${quote(String(codes.refused))}) ${name} = ${codes.refused}.`);
      }
    }
    // The converted columns back in their place, their texts left out: runs of untouched
    // columns as `first TO last`.
    const keep: string[] = [];
    let run: string[] = [];
    const flush = () => {
      if (run.length > 0)
        keep.push(run.length === 1 ? (run[0] ?? '') : `${run[0]} TO ${run.at(-1)}`);
      run = [];
    };
    for (const { name, text } of variables) {
      if (text === undefined) {
        run.push(name);
      } else {
        flush();
        keep.push(name);
      }
    }
    flush();
    out.push(...wrapWords('MATCH FILES /FILE=* /KEEP=', keep, '.', WRAP));
  }

  // Display formats: codes as integers, other numbers with two decimals (stored whole).
  const numeric = variables.filter(({ column }) => column.storage === 'numeric');
  const isCoded = ({ column }: Variable) =>
    column.valueLabels.length > 0 &&
    column.valueLabels.every(({ value }) => Number.isInteger(value));
  const coded = numeric.filter(isCoded);
  const measures = numeric.filter((variable) => !isCoded(variable));
  const formats: string[] = [];
  if (coded.length > 0) formats.push(...coded.map(({ name }) => name), '(F8.0)');
  if (measures.length > 0)
    formats.push(
      ...(formats.length > 0 ? ['/'] : []),
      ...measures.map(({ name }) => name),
      '(F12.2)',
    );
  if (formats.length > 0) out.push('', ...wrapWords('FORMATS', formats, '.', WRAP));

  out.push('', 'VARIABLE LABELS');
  variables.forEach(({ column, name }, i) => {
    const renamed = name === column.name ? '' : `[${column.name}] `;
    const label = withinBytes(renamed + oneLine(column.label), SPSS_LABEL_BYTES);
    const end = i === variables.length - 1 ? '.' : '';
    out.push(...withString(`  ${i === 0 ? '' : '/'}${name}`, label, end));
  });

  // VALUE LABELS: one clause per distinct set, non-response codes included.
  const labelled = variables.filter(
    ({ column }) => column.valueLabels.length > 0 || column.nonResponse !== undefined,
  );
  const clauses = groupBy(labelled, ({ column }) =>
    JSON.stringify([
      width(column),
      labelSetKey(column.valueLabels, column.nonResponse !== undefined),
      column.nonResponse,
    ]),
  );
  if (clauses.length > 0) {
    out.push('', 'VALUE LABELS');
    clauses.forEach((group, i) => {
      const column = group[0]?.column;
      if (column === undefined) return;
      const labels: ValueLabel[] = [...column.valueLabels];
      if (column.nonResponse !== undefined)
        labels.push(
          { value: column.nonResponse.dontKnow, label: dontKnow },
          { value: column.nonResponse.refused, label: refused },
        );
      out.push(
        ...wrapWords(
          '  /',
          group.map(({ name }) => name),
          '',
          WRAP,
        ),
      );
      labels.forEach(({ value, label }, j) => {
        const shown = isText(column) ? quote(String(value)) : String(value);
        const end = i === clauses.length - 1 && j === labels.length - 1 ? '.' : '';
        out.push(
          ...withString(`    ${shown}`, withinBytes(oneLine(label), SPSS_VALUE_LABEL_BYTES), end),
        );
      });
    });
  }

  const missing = groupBy(
    variables.filter(({ column }) => column.nonResponse !== undefined),
    ({ column }) => JSON.stringify([width(column), column.nonResponse]),
  );
  if (missing.length > 0) {
    out.push('', 'MISSING VALUES');
    missing.forEach((group, i) => {
      const column = group[0]?.column;
      if (column?.nonResponse === undefined) return;
      const { dontKnow: dk, refused: ref } = column.nonResponse;
      const values = isText(column)
        ? `(${quote(String(dk))}, ${quote(String(ref))})`
        : `(${dk}, ${ref})`;
      out.push(
        ...wrapWords(
          `  ${i === 0 ? '' : '/'}`,
          group.map(({ name }) => name),
          ` ${values}${i === missing.length - 1 ? '.' : ''}`,
          WRAP,
        ),
      );
    });
  }

  if (coded.length > 0)
    out.push(
      '',
      ...wrapWords(
        'VARIABLE LEVEL',
        coded.map(({ name }) => name),
        ' (NOMINAL).',
        WRAP,
      ),
    );

  out.push('', 'EXECUTE.', 'RESTORE.', '');
  return out.join('\n');
}
