// Formula neutralisation (OWASP, "CSV injection"): a text cell that a spreadsheet would run as a
// formula gets a `'` in front. Decided where a cell is made, from its value's type, not in the CSV writer.

/**
 * `escaped` (the default): a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return gets a `'` first. `raw`: every cell as typed, for tools that read the bytes themselves.
 */
export type FormulaMode = 'escaped' | 'raw';

/** Whether a spreadsheet would read this text as a formula: OWASP's list of first characters. */
export function startsFormula(cell: string): boolean {
  const code = cell.charCodeAt(0);
  // Most cells start with a letter or a digit: one comparison sends those away (NaN when empty).
  return (
    code <= 64 &&
    (code === 61 || code === 45 || code === 43 || code === 64 || code === 9 || code === 13)
  );
}

/** The text cell neutralised: `'` in front when it starts like a formula, else as it is. */
export function neutralised(cell: string): string {
  return startsFormula(cell) ? `'${cell}` : cell;
}
