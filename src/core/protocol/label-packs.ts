// A site's own label packs (a language, or a licensed wording, for one published version, sent to
// that site's tablets only): their wire shapes, and the record's note of the revisions it used.
import { z } from 'zod/mini';

/** A language code as a questionnaire or a label pack writes it (the loader's pattern). */
const LANGUAGE_PATTERN = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** Most languages a record names a pack revision for (as many as its paradata may list). */
export const MAX_RECORD_PACK_LANGUAGES = 20;

/** Whether a value is a pack revision: a whole number from 1. */
function isRevision(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

/**
 * A record's `labelPacks`: for each language of the interview that a site pack gave, the
 * revision of that pack it was asked with (`{ "gcr": 2 }`).
 */
export function isRecordLabelPacks(value: unknown): value is Readonly<Record<string, number>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const entries = Object.entries(value);
  return (
    entries.length >= 1 &&
    entries.length <= MAX_RECORD_PACK_LANGUAGES &&
    entries.every(
      ([language, revision]) =>
        language.length <= 40 && LANGUAGE_PATTERN.test(language) && isRevision(revision),
    )
  );
}

export const RecordLabelPacksSchema = z.record(z.string(), z.number()).check(
  z.refine(isRecordLabelPacks, {
    message: `must map 1 to ${MAX_RECORD_PACK_LANGUAGES} language codes to pack revisions (1, 2…)`,
  }),
);
export type RecordLabelPacks = z.infer<typeof RecordLabelPacksSchema>;

/** `PUT /sites/:site/label-packs/:questionnaireId/:version/:language`: the pack, checked by the loader. */
export const SitePackRequestSchema = z.strictObject({ pack: z.unknown() });

/** How much of a version's texts a pack gives. */
export const PackCoverageSchema = z.strictObject({
  /** Texts the pack gives. */
  given: z.number(),
  /** Texts the respondent hears or sees that the pack does not give (0 for a new language). */
  missingRespondent: z.number(),
  /** The interviewer's texts (instructions, computed labels) not given: shown in French. */
  missingInterviewer: z.number(),
});
export type PackCoverage = z.infer<typeof PackCoverageSchema>;

/** The answer to a pack sent: its revision (the same again for an identical pack) and coverage. */
export const SitePackResponseSchema = z.strictObject({
  revision: z.number(),
  coverage: PackCoverageSchema,
});
export type SitePackResponse = z.infer<typeof SitePackResponseSchema>;

/** `GET /sites/:site/label-packs`: the latest revision of each of the site's packs. */
export const SitePackSummarySchema = z.strictObject({
  questionnaireId: z.string(),
  version: z.string(),
  language: z.string(),
  revision: z.number(),
  uploadedAt: z.string(),
  uploadedBy: z.string(),
});
export type SitePackSummary = z.infer<typeof SitePackSummarySchema>;
export const SitePackListSchema = z.array(SitePackSummarySchema);

/** What a tablet is told of its site's packs for a version: which revision is the latest. */
export const SitePackRevisionSchema = z.strictObject({
  language: z.string(),
  revision: z.number(),
});
export type SitePackRevision = z.infer<typeof SitePackRevisionSchema>;

/** A site pack as a tablet downloads it, with the published version it belongs to. */
export const SitePackSchema = z.strictObject({
  language: z.string(),
  revision: z.number(),
  pack: z.unknown(),
});
export type SitePack = z.infer<typeof SitePackSchema>;
