// A site's settings as the tablet uses them, with no React: kept from the server's answers
// (enrolment, every sync), and what the suicide-risk alert, the interview's languages, the site's
// name and the days counted take from them, with what a tablet without them falls back on.
import type { IncomeBands, ProtocolContact, SiteSettings } from '../core/protocol/index.ts';
import type { DeviceSettings } from './storage/index.ts';

/** France's national suicide prevention number: the alert's number when no site gives one. */
export const NATIONAL_HELPLINE = '3114';

/**
 * The device's settings with the site's settings an answer of the server carried. An answer
 * without any (a server older than site settings) keeps what the tablet has. Once a site's
 * settings are there, the helpline typed on the tablet before them goes.
 */
export function withSiteSettings(
  settings: DeviceSettings,
  incoming: SiteSettings | undefined,
): DeviceSettings {
  if (incoming === undefined) return settings;
  const next: DeviceSettings & { typedHelpline?: string } = { ...settings, siteSettings: incoming };
  delete next.typedHelpline;
  return next;
}

/** Whom the suicide-risk alert names: the number given to the respondent, and whom to call. */
export interface AlertContacts {
  readonly helpline: string;
  /** The site's protocol contacts, in the order to try them. */
  readonly contacts: readonly ProtocolContact[];
}

/**
 * The site's helpline and protocol contacts. Before a site's settings reach a tablet enrolled
 * before they existed, the number typed on it then; otherwise (a tablet without a server, a
 * server that sends no settings) France's national number and no contacts.
 */
export function alertContacts(settings: DeviceSettings | undefined): AlertContacts {
  const site = settings?.siteSettings;
  if (site !== undefined) return { helpline: site.helpline, contacts: site.protocolContacts };
  const typed = settings?.typedHelpline?.trim();
  return {
    helpline: typed === undefined || typed === '' ? NATIONAL_HELPLINE : typed,
    contacts: [],
  };
}

/**
 * The site's income bands for a new interview, to keep with it (`{}`: the questionnaire's own,
 * for a site without bands or a tablet without site settings).
 */
export function siteIncomeBands(site: SiteSettings | undefined): { incomeBands?: IncomeBands } {
  const bands = site?.incomeBands;
  return bands === undefined || bands === null ? {} : { incomeBands: bands };
}

/** The `tel:` address of a phone number as written (`03 20 44 55 66` -> `tel:0320445566`). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^0-9+]/g, '')}`;
}

/** The site's name, or its id when the tablet has no settings of it. */
export function siteName(settings: DeviceSettings): string {
  return settings.siteSettings?.name ?? settings.site;
}

/**
 * The languages an interview may be run in: the site's languages the questionnaire has, in the
 * site's order; every language of the questionnaire when the tablet has no site settings or the
 * site names none the questionnaire has. The interview's own language (`current`) always stays.
 */
export function offeredLanguages(
  questionnaire: readonly string[],
  site: readonly string[] | undefined,
  current?: string,
): string[] {
  const both = (site ?? []).filter((code) => questionnaire.includes(code));
  const offered = both.length > 0 ? both : [...questionnaire];
  if (current !== undefined && !offered.includes(current)) offered.push(current);
  return offered;
}

/**
 * The language a new interview starts in: the first of the site's languages the questionnaire
 * has, else the questionnaire's default (French when it names none).
 */
export function startingLanguage(
  definition: { readonly languages?: readonly string[]; readonly defaultLanguage?: string },
  site: readonly string[] | undefined,
): string {
  const languages = definition.languages ?? [];
  return (
    (site ?? []).find((code) => languages.includes(code)) ?? definition.defaultLanguage ?? 'fr'
  );
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

function dayFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let format = dayFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(timeZone === undefined ? {} : { timeZone }),
    });
    dayFormats.set(key, format);
  }
  return format;
}

/**
 * The time zone to count days and show times in: the site's when this browser knows it, else
 * undefined (the tablet's own zone, as for a tablet without site settings).
 */
export function siteTimeZone(settings: DeviceSettings | undefined): string | undefined {
  const timeZone = settings?.siteSettings?.timeZone;
  if (timeZone === undefined) return undefined;
  try {
    dayFormat(timeZone);
    return timeZone;
  } catch {
    // An IANA zone newer than this browser's time zone data: the tablet's own zone is closest.
    return undefined;
  }
}

/** The calendar day (`YYYY-MM-DD`) of an instant in a time zone (undefined: the tablet's). */
export function dayIn(at: Date | string, timeZone: string | undefined): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return '';
  const parts = dayFormat(timeZone).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((entry) => entry.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
