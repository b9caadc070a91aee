// What the three scripts share: labels on one line and within a length, the sets of value labels
// that several columns share, and the opening lines that say what a script loads.
import type { CsvFormat, Dictionary, DictionaryColumn, ValueLabel } from '../dictionary.ts';

/** A label on one line: line breaks and tabs become spaces, other control characters go. */
export function oneLine(text: string): string {
  return text
    .replace(/\r\n|[\r\n\t\u2028\u2029]/g, ' ')
    .replace(/\p{Cc}/gu, '')
    .trim();
}

const ELLIPSIS = '…';

/** At most `max` characters (code points), an ellipsis ending a label that was cut. */
export function withinChars(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return chars.slice(0, max - 1).join('') + ELLIPSIS;
}

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

/** At most `max` bytes of UTF-8, cut between characters, an ellipsis ending a label that was cut. */
export function withinBytes(text: string, max: number): string {
  if (utf8Length(text) <= max) return text;
  const budget = max - utf8Length(ELLIPSIS);
  let kept = '';
  let bytes = 0;
  for (const char of text) {
    const size = utf8Length(char);
    if (bytes + size > budget) break;
    kept += char;
    bytes += size;
  }
  return kept + ELLIPSIS;
}

/**
 * The dictionary with one label per value in each column (the first), and none for a value that
 * is a non-response code: each tool refuses or silently overwrites a value labelled twice.
 */
export function oneLabelPerValue(dictionary: Dictionary): Dictionary {
  return {
    ...dictionary,
    columns: dictionary.columns.map((column) => {
      const seen = new Set<number>();
      const codes = column.nonResponse;
      if (codes !== undefined) seen.add(codes.dontKnow).add(codes.refused);
      const valueLabels = column.valueLabels.filter(({ value }) => {
        if (seen.has(value)) return false;
        seen.add(value);
        return true;
      });
      return valueLabels.length === column.valueLabels.length ? column : { ...column, valueLabels };
    }),
  };
}

/** A key that is equal for two columns exactly when they have the same value labels. */
export function labelSetKey(labels: readonly ValueLabel[], nonResponse: boolean): string {
  return JSON.stringify([labels.map(({ value, label }) => [value, label]), nonResponse]);
}

/** Columns grouped by a key, groups in the order of their first column. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return [...groups.values()];
}

/** The label of a companion column that says why a text or date column is empty. */
export function reasonLabel(dictionary: Dictionary, column: DictionaryColumn): string {
  const { dontKnow, refused } = dictionary.nonResponseLabels;
  return `${dontKnow} / ${refused} : ${column.label || column.name}`;
}

/** The opening paragraph of every script: what it loads, from which export, read how. */
export function aboutParagraph(dictionary: Dictionary, format: CsvFormat, tool: string): string {
  const separator = format.delimiter === ';' ? 'semicolons' : 'commas';
  const decimal = format.decimalComma ? 'decimal commas' : 'decimal points';
  return [
    `Loads ${format.fileName} into ${tool}, labelled: questionnaire`,
    `${dictionary.questionnaireId}, versions ${dictionary.versions.join(', ')}, labels in`,
    `${dictionary.language}, ${dictionary.columns.length} columns. Written by the export with that`,
    'CSV from its data dictionary, it reads the CSV as exported with the same options (codes,',
    `not labels; ${separator}; ${decimal}${format.bom ? '; byte order mark' : ''}).`,
  ].join(' ');
}

/**
 * Lines of text joined into paragraphs: an empty line stands alone, and a line that starts with
 * "- " starts a list item.
 */
export function paragraphs(lines: readonly string[]): string[] {
  const out: string[] = [];
  let open = false;
  for (const line of lines) {
    if (line === '') {
      out.push('');
      open = false;
    } else if (!open || line.startsWith('- ')) {
      out.push(line);
      open = true;
    } else {
      out[out.length - 1] += ` ${line}`;
    }
  }
  return out;
}

/**
 * Paragraphs as comment lines of at most `width` characters: `first` starts a paragraph's first
 * line, `next` its others (a paragraph that starts with "- " is a list item, indented under its
 * text); `end` ends its last line.
 */
export function commentLines(
  paragraphs: readonly string[],
  width: number,
  marks: {
    readonly first: string;
    readonly next: string;
    readonly end?: string;
    /** An empty paragraph's line (default: `first` alone). */
    readonly blank?: string;
  },
): string[] {
  const lines: string[] = [];
  for (const paragraph of paragraphs) {
    if (paragraph === '') {
      lines.push(marks.blank ?? marks.first.trimEnd());
      continue;
    }
    const indent = paragraph.startsWith('- ') ? '  ' : '';
    let line = '';
    const block: string[] = [];
    for (const word of paragraph.split(/\s+/).filter((w) => w !== '')) {
      const lead = block.length === 0 ? marks.first : marks.next + indent;
      if (line !== '' && lead.length + line.length + 1 + word.length > width) {
        block.push(lead + line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    block.push((block.length === 0 ? marks.first : marks.next + indent) + line + (marks.end ?? ''));
    lines.push(...block);
  }
  return lines;
}
