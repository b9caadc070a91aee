// A site's tablets as its coordinator manages them: the one-time codes that enrol a tablet, the
// tablets enrolled, and revoking one. The tablet's side (enrolling, renewing its token) is auth.ts.
import type { FastifyInstance } from 'fastify';
import { API_PREFIX, EnrolmentCodeRequestSchema } from '../../core/protocol/index.ts';
import type { EnrolmentCodeInfo, EnrolmentCodeResponse } from '../../core/protocol/index.ts';
import { logAct } from '../audit-log.ts';
import { newEnrolmentCode } from '../auth.ts';
import type { RouteContext } from './context.ts';
import { HttpError, parse } from './context.ts';

const ENROLMENT_CODE_HOURS = 72;

export interface EnrolmentOptions {
  /** What is stored of an enrolment code (the auth service's HMAC under the server secret). */
  readonly codeHash: (code: string) => string;
}

export function registerEnrolmentRoutes(
  app: FastifyInstance,
  { store, now, iso, userWith, siteOf }: RouteContext,
  { codeHash }: EnrolmentOptions,
): void {
  app.post(
    `${API_PREFIX}/sites/:site/enrolment-codes`,
    async (request): Promise<EnrolmentCodeResponse> => {
      const { site } = request.params as { site: string };
      const user = await userWith(request, ['admin', 'coordinator'], site);
      if ((await siteOf(site)).closedAt !== null)
        throw new HttpError(
          409,
          'site_closed',
          `site ${site} is closed: it enrols no more tablets (an admin may reopen it)`,
          { site },
        );
      // No body, or a label that tells this code from the others in the list.
      const label = parse(EnrolmentCodeRequestSchema, request.body ?? {}).label?.trim() ?? '';
      const code = newEnrolmentCode();
      const createdAt = iso();
      const expiresAt = new Date(now().getTime() + ENROLMENT_CODE_HOURS * 3600_000).toISOString();
      await store.createEnrolmentCode({
        codeHash: codeHash(code),
        site,
        createdBy: user.username,
        expiresAt,
        createdAt,
        ...(label === '' ? {} : { label }),
      });
      logAct(request, 'enrolment_code_created', user.username, { site });
      return { code, site, createdAt, expiresAt, ...(label === '' ? {} : { label }) };
    },
  );

  app.get(
    `${API_PREFIX}/sites/:site/enrolment-codes`,
    async (request): Promise<EnrolmentCodeInfo[]> => {
      const { site } = request.params as { site: string };
      await userWith(request, ['admin', 'coordinator'], site);
      await siteOf(site);
      // Never the hash: a code holds 40 bits, so its hash would let whoever reads it test guesses.
      return (await store.listEnrolmentCodes(site, iso())).map((code) => ({
        createdAt: code.createdAt,
        expiresAt: code.expiresAt,
        createdBy: code.createdBy,
        ...(code.label === undefined ? {} : { label: code.label }),
      }));
    },
  );

  app.delete(`${API_PREFIX}/sites/:site/enrolment-codes/:createdAt`, async (request, reply) => {
    const { site, createdAt } = request.params as { site: string; createdAt: string };
    const user = await userWith(request, ['admin', 'coordinator'], site);
    await siteOf(site);
    if ((await store.deleteEnrolmentCode(site, createdAt)) === 0)
      throw new HttpError(
        404,
        'not_found',
        `no unused enrolment code of site ${site} made at ${createdAt}`,
        { what: 'enrolment_code', site, createdAt },
      );
    logAct(request, 'enrolment_code_cancelled', user.username, { site, createdAt });
    return reply.status(204).send();
  });

  app.get(`${API_PREFIX}/sites/:site/devices`, async (request) => {
    const { site } = request.params as { site: string };
    await userWith(request, ['admin', 'coordinator'], site);
    await siteOf(site);
    return (await store.listDevices(site)).map((device) => ({
      id: device.id,
      site: device.site,
      label: device.label,
      enrolledAt: device.enrolledAt,
      revokedAt: device.revokedAt,
      lastSyncAt: device.lastSyncAt,
      lastPending: device.lastPending,
    }));
  });

  app.post(`${API_PREFIX}/sites/:site/devices/:id/revoke`, async (request, reply) => {
    const { site, id } = request.params as { site: string; id: string };
    const user = await userWith(request, ['admin', 'coordinator'], site);
    const device = (await store.listDevices(site)).find((entry) => entry.id === id);
    if (device === undefined)
      throw new HttpError(404, 'not_found', `no device ${id} in site ${site}`, {
        what: 'device',
        site,
        device: id,
      });
    await store.revokeDevice(id, iso());
    logAct(request, 'device_revoked', user.username, { site, device: id });
    return reply.status(204).send();
  });
}
