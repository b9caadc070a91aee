// A site's settings as the wire carries them (wave.ts's SiteSettings) and the checks a schema
// cannot make: a time zone this server knows, languages a published questionnaire has, income
// bands for an item a published questionnaire asks.
import type { IncomeBands } from '../core/protocol/income-bands.ts';
import { fitsIncomeItem, incomeBandCount } from '../core/protocol/income-bands.ts';
import type { SiteSettings } from '../core/protocol/wave.ts';
import type { Questionnaire } from '../core/questionnaire/index.ts';
import { HttpError } from './routes/context.ts';
import type { ServerStore, Site } from './store/types.ts';

/** The settings of a stored site, as its tablets and the dashboard receive them. */
export function settingsOf(site: Site): SiteSettings {
  return {
    name: site.name,
    timeZone: site.timeZone,
    helpline: site.helpline,
    protocolContacts: site.protocolContacts.map((contact) => ({ ...contact })),
    // Stored as a REAL by the first release: whole seconds on the wire.
    shortInterviewSeconds: Math.round(site.shortInterviewSeconds),
    languages: [...site.languages],
    sampleSize: site.sampleSize,
    tolerance: site.tolerance,
    // Absent rather than null for the questionnaire's own: what a server before them sent.
    ...(site.incomeBands === null || site.incomeBands === undefined
      ? {}
      : { incomeBands: { ...site.incomeBands, upperBounds: [...site.incomeBands.upperBounds] } }),
  };
}

/** Whether the runtime knows the IANA time zone (Intl throws a RangeError on an unknown one). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** A 400 unless the time zone is known. */
export function checkTimeZone(timeZone: string, field = 'timeZone'): void {
  if (!isTimeZone(timeZone))
    throw new HttpError(
      400,
      'bad_request',
      `${field}: unknown time zone "${timeZone}"; give an IANA name such as Europe/Paris or America/Cayenne`,
      { reason: 'unknown_time_zone', field, timeZone },
    );
}

/**
 * A 400 unless every language is one of a published questionnaire's (label packs included). With
 * nothing published yet there is nothing to check against: a site may be set up first.
 */
export async function checkLanguages(
  store: ServerStore,
  compile: (id: string, version: string) => Promise<Questionnaire | undefined>,
  languages: readonly string[],
): Promise<void> {
  const versions = await store.listQuestionnaireVersions();
  if (versions.length === 0) return;
  const known = new Set<string>();
  for (const version of versions) {
    const q = await compile(version.questionnaireId, version.version);
    for (const language of q?.definition.languages ?? []) known.add(language);
  }
  const unknown = languages.filter((language) => !known.has(language));
  if (unknown.length > 0)
    throw new HttpError(
      400,
      'bad_request',
      `languages: no published questionnaire has ${unknown.join(', ')}; the languages are ${[...known].sort().join(', ')}`,
      {
        reason: 'unknown_languages',
        field: 'languages',
        languages: unknown,
        known: [...known].sort(),
      },
    );
}

function badIncomeBands(message: string, field: string, params: Record<string, string>): never {
  throw new HttpError(400, 'bad_request', `${field}: ${message}`, {
    reason: 'invalid',
    field,
    ...params,
  });
}

/**
 * A 400 unless the bands' currency is one this server knows and their item is a single choice of
 * a published questionnaire with the codes "1" to the bands' count (the tablet shows those codes
 * with the site's labels). With nothing published yet there is nothing to check against.
 */
export async function checkIncomeBands(
  store: ServerStore,
  compile: (id: string, version: string) => Promise<Questionnaire | undefined>,
  bands: IncomeBands,
  field = 'incomeBands',
): Promise<void> {
  if (!Intl.supportedValuesOf('currency').includes(bands.currency))
    badIncomeBands(
      `no currency has the code ${bands.currency}; give one such as EUR`,
      `${field}.currency`,
      {
        currency: bands.currency,
      },
    );
  const versions = await store.listQuestionnaireVersions();
  if (versions.length === 0) return;
  const count = incomeBandCount(bands);
  for (const version of versions) {
    const q = await compile(version.questionnaireId, version.version);
    if (fitsIncomeItem(q?.itemById.get(bands.item), bands)) return;
  }
  badIncomeBands(
    `no published questionnaire has a single choice ${bands.item} with the codes 1 to ${count}`,
    `${field}.item`,
    { item: bands.item },
  );
}
