// `interviews.do`: loads the interviews' CSV into Stata, labelled: names within Stata's rules,
// variable labels, value labels, "don't know" and "refused" as the extended missing values .a
// and .b, dates and UTC times as Stata dates and times.
import type { CsvFormat, Dictionary, DictionaryColumn, ValueLabel } from '../dictionary.ts';
import {
  aboutParagraph,
  commentLines,
  groupBy,
  labelSetKey,
  oneLine,
  paragraphs,
  reasonLabel,
  withinChars,
  oneLabelPerValue,
} from './common.ts';
import { wrapWords } from './lines.ts';
import { NameAllocator, STATA_NAMES } from './names.ts';

/** [D] label: a variable label holds up to 80 characters. */
export const STATA_LABEL_CHARS = 80;
/** [D] label: a value label's text holds up to 32,000 characters. */
const STATA_VALUE_LABEL_CHARS = 32_000;
/** [D] label: the values labelled are integers (and .a-.z); long's range. */
const STATA_INTEGER = 2_147_483_620;

const WRAP = { width: 100, indent: '    ', continuation: ' ///' } as const;

/**
 * A Stata string literal holding `text` as is, on one line. Stata expands macros inside strings:
 * `\$`, `` \` `` and `\\` stand for `$`, `` ` `` and `\` (Stata FAQ "Backslashes and macros"); a
 * text holding a double quote needs compound quotes, `` `"…"' ``, which `"'` would close: there
 * the apostrophe becomes ’, and a backquote becomes ', so that no compound quote opens inside.
 */
