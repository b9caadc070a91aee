// A site as its coordinators and analysts see it, and its tablets read it: the sites a user may
// see, the site's quota state, its pick-up points, its quota plan and interviewers' allocations,
// and the dashboard's summary.
import type { FastifyInstance } from 'fastify';
import { API_PREFIX, PickupPointsRequestSchema } from '../../core/protocol/index.ts';
import type { QuotaState, SiteSummary } from '../../core/protocol/index.ts';
import type { QuotaRecord } from '../../core/quota/index.ts';
import { countQuotas, loadQuotaPlan } from '../../core/quota/index.ts';
import { allocationProblems, dayIn, quotaRecord, siteSummary } from '../dashboard.ts';
import type { RouteContext } from './context.ts';
import { HttpError, parse } from './context.ts';

/** Most interviewers' allocations in one plan. */
const MAX_ALLOCATIONS = 500;

export function registerSiteRoutes(
  app: FastifyInstance,
  { store, iso, caller, userWith, siteOf, validPlan }: RouteContext,
): void {
  app.get(`${API_PREFIX}/sites`, async (request) => {
    const user = await userWith(request, ['admin', 'coordinator', 'analyst']);
    const sites = await store.listSites();
    return sites
      .filter((site) => user.role === 'admin' || user.sites.includes(site.id))
      .map((site) => ({
        id: site.id,
        name: site.name,
        shortInterviewSeconds: site.shortInterviewSeconds,
        hasPlan: site.plan !== null,
      }));
  });

  app.get(`${API_PREFIX}/sites/:site/quota`, async (request): Promise<QuotaState> => {
    const { site: siteId } = request.params as { site: string };
    const who = await caller(request);
    if (who.kind === 'device' && who.device.site !== siteId)
      throw new HttpError(403, 'forbidden', `this tablet belongs to site ${who.device.site}`);
    if (who.kind === 'user' && who.user.role !== 'admin' && !who.user.sites.includes(siteId))
      throw new HttpError(403, 'forbidden', `no access to site ${siteId}`);
    const site = await siteOf(siteId);
    const checked = site.plan === null ? undefined : loadQuotaPlan(site.plan);
    const plan = checked?.status === 'success' ? checked.plan : null;
    const records: QuotaRecord[] = [];
    if (plan !== null) {
      for (const row of await store.quotaRows(siteId)) {
        const record = quotaRecord(row);
        if (record !== undefined) records.push(record);
      }
    }
    const counts = plan === null ? { completed: {}, screenedOut: {} } : countQuotas(plan, records);
    return {
      site: siteId,
      plan,
      counts: JSON.parse(JSON.stringify(counts)) as QuotaState['counts'],
      pickupPoints: [...site.pickupPoints],
      at: iso(),
    };
  });

  app.put(`${API_PREFIX}/sites/:site/pickup-points`, async (request, reply) => {
    const { site } = request.params as { site: string };
    await userWith(request, ['admin', 'coordinator'], site);
    await siteOf(site);
    const { pickupPoints } = parse(PickupPointsRequestSchema, request.body);
    await store.setSitePickupPoints(site, pickupPoints);
    return reply.status(204).send();
  });

  app.put(`${API_PREFIX}/sites/:site/quota-plan`, async (request, reply) => {
    const { site } = request.params as { site: string };
    await userWith(request, ['admin', 'coordinator'], site);
    await siteOf(site);
    const checked = loadQuotaPlan(request.body);
    if (checked.status === 'failure') {
      throw new HttpError(
        400,
        'invalid_plan',
        checked.issues
          .slice(0, 10)
          .map((issue) => `${issue.path}: ${issue.message}`)
          .join('; '),
      );
    }
    if (checked.plan.site !== site)
      throw new HttpError(
        400,
        'invalid_plan',
        `the plan is for site ${checked.plan.site}, not ${site}`,
      );
    await store.setSitePlan(site, checked.plan);
    return reply.status(204).send();
  });

  app.get(`${API_PREFIX}/sites/:site/summary`, async (request): Promise<SiteSummary> => {
    const { site: siteId } = request.params as { site: string };
    await userWith(request, ['admin', 'coordinator', 'analyst'], siteId);
    const site = await siteOf(siteId);
    const { timeZone = 'UTC' } = request.query as { timeZone?: unknown };
    const day = typeof timeZone === 'string' && timeZone.length <= 64 ? dayIn(timeZone) : undefined;
    if (typeof timeZone !== 'string' || day === undefined)
      throw new HttpError(
        400,
        'bad_request',
        'timeZone: unknown time zone; give an IANA name such as Europe/Paris',
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
    await userWith(request, ['admin', 'coordinator'], siteId);
    const site = await siteOf(siteId);
    const plan = validPlan(site);
    if (plan === null)
      throw new HttpError(
        409,
        'no_plan',
        `site ${siteId} has no quota plan: set one first (PUT ${API_PREFIX}/sites/${siteId}/quota-plan)`,
      );
    const body = request.body as { allocations?: unknown } | null;
    if (
      body === null ||
      typeof body !== 'object' ||
      !Array.isArray(body.allocations) ||
      Object.keys(body).some((key) => key !== 'allocations')
    )
      throw new HttpError(400, 'bad_request', 'body: expected { "allocations": [...] }');
    if (body.allocations.length > MAX_ALLOCATIONS)
      throw new HttpError(
        400,
        'bad_request',
        `allocations: at most ${MAX_ALLOCATIONS} interviewers`,
      );
    // The plan's own checks: shapes, known tables and cells, every cell's shares within its limit.
    const proposed: Record<string, unknown> = { ...plan, allocations: body.allocations };
    // An empty list means "no allocations", not "nobody may interview".
    if (body.allocations.length === 0) delete proposed['allocations'];
    const checked = loadQuotaPlan(proposed);
    if (checked.status === 'failure')
      throw new HttpError(
        400,
        'invalid_allocations',
        checked.issues
          .slice(0, 10)
          .map((issue) => `${issue.path}: ${issue.message}`)
          .join('; '),
      );
    const next = checked.plan;
    const seen = new Set<string>();
    for (const allocation of next.allocations ?? []) {
      if (seen.has(allocation.interviewer))
        throw new HttpError(
          400,
          'invalid_allocations',
          `${allocation.interviewer} is given two allocations: give each interviewer one`,
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
    const problems = allocationProblems(plan, next, done);
    if (problems.length > 0)
      throw new HttpError(409, 'below_done', problems.slice(0, 10).join('; '));
    await store.setSitePlan(siteId, next);
    return reply.status(204).send();
  });
}
