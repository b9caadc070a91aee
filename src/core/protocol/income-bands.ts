// A site's own household-income bands (Cayenne's first band is not Lille's): their wire shape,
// shared by the site settings and the records made with them, and the labels and amounts of them.
import { z } from 'zod/mini';
import type { Choice } from '../questionnaire/index.ts';

/** What of an item (the engine's `ItemEntry`) the bands read. */
export interface IncomeItemEntry {
  readonly item: { readonly id: string; readonly type: string };
  readonly choices: readonly Choice[] | undefined;
}

/** Most upper bounds a site gives: 7 bands, the codes "1" to "7" of the income item. */
export const MAX_INCOME_BOUNDS = 6;
/** The highest amount a bound may be (a month's income in any currency stays well below). */
export const MAX_INCOME_AMOUNT = 1_000_000_000;
/** An ISO 4217 currency code. */
export const CURRENCY = /^[A-Z]{3}$/;
/** The questionnaire's item id the bands replace the choices of. */
const ITEM = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

/** Whether the bounds are 1 to 6 whole amounts, positive and strictly increasing. */
export function areIncomeBounds(bounds: readonly unknown[]): bounds is readonly number[] {
  if (bounds.length < 1 || bounds.length > MAX_INCOME_BOUNDS) return false;
  let previous = 0;
  for (const bound of bounds) {
    if (typeof bound !== 'number' || !Number.isSafeInteger(bound)) return false;
    if (bound <= previous || bound > MAX_INCOME_AMOUNT) return false;
    previous = bound;
  }
  return true;
}

/**
 * A site's income bands: band k (code `String(k)`) runs from the bound before it (0 for the
 * first) up to one less than its own; the last has no upper bound. null in the site settings:
 * the questionnaire's own bands.
 */
export const IncomeBandsSchema = z.strictObject({
  item: z.string().check(z.regex(ITEM, 'must be an item id such as sd_income')),
  currency: z.string().check(z.regex(CURRENCY, 'must be an ISO 4217 code such as EUR')),
  upperBounds: z
    .array(z.number())
    .check(
      z.refine(
        areIncomeBounds,
        `must be 1 to ${MAX_INCOME_BOUNDS} whole amounts, above 0 and each above the one before`,
      ),
    ),
});
export type IncomeBands = z.infer<typeof IncomeBandsSchema>;

/** The upload's fast path: exactly what IncomeBandsSchema accepts (a plain JSON object). */
export function isIncomeBands(value: unknown): value is IncomeBands {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const bounds = record['upperBounds'];
  return (
    keys.length === 3 &&
    typeof record['item'] === 'string' &&
    ITEM.test(record['item']) &&
    typeof record['currency'] === 'string' &&
    CURRENCY.test(record['currency']) &&
    Array.isArray(bounds) &&
    areIncomeBounds(bounds)
  );
}

/** How many bands the bounds make (one more than the bounds). */
export function incomeBandCount(bands: IncomeBands): number {
  return bands.upperBounds.length + 1;
}

/** The bands' codes: "1" to their count. */
export function incomeBandCodes(bands: IncomeBands): string[] {
  return Array.from({ length: incomeBandCount(bands) }, (_, index) => String(index + 1));
}

/**
 * Whether the bands can stand for an item's choices: a single choice that has the codes "1" to the
 * bands' count (the tablet offers those codes with the site's labels, the others not at all).
 */
export function fitsIncomeItem(entry: IncomeItemEntry | undefined, bands: IncomeBands): boolean {
  if (entry?.item.type !== 'single') return false;
  const codes = new Set((entry.choices ?? []).map((choice) => choice.code));
  return incomeBandCodes(bands).every((code) => codes.has(code));
}

/**
 * The amounts of band `code` ("1" to the count), upper undefined for the last; undefined for a
 * code that is no band.
 */
export function incomeBandAmounts(
  bands: IncomeBands,
  code: string,
): { readonly lower: number; readonly upper: number | undefined } | undefined {
  if (!/^[1-9]$/.test(code)) return undefined;
  const index = Number(code) - 1;
  const { upperBounds } = bands;
  if (index > upperBounds.length) return undefined;
  const bound = upperBounds[index];
  return {
    lower: index === 0 ? 0 : (upperBounds[index - 1] ?? 0),
    upper: bound === undefined ? undefined : bound - 1,
  };
}

const PHRASES = {
  fr: {
    below: (amount: string) => `Moins de ${amount}`,
    between: (lower: string, upper: string) => `De ${lower} à ${upper}`,
    above: (amount: string) => `${amount} ou plus`,
  },
  en: {
    below: (amount: string) => `Less than ${amount}`,
    between: (lower: string, upper: string) => `${lower} to ${upper}`,
    above: (amount: string) => `${amount} or more`,
  },
} as const;

/**
 * The bands' labels, in order, in `language` (English words for English, French for any other:
 * the interface has these two): "Moins de 840 €", "De 840 à 1 199 €", …, "2 000 € ou plus".
 * Amounts are written by Intl for the language and currency; where the symbol follows the amount,
 * a range writes it once, at its end. Throws a RangeError on bounds IncomeBandsSchema refuses.
 */
export function incomeBandLabels(bands: IncomeBands, language: string): string[] {
  if (!areIncomeBounds(bands.upperBounds) || !CURRENCY.test(bands.currency))
    throw new RangeError('income bands: bounds must be 1 to 6 increasing whole amounts');
  const money = new Intl.NumberFormat(language, {
    style: 'currency',
    currency: bands.currency,
    maximumFractionDigits: 0,
  });
  const plain = new Intl.NumberFormat(language, { maximumFractionDigits: 0 });
  const parts = money.formatToParts(1);
  const symbolLast =
    parts.findIndex((part) => part.type === 'currency') >
    parts.findIndex((part) => part.type === 'integer');
  const words = language === 'en' || language.startsWith('en-') ? PHRASES.en : PHRASES.fr;
  const bounds = bands.upperBounds;
  const labels: string[] = [];
  for (const [index, bound] of bounds.entries()) {
    const previous = bounds[index - 1];
    labels.push(
      previous === undefined
        ? words.below(money.format(bound))
        : words.between(
            symbolLast ? plain.format(previous) : money.format(previous),
            money.format(bound - 1),
          ),
    );
  }
  labels.push(words.above(money.format(bounds[bounds.length - 1] ?? 0)));
  return labels;
}

/**
 * An item as the interview shows it: the bands' item with the bands' choices in `language`, any
 * other (or without bands, or bands that do not fit it) as the questionnaire has it.
 */
export function withIncomeBands<E extends IncomeItemEntry>(
  entry: E,
  bands: IncomeBands | undefined,
  language: string,
): E {
  if (bands === undefined || entry.item.id !== bands.item || !fitsIncomeItem(entry, bands))
    return entry;
  return { ...entry, choices: incomeBandChoices(bands, language) };
}

/**
 * The income item's choices with the site's bands: codes "1" to the count, labelled in
 * `language`. The questionnaire's codes above the count are not offered.
 */
export function incomeBandChoices(bands: IncomeBands, language: string): Choice[] {
  return incomeBandLabels(bands, language).map((label, index) => ({
    code: String(index + 1),
    label: { [language]: label },
  }));
}
