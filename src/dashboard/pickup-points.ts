// Editing a site's pick-up points on the dashboard, as pure functions: a place added is cleaned as
// the server will clean it, and refused for the reasons the server would refuse the list, so the
// coordinator hears why in their language before anything is sent.
import {
  MAX_PICKUP_POINTS,
  MAX_PICKUP_POINT_LENGTH,
  cleanPickupPoint,
  pickupPointKey,
} from '../core/protocol/index.ts';

export type AddProblem =
  | { readonly problem: 'empty' }
  | { readonly problem: 'too_long' }
  | { readonly problem: 'too_many' }
  /** `place`: the label already in the list. */
  | { readonly problem: 'duplicate'; readonly place: string };

/** The list with `typed` added at the end (cleaned), or why it cannot be. */
export function addPickupPoint(
  list: readonly string[],
  typed: string,
): { readonly list: readonly string[] } | AddProblem {
  const place = cleanPickupPoint(typed);
  if (place === '') return { problem: 'empty' };
  if (place.length > MAX_PICKUP_POINT_LENGTH) return { problem: 'too_long' };
  const existing = list.find((entry) => pickupPointKey(entry) === pickupPointKey(place));
  if (existing !== undefined) return { problem: 'duplicate', place: existing };
  if (list.length >= MAX_PICKUP_POINTS) return { problem: 'too_many' };
  return { list: [...list, place] };
}

/** The list without `place`. */
export function removePickupPoint(list: readonly string[], place: string): readonly string[] {
  return list.filter((entry) => entry !== place);
}
