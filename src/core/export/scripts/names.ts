// Variable names within a statistics tool's rules (Stata: 32 characters; SPSS: 64 bytes, a few
// reserved words), unique after shortening, as close to the CSV header as those rules allow.

export interface NameRules {
  /** The longest name. Names are ASCII once cleaned, so characters and bytes agree. */
  readonly maxLength: number;
  /** Words that may not be a name, compared without regard to case. */
  readonly reserved: ReadonlySet<string>;
  /** Names matching this are reserved too (Stata's `str1`…`str2045`). */
  readonly reservedPattern?: RegExp;
  /**
   * Trailing `_` and `.` are dropped: PSPP and SPSS keep such names for their own procedures, and
   * in Stata a name cut after an underscore only looks unfinished.
   */
  readonly noTrailingUnderscore?: boolean;
}

/** [U] 11.3 of the Stata User's Guide; `str#` is the pattern below. */
export const STATA_NAMES: NameRules = {
  maxLength: 32,
  reserved: new Set(
    [
      '_all',
      '_b',
      'byte',
      '_coef',
      '_cons',
      'double',
      'float',
      'if',
      'in',
      'int',
      'long',
      '_n',
      '_N',
      '_pi',
      '_pred',
      '_rc',
      '_se',
      '_skip',
      'strL',
      'using',
      'with',
    ].map((word) => word.toLowerCase()),
  ),
  reservedPattern: /^str[0-9]+$/i,
  noTrailingUnderscore: true,
};

/**
 * PSPP manual, 6.1 "Tokens" (the same list as SPSS): identifiers of up to 64 bytes. Besides,
 * PSPP reads a line that starts with COMMENT or DOCUMENT (or an abbreviation of them), even
 * indented inside a command, as that command: a variable of that name cannot start a line.
 */
export const SPSS_NAMES: NameRules = {
  maxLength: 64,
  reserved: new Set(
    ['all', 'and', 'by', 'eq', 'ge', 'gt', 'le', 'lt', 'ne', 'not', 'or', 'to', 'with'].map(
      (word) => word.toLowerCase(),
    ),
  ),
  reservedPattern: /^(comm(e(nt?)?)?|doc(u(m(e(nt?)?)?)?)?)$/i,
  noTrailingUnderscore: true,
};

/**
 * Shortens a clean name to `max` characters. A choice flag (`<item>__<code>`) keeps its code at
 * the end, the part that tells its columns apart; other names keep their beginning.
 */
function shorten(name: string, max: number): string {
  if (name.length <= max) return name;
  const split = name.lastIndexOf('__');
  if (split > 0) {
    const tail = name.slice(split);
    if (tail.length <= Math.floor(max / 2))
      return name.slice(0, max - tail.length).replace(/_+$/, '') + tail;
  }
  return name.slice(0, max);
}

/** Letters without their accents, `_` for anything else that a name may not hold. */
function clean(wanted: string): string {
  const ascii = wanted
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_]/g, '_');
  if (ascii === '') return 'v';
  return /^[A-Za-z]/.test(ascii) ? ascii : `v${ascii}`;
}

/**
 * Hands out names under one tool's rules: valid, unique without regard to case, each as close to
 * the name asked for as the rules allow. Ask for the CSV's columns first (in order), then for the
 * names a script adds, so that a column keeps its own name before an added one does.
 */
export class NameAllocator {
  private readonly taken = new Set<string>();

  constructor(private readonly rules: NameRules) {}

  private isFree(name: string): boolean {
    const key = name.toLowerCase();
    return (
      !this.taken.has(key) &&
      !this.rules.reserved.has(key) &&
      this.rules.reservedPattern?.test(name) !== true
    );
  }

  private tidy(name: string): string {
    if (this.rules.noTrailingUnderscore !== true) return name;
    const trimmed = name.replace(/[_.]+$/, '');
    return trimmed === '' ? 'v' : trimmed;
  }

  /** A valid name not handed out before, as close to `wanted` as the rules allow. */
  take(wanted: string): string {
    const max = this.rules.maxLength;
    let base = this.tidy(shorten(clean(wanted), max));
    if (!this.isFree(base) && !this.taken.has(base.toLowerCase())) {
      // A reserved word: `v_with` rather than a number, which would read as a duplicate.
      base = this.tidy(shorten(`v_${base}`, max));
    }
    let name = base;
    for (let n = 2; !this.isFree(name); n++) {
      const suffix = `_${n}`;
      name = this.tidy(base.slice(0, max - suffix.length)) + suffix;
    }
    this.taken.add(name.toLowerCase());
    return name;
  }
}
