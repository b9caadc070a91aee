// What a choice question holds after a tap, and the taps not shown yet: kept apart from the
// component so that they are tested without a browser.
import type { Choice } from '../../core/questionnaire/index.ts';

/**
 * The codes a multiple choice holds after a tap on `toggled`, in the order of the choices: an
 * exclusive code ("none of these") alone, any other without the exclusive ones.
 */
export function toggledSelection(
  choices: readonly Choice[],
  selected: readonly string[],
  toggled: string,
  checked: boolean,
  exclusive: readonly string[] = [],
): string[] {
  const kept = !checked
    ? selected.filter((code) => code !== toggled)
    : exclusive.includes(toggled)
      ? [toggled]
      : [...selected.filter((code) => !exclusive.includes(code)), toggled];
  return choices.map((choice) => choice.code).filter((code) => kept.includes(code));
}

/**
 * The codes tapped on one choice question and not shown yet: the screen follows a tap once its
 * write commits, or SHOW_AT_LATEST_MS after it at the latest (useInterview), so taps faster than
 * that must build on the ones before them, not on the codes shown. A tap is kept until its answer
 * settles (stored and shown, or refused as invalid: then the tap before it, if any, is the last
 * again); a tap over another interview state than the one shown now (`from`) no longer counts.
 */
export class TappedCodes {
  private last: { readonly over: unknown; readonly codes: readonly string[] } | undefined;

  /** What a new tap builds on: the last tap over the state shown, else the codes shown. */
  base(from: unknown, shown: readonly string[]): readonly string[] {
    return this.last !== undefined && this.last.over === from ? this.last.codes : shown;
  }

  /** Notes a tap over the state shown; returns what to call once its answer settles. */
  tap(from: unknown, codes: readonly string[]): (refused: boolean) => void {
    const before = this.last;
    const tap = { over: from, codes };
    this.last = tap;
    return (refused) => {
      if (this.last === tap) this.last = refused ? before : undefined;
    };
  }
}
