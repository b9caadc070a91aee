// Sizes of storage as the interviewer reads them, in the interface's language ("1,6 Mo", "512 ko";
// "1.6 MB"), or "?" when the browser does not say.
import type { PluralForms } from './plurals.ts';
import { pluralOf } from './plurals.ts';
import type { UiLanguage } from '../ui-text.ts';
import { fill } from '../ui-text.ts';

/** A size as shown: its number (rounded as written) and its unit. */
export interface ByteSize {
  readonly amount: number;
  readonly unit: 'kilobyte' | 'megabyte' | 'gigabyte';
}

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

/** Kilobytes as whole numbers, megabytes and gigabytes to one decimal (binary multiples). */
export function byteSize(bytes: number): ByteSize {
  if (bytes < MIB) return { amount: Math.round(bytes / KIB), unit: 'kilobyte' };
  if (bytes < GIB) return { amount: Math.round((bytes / MIB) * 10) / 10, unit: 'megabyte' };
  return { amount: Math.round((bytes / GIB) * 10) / 10, unit: 'gigabyte' };
}

const formats = new Map<string, Intl.NumberFormat>();

export function formatBytes(bytes: number | null, language: UiLanguage): string {
  if (bytes === null) return '?';
  const { amount, unit } = byteSize(bytes);
  const key = `${language} ${unit}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(language, {
      style: 'unit',
      unit,
      unitDisplay: 'short',
      maximumFractionDigits: 1,
    });
    formats.set(key, format);
  }
  return format.format(amount);
}

/**
 * A size in the form of `forms` that agrees with its number as written, `{size}` replaced by it
 * ("1,6 Mo utilisé", "12 Mo utilisés").
 */
export function sizeText(forms: PluralForms, bytes: number | null, language: UiLanguage): string {
  const amount = bytes === null ? 0 : byteSize(bytes).amount;
  return fill(pluralOf(forms, amount, language), { size: formatBytes(bytes, language) });
}
