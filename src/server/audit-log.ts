// What the server writes to its log about the people and tablets that call it: every refusal
// (401, 403, 429) as a warning, with the route and the client's address, so a coordinator or an
// administrator can see guessing and misuse, and every act that changes who may do what or what a
// site is (`logAct`); never a body, a token, a password or a query string (an enrolment link
// carries its one-time code in `?enrol=`).
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';

/** A request's path without its query string: what the log may say of where it went. */
export function pathOnly(url: string): string {
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}

/** Fastify's logger options: pino, with requests reduced to what may be kept. */
export function loggerOptions(
  stream: NodeJS.WritableStream | undefined,
): NonNullable<FastifyServerOptions['logger']> {
  return {
    ...(stream === undefined ? {} : { stream }),
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: pathOnly(request.url),
        remoteAddress: request.ip,
      }),
    },
  };
}

const REFUSALS: ReadonlySet<number> = new Set([401, 403, 429]);

/** Logs every refused request at `warn`, with its route, status and the client's address. */
export function registerAuditLog(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    if (REFUSALS.has(reply.statusCode)) {
      request.log.warn(
        {
          event: 'refused_request',
          status: reply.statusCode,
          method: request.method,
          route: request.routeOptions.url ?? pathOnly(request.url),
          ip: request.ip,
        },
        'request refused',
      );
    }
    done();
  });
}

/**
 * Logs an act at `info`, `event` naming it (`user_created`, `site_deleted`...), `by` who did it:
 * what an admin or coordinator changed, for whoever must later say who gave whom access. `details`
 * must never hold a password, a token or a link.
 */
export function logAct(
  request: FastifyRequest,
  event: string,
  by: string,
  details: Readonly<Record<string, unknown>> = {},
): void {
  request.log.info({ ...details, event, by }, event.replace(/_/g, ' '));
}
