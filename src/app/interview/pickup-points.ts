// What the pick-up point chooser offers when an interview starts: the site's list, the place of
// the last interview (interviewers stay at one place for hours, so it is selected already and
// costs one tap), and free text. Pure, so the rules are tested without a screen.
import { normalisePickupPoint, pickupPointKey } from '../../core/protocol/index.ts';

export interface PickupChoices {
  /** The places offered, in order: the site's list, then the last one used if not in it. */
  readonly options: readonly string[];
  /** The option selected when the chooser opens (the last place used), if any. */
  readonly preselected: string | undefined;
}

/**
 * The chooser's options from the site's list (undefined on a tablet that never received one)
 * and the last place used on this tablet. Labels listed twice (by `pickupPointKey`) show once;
 * the last place is matched the same way, so a list label wins over how it was typed then.
 */
export function pickupChoices(
  sitePoints: readonly string[] | undefined,
  last: string | undefined,
): PickupChoices {
  const options: string[] = [];
  const keys = new Map<string, string>();
  const offer = (label: string) => {
    const clean = normalisePickupPoint(label);
    if (clean === undefined || keys.has(pickupPointKey(clean))) return;
    keys.set(pickupPointKey(clean), clean);
    options.push(clean);
  };
  for (const label of sitePoints ?? []) offer(label);
  const lastClean = last === undefined ? undefined : normalisePickupPoint(last);
  if (lastClean !== undefined) offer(lastClean);
  return {
    options,
    preselected: lastClean === undefined ? undefined : keys.get(pickupPointKey(lastClean)),
  };
}
