// The CSV reading shared by every census reader: INSEE's files are `;`-separated with a header,
// sometimes quoted, with `.` or (in hand-made tables) `,` decimal marks and spaces in thousands.

/** Splits one CSV line, with double-quoted fields ("a;b" and "" inside quotes). */
export function splitLine(line: string, separator: string): string[] {
  // Most lines of INSEE's national files have no quotes: the native split is much faster.
  if (!line.includes('"')) return line.split(separator).map((value) => value.trim());
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quoted) {
      if (c === '"' && line.charAt(i + 1) === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields.map((value) => value.trim());
}

/** A data line: its 1-based line number in the file and its fields. */
export interface CsvRow {
  readonly line: number;
  readonly fields: readonly string[];
}

export interface CsvTable {
  readonly separator: ';' | ',';
  /** Header names as written (trimmed, quotes removed). */
  readonly header: readonly string[];
  /** Non-blank lines after the header. */
  readonly rows: readonly CsvRow[];
}

/** Reads a headed CSV text: strips a BOM, takes LF or CRLF, skips blank lines. */
export function readCsv(text: string): CsvTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerLine = lines[0] ?? '';
  const separator = headerLine.includes(';') ? ';' : ',';
  const rows: CsvRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() !== '') rows.push({ line: i + 1, fields: splitLine(line, separator) });
  }
  return { separator, header: splitLine(headerLine, separator), rows };
}

/**
 * A count: decimals allowed (INSEE's weighted counts), spaces as thousands separators, and a `,`
 * decimal mark when `;` separates fields. `undefined` when the text is not a number.
 */
export function parseCount(text: string, separator: string): number | undefined {
  const raw = text.replace(/[\s\u00a0\u202f]/g, '');
  const count = Number(separator === ';' ? raw.replace(',', '.') : raw);
  return raw === '' || !Number.isFinite(count) ? undefined : count;
}
