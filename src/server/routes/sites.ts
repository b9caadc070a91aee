// A site as its admins, coordinators and analysts see it, and its tablets read it: the sites a
// user may see, creating, setting up, closing and deleting a site (admins; settings also its
// coordinators), the site's quota state, its pick-up points, its quota plan and interviewers'
// allocations, and the dashboard's summary.
import type { FastifyInstance } from 'fastify';
import {
  API_PREFIX,
  CreateSiteRequestSchema,
  DEFAULT_SITE_SETTINGS,
  INTERVIEWER_CODE,
  PickupPointsRequestSchema,
  SiteClosedRequestSchema,
  SiteSettingsRequestSchema,
  parseOpenDrafts,
  sees,
} from '../../core/protocol/index.ts';
import type {
  QuotaState,
  SiteDetail,
  SiteInfo,
  SiteSettings,
  SiteSummary,
} from '../../core/protocol/index.ts';
import type { IssueParam, QuotaIssue, QuotaRecord } from '../../core/quota/index.ts';
import { countQuotas, loadQuotaPlan, withoutCensus } from '../../core/quota/index.ts';
import { logAct } from '../audit-log.ts';
import { allocationProblems, belowDoneText, dayIn, siteSummary } from '../dashboard.ts';
import { draftBook, pooledPlan, siteQueue, siteQuotaCounts } from '../quota-pool.ts';
import { checkIncomeBands, checkLanguages, checkTimeZone, settingsOf } from '../site-settings.ts';
import type { Site } from '../store/types.ts';
import type { RouteContext } from './context.ts';
import { HttpError, accessOf, parse } from './context.ts';

function detailOf(site: Site): SiteDetail {
  return {
    id: site.id,
    settings: settingsOf(site),
    hasPlan: site.plan !== null,
    closedAt: site.closedAt,
    createdAt: site.createdAt,
  };
}

/** Most interviewers' allocations in one plan. */
const MAX_ALLOCATIONS = 500;