export function stataString(text: string): string {
  const escaped = stataText(text);
  if (!escaped.includes('"')) return `"${escaped}"`;
  return `\`"${escaped.replaceAll(`"'`, '"’')}"'`;
}

/**
 * Text that Stata reads back as written after its macro expansion (a string's content, a note).
 * `//` after a blank and `/*`, `*\/` would read as comments: a space goes between their signs.
 */
function stataText(text: string): string {
  return oneLine(text)
    .replaceAll('`', "'")
    .replace(/(^|\s)\/\//g, '$1/ /')
    .replace(/\/\*/g, '/ *')
    .replace(/\*\//g, '* /')
    .replace(/[\\$]/g, (char) => `\\${char}`);
}

/** A numlist of 1-based positions: runs written `a/b`. */
function numlist(positions: readonly number[]): string[] {
  const parts: string[] = [];
  let start = positions[0];
  let previous = start;
  for (const position of [...positions.slice(1), undefined]) {
    if (position !== undefined && previous !== undefined && position === previous + 1) {
      previous = position;
      continue;
    }
    if (start !== undefined && previous !== undefined)
      parts.push(start === previous ? String(start) : `${start}/${previous}`);
    start = position;
    previous = position;
  }
  return parts;
}

interface Variable {
  readonly column: DictionaryColumn;
  /** Its position in the CSV, from 1: `import delimited` names it `v<position>`. */
  readonly position: number;
  readonly name: string;
  /** The numeric column made from a date or UTC time (renamed to `name` once converted). */
  readonly converted: string | undefined;
  /** The column of non-response codes beside a text column. */
  readonly reason: string | undefined;
}

function header(dictionary: Dictionary, format: CsvFormat): string[] {
  const { dontKnow, refused } = dictionary.nonResponseLabels;
  return [
    aboutParagraph(dictionary, format, 'Stata 16 or newer'),
    '',
    `Use: do <this file> [path/to/${format.fileName}]; without a path it reads`,
    `${format.fileName} in the working directory (see cd).`,
    '',
    "- Names follow Stata's rules (letters, digits and _, at most 32 characters, not a",
    'reserved word, unique): a renamed column keeps its CSV name in a note (notes list).',
    `- The non-response codes ("${dontKnow}", "${refused}") of a numeric, date or time`,
    'column are the extended missing values .a and .b, labelled: missing in every command,',
    'and tabulate x, missing shows which. A text column that can hold them has them blanked,',
    'and their codes in the column <name>_nr right after it.',
    "- Variable labels are cut to 80 characters, Stata's limit; the codebook has them whole.",
    '- Dates are %td dates and UTC times %tc times (double); local times stay text, as sites',
    'may lie in different time zones.',
  ];
}

/** Integer value labels (Stata labels no other values), as `# "text"` pairs. */
function labelPairs(labels: readonly ValueLabel[]): string[] {
  return labels
    .filter(({ value }) => Number.isInteger(value) && Math.abs(value) <= STATA_INTEGER)
    .map(({ value, label }) =>
      [String(value), stataString(withinChars(oneLine(label), STATA_VALUE_LABEL_CHARS))].join(' '),
    );
}

/** The Stata do-file that loads the interviews' CSV described by `dictionary`, written as `format`. */
export function stataScript(described: Dictionary, format: CsvFormat): string {
  const dictionary = oneLabelPerValue(described);
  const { dontKnow, refused } = dictionary.nonResponseLabels;
  const names = new NameAllocator(STATA_NAMES);
  const mainNames = dictionary.columns.map((column) => names.take(column.name));
  const variables: Variable[] = dictionary.columns.map((column, index) => {
    const name = mainNames[index] ?? column.name;
    const converts = column.storage === 'date' || column.storage === 'datetime_utc';
    const hasReason = column.nonResponse !== undefined && !converts && column.storage !== 'numeric';
    return {
      column,
      position: index + 1,
      name,
      converted: converts ? names.take(`${name}_t`) : undefined,
      reason: hasReason ? names.take(`${name}_nr`) : undefined,
    };
  });

  const out = commentLines(paragraphs(header(dictionary, format)), 96, { first: '* ', next: '* ' });
  out.push('', 'version 16', 'clear', 'local csv_file `"`1\'"\'');
  out.push(`if \`"\`csv_file'"' == "" local csv_file ${stataString(format.fileName)}`);

  // The header row is skipped (rowrange) and columns are named v1, v2… (varnames(nonames)), so
  // that the names are ours, not Stata's guesses; each column's type is given, not guessed.
  const positionsOf = (numeric: boolean) =>
    variables
      .filter(({ column }) => (column.storage === 'numeric') === numeric)
      .map(({ position }) => position);
  const options = [
    'clear',
    `delimiters(${stataString(format.delimiter)})`,
    'varnames(nonames)',
    'rowrange(2)',
    'encoding("utf-8")',
    'bindquotes(strict)',
    'maxquotedrows(unlimited)',
    'asdouble',
    ...(format.decimalComma ? ['decimalseparator(,)'] : []),
  ];
  const strings = numlist(positionsOf(false));
  const numbers = numlist(positionsOf(true));
  if (strings.length > 0) options.push(`stringcols(${strings.join(' ')})`);
  if (numbers.length > 0) options.push(`numericcols(${numbers.join(' ')})`);
  out.push('');
  out.push(...wrapWords('import delimited using `"`csv_file\'"\',', options, '', WRAP));
  out.push(
    '* The CSV must have the columns described here (an export with the same options).',
    `assert c(k) == ${dictionary.columns.length}`,
  );

  const renamed = variables.filter(({ name, position }) => name !== `v${position}`);
  if (renamed.length > 0) {
    // One group rename: it swaps names safely where a column is itself called v<n>.
    out.push('');
    out.push(
      ...wrapWords(
        'rename (',
        renamed.map(({ position }) => `v${position}`),
        ') ///',
        WRAP,
      ),
      ...wrapWords(
        '    (',
        renamed.map(({ name }) => name),
        ')',
        WRAP,
      ),
    );
  }

  const conversions: string[] = [];
  for (const { column, name, converted, reason } of variables) {
    const codes = column.nonResponse;
    if (converted !== undefined) {
      const value =
        column.storage === 'date'
          ? `date(${name}, "YMD")`
          : `clock(subinstr(substr(${name}, 1, 23), "T", " ", 1), "YMDhms")`;
      conversions.push(`generate double ${converted} = ${value}, after(${name})`);
      if (codes !== undefined) {
        conversions.push(`replace ${converted} = .a if ${name} == "${codes.dontKnow}"`);
        conversions.push(`replace ${converted} = .b if ${name} == "${codes.refused}"`);
      }
      conversions.push(
        `drop ${name}`,
        `rename ${converted} ${name}`,
        `format ${name} ${column.storage === 'date' ? '%td' : '%tc'}`,
      );
    } else if (reason !== undefined && codes !== undefined) {
      conversions.push(
        `generate double ${reason} = ${codes.dontKnow} if ${name} == "${codes.dontKnow}", after(${name})`,
        `replace ${reason} = ${codes.refused} if ${name} == "${codes.refused}"`,
        `replace ${name} = "" if inlist(${name}, "${codes.dontKnow}", "${codes.refused}")`,
      );
    }
  }
  if (conversions.length > 0) out.push('', ...conversions);

  for (const group of groupBy(
    variables.filter(({ column }) => column.storage === 'numeric' && column.nonResponse),
    ({ column }) => JSON.stringify(column.nonResponse),
  )) {
    const codes = group[0]?.column.nonResponse;
    if (codes === undefined) continue;
    out.push('');
    out.push(
      ...wrapWords(
        'mvdecode',
        group.map(({ name }) => name),
        `, mv(${codes.dontKnow}=.a \\ ${codes.refused}=.b)`,
        WRAP,
      ),
    );
  }

  out.push('');
  for (const { column, name, reason } of variables) {
    out.push(
      `label variable ${name} ${stataString(withinChars(oneLine(column.label), STATA_LABEL_CHARS))}`,
    );
    if (name !== column.name)
      out.push(`notes ${name}: CSV column ${stataText(column.name.replaceAll('"', "'"))}`);
    if (reason !== undefined)
      out.push(
        `label variable ${reason} ${stataString(
          withinChars(oneLine(reasonLabel(dictionary, column)), STATA_LABEL_CHARS),
        )}`,
      );
  }

  // One value label per distinct set of labels, named after the first variable that has it.
  const labelNames = new NameAllocator(STATA_NAMES);
  const missing = [`.a ${stataString(dontKnow)}`, `.b ${stataString(refused)}`];
  interface Labelled {
    readonly name: string;
    readonly pairs: readonly string[];
    readonly key: string;
  }
  const labelled: Labelled[] = [];
  const skipped: string[] = [];
  const fractional: string[] = [];
  for (const { column, name, reason } of variables) {
    const isText = column.storage === 'string' || column.storage === 'datetime_local';
    const extended = column.nonResponse !== undefined && !isText;
    if (isText) {
      if (column.valueLabels.length > 0) skipped.push(name);
    } else if (column.valueLabels.length > 0 || extended) {
      if (column.valueLabels.some(({ value }) => !Number.isInteger(value))) fractional.push(name);
      const pairs = [...labelPairs(column.valueLabels), ...(extended ? missing : [])];
      labelled.push({ name, pairs, key: labelSetKey(column.valueLabels, extended) });
    }
    if (reason !== undefined && column.nonResponse !== undefined) {
      const labels = [
        { value: column.nonResponse.dontKnow, label: dontKnow },
        { value: column.nonResponse.refused, label: refused },
      ];
      labelled.push({ name: reason, pairs: labelPairs(labels), key: labelSetKey(labels, false) });
    }
  }
  for (const group of groupBy(labelled, ({ key }) => key)) {
    const first = group[0];
    if (first === undefined || first.pairs.length === 0) continue;
    const labelName = labelNames.take(first.name);
    out.push('');
    out.push(...wrapWords(`label define ${labelName}`, first.pairs, '', WRAP));
    out.push(...wrapWords('label values', [...group.map(({ name }) => name), labelName], '', WRAP));
  }
  if (skipped.length > 0) {
    out.push(
      '',
      '* Stata labels numbers only: the codes of these text columns are in the codebook:',
    );
    out.push(...wrapWords('*', skipped, '', { ...WRAP, indent: '* ', continuation: '' }));
  }
  if (fractional.length > 0) {
    out.push(
      '',
      '* Stata labels integers only: these columns lack the labels of their other codes:',
    );
    out.push(...wrapWords('*', fractional, '', { ...WRAP, indent: '* ', continuation: '' }));
  }

  out.push(
    '',
    `label data ${stataString(
      withinChars(
        `${dictionary.questionnaireId} ${dictionary.versions.join(', ')}`,
        STATA_LABEL_CHARS,
      ),
    )}`,
    'describe, short',
    '',
  );
  return out.join('\n');
}
