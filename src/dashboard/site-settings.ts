// A site's settings as the dashboard's form edits them, as pure functions: the form's text fields
// from the server's settings, the settings body back from them (or, field by field, why not, so
// the coordinator reads it in their language before anything is sent), and who may edit.
import type {
  Access,
  IncomeBands,
  PublishedQuestionnaire,
  QuestionnaireVersion,
  SiteSettings,
} from '../core/protocol/index.ts';
import {
  CURRENCY,
  LANGUAGE,
  PHONE,
  SiteSettingsSchema,
  allows,
  areIncomeBounds,
} from '../core/protocol/index.ts';
import { compareVersions } from '../core/questionnaire/index.ts';

/** Zones of the sites French waves go to, offered first; any other IANA zone may be typed. */
export const COMMON_TIME_ZONES: readonly string[] = [
  'Europe/Paris',
  'America/Cayenne',
  'America/Martinique',
  'America/Guadeloupe',
  'Indian/Reunion',
  'Indian/Mayotte',
  'Pacific/Noumea',
  'Pacific/Tahiti',
  'America/Miquelon',
  'Pacific/Wallis',
  'Europe/Brussels',
  'Europe/Zurich',
  'Europe/Luxembourg',
  'Europe/Madrid',
  'Europe/Lisbon',
  'Europe/London',
  'Africa/Algiers',
  'Africa/Tunis',
  'Africa/Casablanca',
  'Africa/Dakar',
  'Africa/Abidjan',
  'America/Montreal',
  'America/Port-au-Prince',
  'UTC',
];

export interface ContactDraft {
  readonly name: string;
  readonly role: string;
  readonly phone: string;
}

/** The settings as the form's fields hold them: text as typed, minutes, percents. */
export interface SettingsDraft {
  readonly name: string;
  readonly timeZone: string;
  readonly helpline: string;
  readonly contacts: readonly ContactDraft[];
  readonly shortMinutes: string;
  /** In order: the first is the interviews' default language. */
  readonly languages: readonly string[];
  readonly sampleSize: string;
  readonly tolerancePercent: string;
  /** The income bands' upper bounds as typed, `;` between them; empty: the questionnaire's. */
  readonly incomeBounds: string;
  readonly incomeCurrency: string;
  readonly incomeItem: string;
}

/** Why a field cannot be sent; `index` names the protocol contact. */
export type SettingsProblem =
  | { readonly field: 'name'; readonly problem: 'empty' }
  | { readonly field: 'timeZone'; readonly problem: 'time_zone' }
  | { readonly field: 'helpline'; readonly problem: 'phone' }
  | { readonly field: 'contactName'; readonly index: number; readonly problem: 'empty' }
  | { readonly field: 'contactPhone'; readonly index: number; readonly problem: 'phone' }
  | { readonly field: 'contacts'; readonly problem: 'too_many' }
  | { readonly field: 'shortMinutes'; readonly problem: 'minutes' }
  | { readonly field: 'languages'; readonly problem: 'none' | 'unknown' }
  | { readonly field: 'sampleSize'; readonly problem: 'size' }
  | { readonly field: 'tolerancePercent'; readonly problem: 'tolerance' }
  | { readonly field: 'incomeBounds'; readonly problem: 'bounds' }
  | { readonly field: 'incomeCurrency'; readonly problem: 'currency' }
  | { readonly field: 'incomeItem'; readonly problem: 'item' };

export const MAX_CONTACTS = 10;
export const MAX_SHORT_MINUTES = 120;
export const MAX_SAMPLE_SIZE = 100_000;
export const MAX_TOLERANCE_PERCENT = 50;