export function registerSiteRoutes(app: FastifyInstance, context: RouteContext): void {
  const { store, iso, caller, userWith, siteOf, validPlan } = context;
  // The quota state's re-pooling and the coordinator's changes to the plan, one at a time per site.
  const queue = siteQueue();
  // The drafts each tablet has open, as its last quota state request said (in memory, per process).
  const openDrafts = draftBook();

  /** A 400 unless the settings' time zone, languages and income bands are ones it can serve. */
  async function checkSettings(settings: {
    readonly timeZone?: string | undefined;
    readonly languages?: readonly string[] | undefined;
    readonly incomeBands?: SiteSettings['incomeBands'];
  }): Promise<void> {
    if (settings.timeZone !== undefined) checkTimeZone(settings.timeZone, 'settings.timeZone');
    if (settings.languages !== undefined)
      await checkLanguages(store, context.questionnaire, settings.languages);
    if (settings.incomeBands !== undefined && settings.incomeBands !== null)
      await checkIncomeBands(store, context.questionnaire, settings.incomeBands);
  }

  app.get(`${API_PREFIX}/sites`, async (request): Promise<SiteInfo[]> => {
    // Any logged-in user: one with no role yet sees no site.
    const { user } = await context.user(request);
    const sites = await store.listSites();
    return sites
      .filter((site) => sees(accessOf(user), site.id))
      .map((site) => ({
        id: site.id,
        name: site.name,
        shortInterviewSeconds: site.shortInterviewSeconds,
        hasPlan: site.plan !== null,
        closedAt: site.closedAt,
        timeZone: site.timeZone,
      }));
  });

  app.post(`${API_PREFIX}/sites`, async (request, reply) => {
    const user = await userWith(request, ['admin']);
    const { id, settings } = parse(CreateSiteRequestSchema, request.body);
    await checkSettings(settings);
    if ((await store.getSite(id)) !== undefined)
      throw new HttpError(409, 'exists', `site ${id} already exists: choose another id`, {
        what: 'site',
        site: id,
      });
    const full: SiteSettings = {
      ...DEFAULT_SITE_SETTINGS,
      ...definedOnly(settings),
      name: settings.name,
    };
    await store.createSite({ id, ...full, plan: null, createdAt: iso() });
    logAct(request, 'site_created', user.username, { site: id });
    const created = await siteOf(id);
    return reply.status(201).send(detailOf(created));
  });

  app.get(`${API_PREFIX}/sites/:site`, async (request): Promise<SiteDetail> => {
    const { site } = request.params as { site: string };
    await userWith(request, ['admin', 'coordinator', 'analyst'], site);
    return detailOf(await siteOf(site));
  });

  app.put(`${API_PREFIX}/sites/:site/settings`, async (request, reply) => {
    const { site } = request.params as { site: string };
    const user = await userWith(request, ['admin', 'coordinator'], site);
    await siteOf(site);
    const settings = parse(SiteSettingsRequestSchema, request.body);
    await checkSettings(settings);
    await store.setSiteSettings(site, settings);
    logAct(request, 'site_settings_changed', user.username, { site });
    return reply.status(204).send();
  });

  app.put(`${API_PREFIX}/sites/:site/closed`, async (request, reply) => {
    const { site } = request.params as { site: string };
    const user = await userWith(request, ['admin']);
    await siteOf(site);
    const { closed } = parse(SiteClosedRequestSchema, request.body);
    await store.setSiteClosed(site, closed ? iso() : null);
    logAct(request, closed ? 'site_closed' : 'site_reopened', user.username, { site });
    return reply.status(204).send();
  });

  app.delete(`${API_PREFIX}/sites/:site`, async (request, reply) => {
    const { site } = request.params as { site: string };
    const user = await userWith(request, ['admin']);
    await siteOf(site);
    const { confirm } = (request.query ?? {}) as { confirm?: unknown };
    if (confirm !== site)
      throw new HttpError(
        400,
        'confirm',
        `deleting site ${site} deletes its records, refused records, tablets and codes: say so with ?confirm=${site}`,
        { site },
      );
    if (!(await store.deleteSite(site)))
      throw new HttpError(404, 'not_found', `unknown site ${site}`, { what: 'site', site });
    openDrafts.forget(site);
    logAct(request, 'site_deleted', user.username, { site });
    return reply.status(204).send();
  });

  app.get(`${API_PREFIX}/sites/:site/quota`, async (request): Promise<QuotaState> => {
    const { site: siteId } = request.params as { site: string };
    const who = await caller(request);
    if (who.kind === 'device' && who.device.site !== siteId)
      throw new HttpError(403, 'forbidden', `this tablet belongs to site ${who.device.site}`);
    if (who.kind === 'user' && !sees(accessOf(who.user), siteId))
      throw new HttpError(403, 'forbidden', `no access to site ${siteId}`, { site: siteId });
    // A tablet's interviews under way past the quota questions; every tablet's request is a
    // report (none given: none open). Cells the plan no longer has are left out, not refused.
    const { drafts: draftsParam, interviewer } = (request.query ?? {}) as {
      drafts?: unknown;
      interviewer?: unknown;
    };
    const reported = parseOpenDrafts(draftsParam);
    if (!reported.ok) throw new HttpError(400, 'bad_request', reported.message);
    if (
      interviewer !== undefined &&
      (typeof interviewer !== 'string' || !INTERVIEWER_CODE.test(interviewer))
    )
      throw new HttpError(400, 'bad_request', 'interviewer: must be an interviewer code');
    if (who.kind === 'user' && reported.drafts.length > 0)
      throw new HttpError(400, 'bad_request', 'drafts: only a tablet reports open drafts');
    // One site at a time: the shares a tablet receives are the ones stored.
    return queue(siteId, async (): Promise<QuotaState> => {
      const site = await siteOf(siteId);
      const checked = site.plan === null ? undefined : loadQuotaPlan(site.plan);
      let plan = checked?.status === 'success' ? checked.plan : null;
      const at = context.now().getTime();
      if (who.kind === 'device')
        openDrafts.report(siteId, who.device.id, reported.drafts, plan, at);
      const counted =
        plan === null ? undefined : siteQuotaCounts(plan, await store.summaryRows(siteId));
      if (plan !== null && counted !== undefined) {
        const pooled = pooledPlan(
          plan,
          counted,
          who.kind === 'device'
            ? {
                ...who.device,
                interviewer: typeof interviewer === 'string' ? interviewer : undefined,
              }
            : undefined,
          openDrafts.drafts(siteId, plan, at),
        );
        // A plan the core's own checks refuse is never stored (it would stop every tablet).
        if (pooled !== undefined && loadQuotaPlan(pooled).status === 'success') {
          await store.setSitePlan(siteId, pooled);
          plan = pooled;
        }
      }
      const counts = counted?.counts ?? { completed: {}, screenedOut: {} };
      return {
        site: siteId,
        plan: plan === null ? null : withoutCensus(plan),
        counts: JSON.parse(JSON.stringify(counts)) as QuotaState['counts'],
        pickupPoints: [...site.pickupPoints],
        ...(counted === undefined
          ? {}
          : {
              interviewerCounts: JSON.parse(
                JSON.stringify(counted.interviewerCounts),
              ) as NonNullable<QuotaState['interviewerCounts']>,
            }),
        settings: settingsOf(site),
        at: iso(),
      };
    });
  });

  app.put(`${API_PREFIX}/sites/:site/pickup-points`, async (request, reply) => {
    const { site } = request.params as { site: string };
    const user = await userWith(request, ['admin', 'coordinator'], site);
    await siteOf(site);
    const { pickupPoints } = parse(PickupPointsRequestSchema, request.body);
    await store.setSitePickupPoints(site, pickupPoints);
    logAct(request, 'pickup_points_changed', user.username, { site });
    return reply.status(204).send();
  });

  app.put(`${API_PREFIX}/sites/:site/quota-plan`, async (request, reply) => {
    const { site } = request.params as { site: string };
    const user = await userWith(request, ['admin', 'coordinator'], site);
    await siteOf(site);
    const checked = loadQuotaPlan(request.body);
    if (checked.status === 'failure') throw planRefusal('invalid_plan', checked.issues);
    if (checked.plan.site !== site)
      throw new HttpError(
        400,
        'invalid_plan',
        `the plan is for site ${checked.plan.site}, not ${site}`,
        { reason: 'other_site', planSite: checked.plan.site, site },
      );
    await queue(site, () => store.setSitePlan(site, checked.plan));
    logAct(request, 'quota_plan_changed', user.username, { site });
    return reply.status(204).send();
  });

  app.get(`${API_PREFIX}/sites/:site/summary`, async (request): Promise<SiteSummary> => {
    const { site: siteId } = request.params as { site: string };
    await userWith(request, ['admin', 'coordinator', 'analyst'], siteId);
    const site = await siteOf(siteId);
    // The site's own days unless the caller asks for another zone's.
    const { timeZone = site.timeZone } = request.query as { timeZone?: unknown };
    const day = typeof timeZone === 'string' && timeZone.length <= 64 ? dayIn(timeZone) : undefined;
    if (typeof timeZone !== 'string' || day === undefined)
      throw new HttpError(
        400,
        'bad_request',
        'timeZone: unknown time zone; give an IANA name such as Europe/Paris',
        { reason: 'unknown_time_zone', field: 'timeZone' },
      );
    return siteSummary({
      site,
      plan: validPlan(site),
      rows: await store.summaryRows(siteId),
      day,
      timeZone,
      at: iso(),
    });
  });

  app.put(`${API_PREFIX}/sites/:site/allocations`, async (request, reply) => {
    const { site: siteId } = request.params as { site: string };
    const user = await userWith(request, ['admin', 'coordinator'], siteId);
    // Read, checked and written while no tablet's sync re-pools the same plan.
    await queue(siteId, async () => {
      const site = await siteOf(siteId);
      const plan = validPlan(site);
      if (plan === null)
        throw new HttpError(
          409,
          'no_plan',
          `site ${siteId} has no quota plan: set one first (PUT ${API_PREFIX}/sites/${siteId}/quota-plan)`,
          { site: siteId },
        );
      const body = request.body as { allocations?: unknown } | null;
      if (
        body === null ||
        typeof body !== 'object' ||
        !Array.isArray(body.allocations) ||
        Object.keys(body).some((key) => key !== 'allocations')
      )
        throw new HttpError(400, 'bad_request', 'body: expected { "allocations": [...] }', {
          reason: 'invalid',
          field: 'allocations',
        });
      if (body.allocations.length > MAX_ALLOCATIONS)
        throw new HttpError(
          400,
          'bad_request',
          `allocations: at most ${MAX_ALLOCATIONS} interviewers`,
          { reason: 'too_many_interviewers', max: MAX_ALLOCATIONS },
        );
      // The plan's own checks: shapes, known tables and cells, every cell's shares within its limit.
      const proposed: Record<string, unknown> = { ...plan, allocations: body.allocations };
      // An empty list means "no allocations", not "nobody may interview".
      if (body.allocations.length === 0) delete proposed['allocations'];
      const checked = loadQuotaPlan(proposed);
      if (checked.status === 'failure') throw planRefusal('invalid_allocations', checked.issues);
      const next = checked.plan;
      const seen = new Set<string>();
      for (const allocation of next.allocations ?? []) {
        if (seen.has(allocation.interviewer))
          throw new HttpError(
            400,
            'invalid_allocations',
            `${allocation.interviewer} is given two allocations: give each interviewer one`,
            { reason: 'twice', interviewer: allocation.interviewer },
          );
        seen.add(allocation.interviewer);
      }
      // What each interviewer has already done, cell by cell, as far as the server knows.
      const byInterviewer = new Map<string, QuotaRecord[]>();
      for (const row of await store.quotaRows(siteId)) {
        if (row.status !== 'completed') continue;
        const records = byInterviewer.get(row.interviewer) ?? [];
        records.push({
          interviewer: row.interviewer,
          outcome: 'completed',
          practice: false,
          categories: JSON.parse(row.quotaCategories) as Record<string, string>,
        });
        byInterviewer.set(row.interviewer, records);
      }
      const done = new Map(
        [...byInterviewer].map(([interviewer, records]) => [
          interviewer,
          countQuotas(plan, records).completed,
        ]),
      );
      const problems = allocationProblems(plan, next, done).slice(0, 10);
      if (problems.length > 0)
        throw new HttpError(
          409,
          'below_done',
          problems.map((problem) => belowDoneText(next, problem)).join('; '),
          { cells: problems.map((problem) => ({ ...problem })) },
        );
      await store.setSitePlan(siteId, next);
    });
    logAct(request, 'allocations_changed', user.username, { site: siteId });
    return reply.status(204).send();
  });
}

/**
 * A 400 with a plan's first issues: each with its path, code and values for the dashboard to
 * word (as it words a plan file's), and the core's English words in the message.
 */
function planRefusal(
  code: 'invalid_plan' | 'invalid_allocations',
  issues: readonly QuotaIssue[],
): HttpError {
  const first = issues.slice(0, 10);
  return new HttpError(
    400,
    code,
    first.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
    {
      issues: first.map((issue) => ({
        path: issue.path,
        code: issue.code,
        params: Object.fromEntries(
          Object.entries(issue.params).map(([name, value]: [string, IssueParam]) => [
            name,
            typeof value === 'object' ? [...value] : value,
          ]),
        ),
        message: issue.message,
      })),
    },
  );
}

/** The settings given, without keys given as undefined (so the defaults fill them). */
function definedOnly(settings: object): Partial<SiteSettings> {
  return Object.fromEntries(
    Object.entries(settings).filter(([, value]) => value !== undefined),
  ) as Partial<SiteSettings>;
}
