// Questionnaire versions: the index and each published version for the tablets (and the
// dashboard), and publishing a new version, which only an admin does.
import type { FastifyInstance } from 'fastify';
import { API_PREFIX, PublishRequestSchema } from '../../core/protocol/index.ts';
import type { PublishedQuestionnaire, QuestionnaireVersion } from '../../core/protocol/index.ts';
import { loadQuestionnaire } from '../../core/questionnaire/index.ts';
import type { RouteContext } from './context.ts';
import { HttpError, parse } from './context.ts';

export function registerQuestionnaireRoutes(
  app: FastifyInstance,
  { store, iso, caller, userWith }: RouteContext,
): void {
  app.get(`${API_PREFIX}/questionnaires`, async (request): Promise<QuestionnaireVersion[]> => {
    const who = await caller(request);
    const versions = await store.listQuestionnaireVersions();
    if (who.kind !== 'device') return versions;
    // A tablet is told the latest revision of its own site's packs, to fetch a newer one.
    const packs = await store.listSiteLabelPacks(who.device.site);
    return versions.map((entry) => ({
      ...entry,
      sitePacks: packs
        .filter((p) => p.questionnaireId === entry.questionnaireId && p.version === entry.version)
        .map((p) => ({ language: p.language, revision: p.revision })),
    }));
  });

  app.get(
    `${API_PREFIX}/questionnaires/:id/:version`,
    async (request): Promise<PublishedQuestionnaire> => {
      const who = await caller(request);
      const { id, version } = request.params as { id: string; version: string };
      const row = await store.getQuestionnaire(id, version);
      if (row === undefined)
        throw new HttpError(404, 'not_found', `questionnaire ${id} ${version} is not published`, {
          what: 'questionnaire',
          questionnaire: id,
          version,
        });
      return {
        questionnaireId: row.questionnaireId,
        version: row.version,
        definition: JSON.parse(row.definition) as unknown,
        labelPacks: JSON.parse(row.labelPacks) as PublishedQuestionnaire['labelPacks'],
        publishedAt: row.publishedAt,
        // A tablet gets its own site's packs of the version, never another site's.
        ...(who.kind === 'device'
          ? {
              sitePacks: (await store.siteLabelPacks(who.device.site, id, version)).map((p) => ({
                language: p.language,
                revision: p.revision,
                pack: JSON.parse(p.pack) as unknown,
              })),
            }
          : {}),
      };
    },
  );

  app.post(`${API_PREFIX}/questionnaires`, async (request, reply) => {
    // A version reaches every site's tablets: publishing is the study's act, not a site's.
    await userWith(request, ['admin']);
    const { definition, labelPacks } = parse(PublishRequestSchema, request.body);
    const result = loadQuestionnaire(definition, { labelPacks });
    if (result.status === 'failure') {
      throw new HttpError(
        400,
        'invalid_questionnaire',
        result.issues
          .slice(0, 10)
          .map((issue) => `${issue.path}: ${issue.message}`)
          .join('; '),
      );
    }
    const { id, version } = result.definition;
    const outcome = await store.publishQuestionnaire({
      questionnaireId: id,
      version,
      definition: JSON.stringify(definition),
      labelPacks: JSON.stringify(labelPacks),
      publishedAt: iso(),
    });
    if (outcome === 'exists')
      throw new HttpError(
        409,
        'exists',
        `${id} ${version} is already published; a change needs a new version`,
        { what: 'questionnaire', questionnaire: id, version },
      );
    return reply.status(201).send({ questionnaireId: id, version });
  });
}
