// `interviews.R`: loads the interviews' CSV into R as a data frame labelled with the `haven`
// package (value labels, variable labels, "don't know" and "refused" as tagged missing values).
import type { CsvFormat, Dictionary, DictionaryColumn } from '../dictionary.ts';
import {
  aboutParagraph,
  commentLines,
  labelSetKey,
  oneLabelPerValue,
  paragraphs,
} from './common.ts';

/**
 * An R string literal in ASCII: every other character as a `\u` escape, so that the script reads
 * the same in any R, whatever the encoding its session assumes for source files.
 */
export function rString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code === 0) continue;
    else if (code >= 0x20 && code < 0x7f) out += char;
    else if (code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U{${code.toString(16)}}`;
  }
  return `${out}"`;
}

/** Comment text in ASCII too: letters without their accents, `?` for other characters. */
function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '?');
}

function rNumber(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}

function rNamedNumbers(entries: readonly (readonly [string, number])[]): string {
  return `c(${entries.map(([label, value]) => `${rString(label)} = ${rNumber(value)}`).join(', ')})`;
}

/** A name that no column has: `wanted`, else `wanted_2`, `wanted_3`… */
function freeName(wanted: string, taken: Set<string>): string {
  let name = wanted;
  for (let n = 2; taken.has(name); n++) name = `${wanted}_${n}`;
  taken.add(name);
  return name;
}

const READ_AS = {
  numeric: 'numeric',
  string: 'character',
  date: 'character',
  datetime_utc: 'character',
  datetime_local: 'character',
} as const;

function header(dictionary: Dictionary, format: CsvFormat): string[] {
  const { dontKnow, refused } = dictionary.nonResponseLabels;
  return [
    aboutParagraph(dictionary, format, 'R'),
    '',
    `Use: put this file beside ${format.fileName} and source() it from that folder (or set`,
    'csv_file <- "path/to/file.csv" before), or run: Rscript <this file> path/to/file.csv.',
    'It needs the haven package.',
    '',
    'The result is the data frame `interviews`, one row per interview:',
    '- a coded column is a haven labelled vector: its value labels, and the question as its',
    'variable label, attr(x, "label"), as every column has;',
    `- the non-response codes ("${dontKnow}", "${refused}") of a numeric column are the`,
    'tagged missing values NA(a) and NA(b) (haven::tagged_na): real NAs, so mean(x, na.rm =',
    'TRUE) leaves them out; haven::na_tag(x) says which one, and haven::as_factor(x) gives a',
    'factor of the labels with them as levels;',
    '- a text or date column that can hold a non-response code has NA there, and the reason',
    'in a factor column right after it, named <column>_nr: a column rather than an',
    'attribute, because it stays in step with its rows when they are filtered or sorted;',
    '- dates are Date; times in UTC are POSIXct in UTC; local times stay text, because sites',
    'may lie in different time zones and a POSIXct column has only one;',
    '- texts come as the export wrote them: with formulas=escaped (the default) a text that',
    "starts like a spreadsheet formula has a ' in front; export with formulas=raw for texts as",
    'typed.',
  ];
}

function columnCall(
  column: DictionaryColumn,
  labelSet: string | undefined,
  reason: string | undefined,
): string {
  const args = [rString(column.name), rString(column.storage), rString(column.label)];
  if (labelSet !== undefined) args.push(`labels = ${rString(labelSet)}`);
  if (column.nonResponse !== undefined) {
    const { dontKnow, refused } = column.nonResponse;
    args.push(`nr = c(${rNumber(dontKnow)}, ${rNumber(refused)})`);
  }
  if (reason !== undefined) args.push(`reason = ${rString(reason)}`);
  return `    col(${args.join(', ')})`;
}

