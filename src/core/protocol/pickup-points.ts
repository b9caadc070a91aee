/**
 * Pick-up points (lieux d'enquête): the places in town where a site's interviewers stand. A site
 * keeps a short list of them on the server; tablets receive it with the quota state, and each
 * interview records where it was made, from the list or typed in. Shared by the server (checks),
 * the dashboard (editing the list) and the app (the chooser, the record).
 */
import { z } from 'zod/mini';

/** Most pick-up points in a site's list. */
export const MAX_PICKUP_POINTS = 50;
/** Longest pick-up point, in UTF-16 code units (what `String.length` counts), in a list or a record. */
export const MAX_PICKUP_POINT_LENGTH = 100;

/** A place as stored and sent in a record: 1 to 100 characters. */
export const PickupPointSchema = z
  .string()
  .check(
    z.minLength(1, 'must not be empty'),
    z.maxLength(MAX_PICKUP_POINT_LENGTH, `must be at most ${MAX_PICKUP_POINT_LENGTH} characters`),
  );

/**
 * A label as the server stores it: Unicode composed, spaces trimmed, runs of white space made
 * one space (nothing cut: a label too long is refused, not shortened).
 */
export function cleanPickupPoint(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/**
 * What two labels are compared by to find duplicates: case, accents' composition and runs of
 * spaces aside ("Gare  Lille-Flandres" and "gare lille-flandres" are the same place).
 */
export function pickupPointKey(label: string): string {
  return cleanPickupPoint(label).toLowerCase();
}

/**
 * A place as typed, ready to store: spaces trimmed, runs of spaces made one, cut to 100
 * characters (never in the middle of a surrogate pair); undefined when nothing is left.
 */
export function normalisePickupPoint(text: string): string | undefined {
  const clean = cleanPickupPoint(text);
  if (clean === '') return undefined;
  if (clean.length <= MAX_PICKUP_POINT_LENGTH) return clean;
  let end = MAX_PICKUP_POINT_LENGTH;
  const last = clean.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return clean.slice(0, end).trimEnd();
}

/** The first label listed twice (by `pickupPointKey`), if any. */
export function duplicatePickupPoint(labels: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const label of labels) {
    const key = pickupPointKey(label);
    if (seen.has(key)) return label;
    seen.add(key);
  }
  return undefined;
}

/**
 * `PUT /sites/:site/pickup-points`: the site's whole list, replacing the one stored (`[]`: no
 * list, tablets then ask for the place as free text). Each label is cleaned first (trimmed, runs
 * of spaces made one), then checked: at most 50, each 1 to 100 characters, none listed twice.
 */
export const PickupPointsRequestSchema = z.strictObject({
  pickupPoints: z
    .array(
      z
        .string()
        .check(
          z.overwrite(cleanPickupPoint),
          z.minLength(1, 'must not be empty'),
          z.maxLength(
            MAX_PICKUP_POINT_LENGTH,
            `must be at most ${MAX_PICKUP_POINT_LENGTH} characters`,
          ),
        ),
    )
    .check(
      z.maxLength(MAX_PICKUP_POINTS, `at most ${MAX_PICKUP_POINTS} pick-up points`),
      z.superRefine((labels, context) => {
        const twice = duplicatePickupPoint(labels);
        if (twice !== undefined)
          context.addIssue({
            code: 'custom',
            message: `"${twice}" is listed twice`,
            input: labels,
          });
      }),
    ),
});
export type PickupPointsRequest = z.infer<typeof PickupPointsRequestSchema>;
