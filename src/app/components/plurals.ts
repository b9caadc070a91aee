// Counted words and numbers in the interface's language: the plural form Intl.PluralRules picks
// (French counts 0 and 1,6 as singular, English only 1), numbers as Intl.NumberFormat writes them
// (a decimal comma and a space between thousands in French). Shared by the app and the dashboard,
// so it imports nothing of either's words.

/** An interface language's code (the app's and the dashboard's: `fr`, `en`). */
type UiLanguage = string;

/** `template` with each `{name}` replaced by `values[name]` (left as it is when absent). */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => String(values[key] ?? whole));
}

/** A text in its singular and plural forms, each with `{count}` where the number goes. */
export interface PluralForms {
  readonly one: string;
  readonly other: string;
}

const rules = new Map<UiLanguage, Intl.PluralRules>();
const numbers = new Map<UiLanguage, Intl.NumberFormat>();

function rulesOf(language: UiLanguage): Intl.PluralRules {
  let found = rules.get(language);
  if (found === undefined) {
    found = new Intl.PluralRules(language);
    rules.set(language, found);
  }
  return found;
}

/** `value` as the language writes numbers (`1 234,5` in French, `1,234.5` in English). */
export function formatNumber(value: number, language: UiLanguage): string {
  let found = numbers.get(language);
  if (found === undefined) {
    found = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
    numbers.set(language, found);
  }
  return found.format(value);
}

/**
 * The form of `forms` that agrees with `count`. French's other categories (`many`, for a million
 * and more) take the plural.
 */
export function pluralOf(forms: PluralForms, count: number, language: UiLanguage): string {
  return rulesOf(language).select(count) === 'one' ? forms.one : forms.other;
}

/**
 * The form that agrees with `count`, its `{count}` written as the language writes numbers, and its
 * other `{name}` placeholders replaced by `values`.
 */
export function countText(
  forms: PluralForms,
  count: number,
  language: UiLanguage,
  values: Readonly<Record<string, string | number>> = {},
): string {
  return fill(pluralOf(forms, count, language), {
    ...values,
    count: formatNumber(count, language),
  });
}