/** A number as a French or English user types it: `12,5`, `12.5`, ` 900 `. */
export function typedNumber(typed: string): number | undefined {
  const cleaned = typed.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

/** At most two decimals, without trailing zeros: 0.05 x 100 shows as `5`, not `5.000000000000001`. */
function short(value: number): string {
  return String(Math.round(value * 100) / 100);
}

export function settingsDraft(settings: SiteSettings): SettingsDraft {
  return {
    name: settings.name,
    timeZone: settings.timeZone,
    helpline: settings.helpline,
    contacts: settings.protocolContacts.map((contact) => ({ ...contact })),
    shortMinutes: short(settings.shortInterviewSeconds / 60),
    languages: [...settings.languages],
    sampleSize: String(settings.sampleSize),
    tolerancePercent: short(settings.tolerance * 100),
    incomeBounds: settings.incomeBands?.upperBounds.join(' ; ') ?? '',
    incomeCurrency: settings.incomeBands?.currency ?? DEFAULT_INCOME_CURRENCY,
    incomeItem: settings.incomeBands?.item ?? DEFAULT_INCOME_ITEM,
  };
}

/** What a site's first income bands are for, unless the coordinator says otherwise. */
export const DEFAULT_INCOME_ITEM = 'sd_income';
export const DEFAULT_INCOME_CURRENCY = 'EUR';

/**
 * One typed amount: digits, grouped by threes or not (`1200`, `1 200`, `1,200`, `1.200`);
 * undefined for anything else (a decimal, a sign, a letter).
 */
function typedAmount(typed: string): number | undefined {
  const cleaned = typed.trim();
  if (/^\d+$/.test(cleaned)) return Number(cleaned);
  if (/^\d{1,3}([\s,.'’]\d{3})+$/.test(cleaned)) return Number(cleaned.replace(/\D/g, ''));
  return undefined;
}

/**
 * The income bands the form's fields make: null when no bound is typed (the questionnaire's
 * bands), undefined (with the fields' problems pushed) when they cannot be sent.
 */
export function incomeBandsOf(
  draft: Pick<SettingsDraft, 'incomeBounds' | 'incomeCurrency' | 'incomeItem'>,
  problems: SettingsProblem[] = [],
): IncomeBands | null | undefined {
  const entries = draft.incomeBounds
    .split(/[;\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) return null;
  const bounds = entries.map(typedAmount);
  const currency = draft.incomeCurrency.trim().toUpperCase();
  const item = draft.incomeItem.trim();
  const before = problems.length;
  if (!areIncomeBounds(bounds)) problems.push({ field: 'incomeBounds', problem: 'bounds' });
  if (!CURRENCY.test(currency)) problems.push({ field: 'incomeCurrency', problem: 'currency' });
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,99}$/.test(item))
    problems.push({ field: 'incomeItem', problem: 'item' });
  if (problems.length > before || !areIncomeBounds(bounds)) return undefined;
  return { item, currency, upperBounds: [...bounds] };
}

/** True when this browser knows `zone` as an IANA time zone (as the server checks it). */
export function isTimeZone(zone: string): boolean {
  if (zone.trim() === '' || zone !== zone.trim()) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The body of `PUT /sites/:site/settings` from the form, or every field's problem. `offered`:
 * the languages the published questionnaires have (undefined while unknown: not checked here).
 */
export function settingsBody(
  draft: SettingsDraft,
  offered: readonly string[] | undefined,
): { readonly settings: SiteSettings } | { readonly problems: readonly SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const name = draft.name.trim();
  if (name === '') problems.push({ field: 'name', problem: 'empty' });
  const timeZone = draft.timeZone.trim();
  if (!isTimeZone(timeZone)) problems.push({ field: 'timeZone', problem: 'time_zone' });
  const helpline = draft.helpline.trim();
  if (!PHONE.test(helpline)) problems.push({ field: 'helpline', problem: 'phone' });
  // A row left wholly empty is a contact not filled in yet: it is dropped, not refused.
  const contacts = draft.contacts
    .map((contact) => ({
      name: contact.name.trim(),
      role: contact.role.trim(),
      phone: contact.phone.trim(),
    }))
    .filter((contact) => contact.name !== '' || contact.role !== '' || contact.phone !== '');
  if (contacts.length > MAX_CONTACTS) problems.push({ field: 'contacts', problem: 'too_many' });
  draft.contacts.forEach((contact, index) => {
    const blank = contact.name.trim() === '' && contact.role.trim() === '';
    if (blank && contact.phone.trim() === '') return;
    if (contact.name.trim() === '')
      problems.push({ field: 'contactName', index, problem: 'empty' });
    if (!PHONE.test(contact.phone.trim()))
      problems.push({ field: 'contactPhone', index, problem: 'phone' });
  });
  const minutes = typedNumber(draft.shortMinutes);
  if (minutes === undefined || minutes < 0 || minutes > MAX_SHORT_MINUTES)
    problems.push({ field: 'shortMinutes', problem: 'minutes' });
  const languages = [...new Set(draft.languages)];
  if (languages.length === 0) problems.push({ field: 'languages', problem: 'none' });
  else if (
    languages.some(
      (language) =>
        !LANGUAGE.test(language) || (offered !== undefined && !offered.includes(language)),
    )
  )
    problems.push({ field: 'languages', problem: 'unknown' });
  const size = typedNumber(draft.sampleSize);
  if (size === undefined || !Number.isInteger(size) || size < 1 || size > MAX_SAMPLE_SIZE)
    problems.push({ field: 'sampleSize', problem: 'size' });
  const percent = typedNumber(draft.tolerancePercent);
  if (percent === undefined || percent < 0 || percent > MAX_TOLERANCE_PERCENT)
    problems.push({ field: 'tolerancePercent', problem: 'tolerance' });
  const incomeBands = incomeBandsOf(draft, problems);
  if (
    problems.length > 0 ||
    minutes === undefined ||
    size === undefined ||
    percent === undefined ||
    incomeBands === undefined
  )
    return { problems };
  const settings: SiteSettings = {
    name,
    timeZone,
    helpline,
    protocolContacts: contacts,
    shortInterviewSeconds: Math.round(minutes * 60),
    languages,
    sampleSize: size,
    // Rounded so that 5 % is sent as 0.05, not 0.05000000000000001.
    tolerance: Math.round(percent * 100) / 10_000,
    incomeBands,
  };
  // The wire schema has the last word; the checks above only say it in the user's words.
  const checked = SiteSettingsSchema.safeParse(settings);
  return checked.success ? { settings: checked.data } : { problems: [] };
}

/** `list` with the entry at `index` moved by `delta` places (kept as it is at either end). */
export function moveEntry<T>(list: readonly T[], index: number, delta: number): T[] {
  const target = index + delta;
  const out = [...list];
  if (index < 0 || index >= out.length || target < 0 || target >= out.length) return out;
  const [entry] = out.splice(index, 1);
  if (entry !== undefined) out.splice(target, 0, entry);
  return out;
}

/** `languages` with `language` first (the interviews' default), the others in their order. */
export function withDefault(languages: readonly string[], language: string): string[] {
  return languages.includes(language)
    ? [language, ...languages.filter((entry) => entry !== language)]
    : [...languages];
}

/**
 * Every language the published questionnaires can be run in: each definition's languages, then
 * its label packs' (a pack adds a language to its version), each once, in that order.
 */
export function questionnaireLanguages(published: readonly PublishedQuestionnaire[]): string[] {
  const out = new Set<string>();
  for (const entry of published) {
    const definition = entry.definition as { languages?: unknown } | null;
    if (
      definition !== null &&
      typeof definition === 'object' &&
      Array.isArray(definition.languages)
    )
      for (const language of definition.languages)
        if (typeof language === 'string') out.add(language);
    for (const { pack } of entry.labelPacks) {
      const language = (pack as { language?: unknown } | null)?.language;
      if (typeof language === 'string') out.add(language);
    }
  }
  return [...out];
}

/** The newest published version of each questionnaire, SMPG's first, then by id. */
export function newestVersions(index: readonly QuestionnaireVersion[]): QuestionnaireVersion[] {
  const newest = new Map<string, QuestionnaireVersion>();
  for (const entry of index) {
    const known = newest.get(entry.questionnaireId);
    if (known === undefined || compareVersions(entry.version, known.version) > 0)
      newest.set(entry.questionnaireId, entry);
  }
  return [...newest.values()].sort((a, b) =>
    a.questionnaireId === 'smpg'
      ? -1
      : b.questionnaireId === 'smpg'
        ? 1
        : a.questionnaireId.localeCompare(b.questionnaireId),
  );
}

/** "français (fr)", or the code alone where the browser has no name for it. */
export function languageName(code: string, uiLanguage: string): string {
  try {
    const name = new Intl.DisplayNames([uiLanguage], { type: 'language' }).of(code);
    return name === undefined || name === code ? code : `${name} (${code})`;
  } catch {
    return code;
  }
}

/**
 * What a user may change on a site's page. Only a coordinator of the site (or an admin) manages
 * it: settings, census plan, allocations, pick-up points, tablets, enrolment codes, refused
 * interviews; anyone who sees the site reads its figures and exports them.
 */
export function canManageSite(access: Access, site: string): boolean {
  return allows(access, 'coordinator', site);
}
