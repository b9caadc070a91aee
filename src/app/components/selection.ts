// What a multiple choice holds after a tap: kept apart from the component so that it is tested
// without a browser.
import type { Choice } from '../../core/questionnaire/index.ts';

/**
 * The codes a multiple choice holds after a tap on `toggled`: an exclusive code ("none of these")
 * alone, any other without the exclusive ones, in the order of the choices.
 */
export function toggledSelection(
  choices: readonly Choice[],
  selected: readonly string[],
  toggled: string,
  checked: boolean,
  exclusive: readonly string[] = [],
): string[] {
  if (!checked) return selected.filter((code) => code !== toggled);
  const kept = exclusive.includes(toggled)
    ? []
    : selected.filter((code) => !exclusive.includes(code));
  return choices.map((c) => c.code).filter((code) => code === toggled || kept.includes(code));
}
