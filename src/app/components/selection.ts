// What a multiple choice holds after a tap: kept apart from the component so that it is tested
// without a browser.
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
