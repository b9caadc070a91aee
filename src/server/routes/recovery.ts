// A forgotten PIN, solved by the coordinator: the tablet sends its recovery secret once enrolled
// (`PUT /devices/recovery`, with its token), and the coordinator of its site reads it on the
// dashboard (`POST /sites/:site/devices/:id/recovery`, logged) to the interviewer by phone.
import type { FastifyInstance } from 'fastify';
import { API_PREFIX, RecoveryRequestSchema } from '../../core/protocol/index.ts';
import type { RecoveryResponse } from '../../core/protocol/index.ts';
import { logAct } from '../audit-log.ts';
import type { RouteContext } from './context.ts';
import { HttpError, parse } from './context.ts';

export function registerRecoveryRoutes(
  app: FastifyInstance,
  { store, iso, caller, userWith }: RouteContext,
): void {
  app.put(`${API_PREFIX}/devices/recovery`, { bodyLimit: 4096 }, async (request, reply) => {
    const who = await caller(request);
    if (who.kind !== 'device')
      throw new HttpError(403, 'forbidden', 'only an enrolled tablet sends its recovery secret');
    const { secret } = parse(RecoveryRequestSchema, request.body);
    const { device } = who;
    await store.setRecoverySecret(device.id, secret, iso());
    // Never the secret itself.
    logAct(request, 'recovery_secret_set', device.id, { site: device.site, device: device.id });
    return reply.status(204).send();
  });

  // A POST, not a GET: reading a secret is an act, logged, and never cached or prefetched.
  app.post(
    `${API_PREFIX}/sites/:site/devices/:id/recovery`,
    async (request): Promise<RecoveryResponse> => {
      const { site, id } = request.params as { site: string; id: string };
      const user = await userWith(request, ['admin', 'coordinator'], site);
      const device = (await store.listDevices(site)).find((entry) => entry.id === id);
      if (device === undefined)
        throw new HttpError(404, 'not_found', `no device ${id} in site ${site}`, {
          what: 'device',
          site,
          device: id,
        });
      const kept = await store.getRecoverySecret(id);
      if (kept === undefined)
        throw new HttpError(
          404,
          'no_recovery_secret',
          'this tablet has not sent a recovery code: it sends one once it is enrolled and its PIN is set',
        );
      logAct(request, 'recovery_secret_revealed', user.username, { site, device: id });
      return { secret: kept.secret };
    },
  );
}
