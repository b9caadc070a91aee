// Long commands on short lines: words packed up to a width, each line but the last ended by the
// tool's continuation mark (Stata's `///`; none in SPSS, where an indented line continues).

export interface WrapOptions {
  /** The width a line aims at (a single long word may go past it). */
  readonly width: number;
  /** What starts each line after the first. */
  readonly indent: string;
  /** What ends each line but the last (` ///` in Stata, '' in SPSS). */
  readonly continuation: string;
}

/** `head` then `words` separated by spaces, then `tail`, on as many lines as the width needs. */
export function wrapWords(
  head: string,
  words: readonly string[],
  tail: string,
  options: WrapOptions,
): string[] {
  const lines: string[] = [];
  const room = options.width - options.continuation.length;
  let line = head;
  for (const word of words) {
    const separator =
      line === '' || line.endsWith(' ') || line.endsWith('(') || line.endsWith('/') ? '' : ' ';
    if (line.trim() !== '' && (line + separator + word).length > room) {
      lines.push(line.trimEnd() + options.continuation);
      line = options.indent + word;
    } else {
      line += separator + word;
    }
  }
  lines.push(line + tail);
  return lines;
}
