// A site's own label packs: a language (or a licensed wording) added to a published version for
// that site's tablets only, revised on its own. Its coordinator (or an admin) sends them; the
// tablets get them with the versions they download (questionnaires.ts).
import type { FastifyInstance } from 'fastify';
import { API_PREFIX, SitePackRequestSchema } from '../../core/protocol/index.ts';
import type {
  PackCoverage,
  SitePack,
  SitePackResponse,
  SitePackSummary,
} from '../../core/protocol/index.ts';
import type { Definition } from '../../core/questionnaire/index.ts';
import { loadQuestionnaire } from '../../core/questionnaire/index.ts';
import { translationRows } from '../../core/xlsform/translation-sheet.ts';
import { sitePackKey } from '../admit.ts';
import { canonicalJson } from '../auth.ts';
import type { ServerStore } from '../store/types.ts';
import type { RouteContext } from './context.ts';
import { HttpError, parse } from './context.ts';

const COORDINATORS = ['admin', 'coordinator'] as const;

/** The latest revision of each of a site's packs, as an upload's checks read them (admit.ts). */
export async function sitePackRevisions(
  store: ServerStore,
  site: string,
): Promise<Record<string, number>> {
  const revisions: Record<string, number> = {};
  for (const pack of await store.listSiteLabelPacks(site))
    revisions[sitePackKey(pack.questionnaireId, pack.version, pack.language)] = pack.revision;
  return revisions;
}

/**
 * What the pack gives of the version's texts once merged (`merged`, loaded with it): the texts it
 * gives, and the texts that still have no wording in its language, the respondent's (none, for a
 * new language: the loader refuses it) and the interviewer's (shown in the default language).
 */
export function packCoverage(
  merged: Definition,
  language: string,
  texts: Readonly<Record<string, string>>,
): PackCoverage {
  let missingRespondent = 0;
  let missingInterviewer = 0;
  for (const row of translationRows(merged)) {
    if (row.text[language] !== undefined || row.text[merged.defaultLanguage] === undefined)
      continue;
    if (row.reader === 'respondent') missingRespondent += 1;
    else missingInterviewer += 1;
  }
  return { given: Object.keys(texts).length, missingRespondent, missingInterviewer };
}

/** What the URL names and a pack says of itself, side by side. */
function mismatches(
  pack: unknown,
  named: { readonly questionnaire: string; readonly version: string; readonly language: string },
): { path: string; message: string }[] {
  if (typeof pack !== 'object' || pack === null) return [];
  const said = pack as Readonly<Record<string, unknown>>;
  return (['questionnaire', 'version', 'language'] as const)
    .filter((field) => said[field] !== undefined && said[field] !== named[field])
    .map((field) => ({
      path: `pack.${field}`,
      message: `the pack says ${JSON.stringify(said[field])}, the address ${JSON.stringify(named[field])}`,
    }));
}

export function registerLabelPackRoutes(
  app: FastifyInstance,
  { store, iso, userWith, siteOf }: RouteContext,
): void {
  app.put(
    `${API_PREFIX}/sites/:site/label-packs/:questionnaireId/:version/:language`,
    async (request, reply) => {
      const { site, questionnaireId, version, language } = request.params as {
        site: string;
        questionnaireId: string;
        version: string;
        language: string;
      };
      const user = await userWith(request, COORDINATORS, site);
      await siteOf(site);
      const { pack } = parse(SitePackRequestSchema, request.body);
      const published = await store.getQuestionnaire(questionnaireId, version);
      if (published === undefined)
        throw new HttpError(
          404,
          'not_found',
          `questionnaire ${questionnaireId} ${version} is not published: a site pack is for a published version`,
          { what: 'questionnaire', questionnaire: questionnaireId, version },
        );
      const issues = mismatches(pack, { questionnaire: questionnaireId, version, language });
      // Checked as a tablet will load it: after the packs published with the version.
      const publicationPacks = JSON.parse(published.labelPacks) as {
        source: string;
        pack: unknown;
      }[];
      const result = loadQuestionnaire(JSON.parse(published.definition) as unknown, {
        labelPacks: [...publicationPacks, { source: 'pack', pack }],
      });
      if (result.status === 'failure')
        issues.push(
          ...result.issues
            .filter((issue) => issue.severity === 'error')
            .map((issue) => ({ path: issue.path, message: issue.message })),
        );
      if (issues.length > 0 || result.status === 'failure')
        throw new HttpError(
          422,
          'invalid_pack',
          issues
            .slice(0, 10)
            .map((issue) => `${issue.path}: ${issue.message}`)
            .join('; '),
          { issues: issues.slice(0, 200) },
        );
      const texts = (pack as { texts: Record<string, string> }).texts;
      const { revision, added } = await store.addSiteLabelPack({
        site,
        questionnaireId,
        version,
        language,
        pack: canonicalJson(pack),
        uploadedAt: iso(),
        uploadedBy: user.username,
      });
      const answer: SitePackResponse = {
        revision,
        coverage: packCoverage(result.definition, language, texts),
      };
      request.log.info(
        { event: 'site_label_pack', site, questionnaireId, version, language, revision, added },
        'site label pack',
      );
      return reply.status(added ? 201 : 200).send(answer);
    },
  );

  app.get(
    `${API_PREFIX}/sites/:site/label-packs/:questionnaireId/:version/:language`,
    async (request): Promise<SitePack> => {
      const { site, questionnaireId, version, language } = request.params as {
        site: string;
        questionnaireId: string;
        version: string;
        language: string;
      };
      await userWith(request, COORDINATORS, site);
      await siteOf(site);
      const found = (await store.siteLabelPacks(site, questionnaireId, version)).find(
        (pack) => pack.language === language,
      );
      if (found === undefined)
        throw new HttpError(
          404,
          'not_found',
          `site ${site} has no ${language} pack of ${questionnaireId} ${version}`,
          { what: 'label_pack', questionnaire: questionnaireId, version, language },
        );
      return {
        language: found.language,
        revision: found.revision,
        pack: JSON.parse(found.pack) as unknown,
      };
    },
  );

  app.get(`${API_PREFIX}/sites/:site/label-packs`, async (request): Promise<SitePackSummary[]> => {
    const { site } = request.params as { site: string };
    await userWith(request, COORDINATORS, site);
    await siteOf(site);
    return (await store.listSiteLabelPacks(site)).map((pack) => ({
      questionnaireId: pack.questionnaireId,
      version: pack.version,
      language: pack.language,
      revision: pack.revision,
      uploadedAt: pack.uploadedAt,
      uploadedBy: pack.uploadedBy,
    }));
  });
}