/** The R script that loads the interviews' CSV described by `dictionary`, written as `format`. */
export function rScript(described: Dictionary, format: CsvFormat): string {
  const dictionary = oneLabelPerValue(described);
  const { dontKnow, refused } = dictionary.nonResponseLabels;
  const taken = new Set(dictionary.columns.map((column) => column.name));
  const labelSets = new Map<string, { name: string; column: DictionaryColumn }>();
  const calls: string[] = [];
  for (const column of dictionary.columns) {
    let labelSet: string | undefined;
    if (column.valueLabels.length > 0) {
      const key = labelSetKey(column.valueLabels, false);
      let set = labelSets.get(key);
      if (set === undefined) {
        set = { name: column.name, column };
        labelSets.set(key, set);
      }
      labelSet = set.name;
    }
    const reason =
      column.nonResponse !== undefined && column.storage !== 'numeric'
        ? freeName(`${column.name}_nr`, taken)
        : undefined;
    calls.push(columnCall(column, labelSet, reason));
  }
  const sets = [...labelSets.values()].map(
    ({ name, column }) =>
      `    ${rString(name)} = ${rNamedNumbers(column.valueLabels.map(({ label, value }) => [label, value]))}`,
  );
  const lines = [
    ...commentLines(paragraphs(header(dictionary, format).map(ascii)), 96, {
      first: '# ',
      next: '# ',
    }),
    '',
    'if (!requireNamespace("haven", quietly = TRUE)) {',
    '  stop(',
    `    ${rString('Le paquet R « haven » est nécessaire : install.packages("haven")\n')},`,
    `    ${rString('The R package "haven" is required: install.packages("haven")')},`,
    '    call. = FALSE',
    '  )',
    '}',
    '',
    'interviews <- local({',
    '  file <- if (exists("csv_file")) csv_file else {',
    '    args <- commandArgs(trailingOnly = TRUE)',
    `    if (length(args) > 0) args[1] else ${rString(format.fileName)}`,
    '  }',
    '  # The labels of the non-response codes, with the tag of their missing values.',
    `  non_response <- c(${rString(dontKnow)} = "a", ${rString(refused)} = "b")`,
    '  # Value labels, by the first column that has them.',
    '  value_labels <- list(',
    ...(sets.length === 0 ? [] : [sets.join(',\n')]),
    '  )',
    '  col <- function(name, storage, label, labels = NULL, nr = NULL, reason = NULL) {',
    '    list(name = name, storage = storage, label = label, labels = labels, nr = nr,',
    '      reason = reason)',
    '  }',
    '  # Each CSV column in order: name, how it is read, variable label, value labels,',
    "  # non-response codes (don't know, refused), column of the non-response reason.",
    '  columns <- list(',
    calls.join(',\n'),
    '  )',
    '  read_as <- c(',
    Object.entries(READ_AS)
      .map(([storage, as]) => `    ${storage} = ${rString(as)}`)
      .join(',\n'),
    '  )',
    '  names_in_csv <- vapply(columns, function(column) column$name, "")',
    '  raw <- utils::read.csv(',
    '    file,',
    `    sep = ${rString(format.delimiter)},`,
    `    dec = ${rString(format.decimalComma ? ',' : '.')},`,
    `    fileEncoding = ${rString(format.bom ? 'UTF-8-BOM' : 'UTF-8')},`,
    '    encoding = "UTF-8",',
    '    colClasses = unname(read_as[vapply(columns, function(column) column$storage, "")]),',
    '    na.strings = "",',
    '    check.names = FALSE,',
    '    stringsAsFactors = FALSE',
    '  )',
    '  if (!identical(names(raw), names_in_csv)) {',
    '    stop(',
    `      ${rString('Ce fichier n’a pas les colonnes de l’export décrit ici (' + format.fileName + ').\n')},`,
    `      ${rString('This file does not have the columns of the export described here.')},`,
    '      call. = FALSE',
    '    )',
    '  }',
    '  tags <- haven::tagged_na("a", "b")',
    '  out <- list()',
    '  for (column in columns) {',
    '    x <- raw[[column$name]]',
    '    labels <- if (is.null(column$labels)) NULL else value_labels[[column$labels]]',
    '    reason <- NULL',
    '    if (column$storage == "numeric") {',
    '      if (!is.null(column$nr)) {',
    '        x[x %in% column$nr[1]] <- tags[1]',
    '        x[x %in% column$nr[2]] <- tags[2]',
    '        labels <- c(labels, stats::setNames(tags, names(non_response)))',
    '      }',
    '      # Value labels make a haven labelled vector; a measure stays a plain number, as',
    "      # haven's own read_dta() and read_sav() leave it.",
    '      if (!is.null(labels)) x <- haven::labelled(x, labels = labels)',
    '    } else {',
    '      if (!is.null(column$nr)) {',
    '        codes <- as.character(column$nr)',
    '        reason <- factor(x, levels = codes, labels = names(non_response))',
    '        attr(reason, "label") <- paste(paste(names(non_response), collapse = " / "), ":",',
    '          column$label)',
    '        x[x %in% codes] <- NA',
    '      }',
    '      x <- switch(column$storage,',
    '        date = as.Date(x, format = "%Y-%m-%d"),',
    '        datetime_utc = as.POSIXct(x, tz = "UTC", format = "%Y-%m-%dT%H:%M:%OSZ"),',
    '        x',
    '      )',
    '      if (!is.null(labels)) {',
    '        x <- haven::labelled(x, labels = stats::setNames(as.character(labels), names(labels)))',
    '      }',
    '    }',
    '    attr(x, "label") <- column$label',
    '    out[[column$name]] <- x',
    '    if (!is.null(reason)) out[[column$reason]] <- reason',
    '  }',
    '  structure(out, class = "data.frame", row.names = c(NA, -nrow(raw)))',
    '})',
    '',
    'cat(sprintf("interviews: %d rows, %d columns\\n", nrow(interviews), ncol(interviews)))',
    '',
  ];
  return lines.join('\n');
}
