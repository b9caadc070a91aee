// What every route module shares: the context app.ts hands each of them (the store, the clock and
// the checks of who is calling), the error a client can act on, and the body parser.
import type { FastifyRequest } from 'fastify';
import type { ErrorParams } from '../../core/protocol/index.ts';
import type { Access } from '../../core/protocol/wave.ts';
import type { Questionnaire } from '../../core/questionnaire/index.ts';
import type { QuotaPlan } from '../../core/quota/index.ts';
import type { Device, ServerStore, Site, User } from '../store/types.ts';

/**
 * What a route asks of a user: `admin` (of the study), or a role at the site (wave.ts's grants);
 * an admin passes wherever `admin` is asked.
 */
export type Role = 'admin' | 'coordinator' | 'analyst';

/**
 * An error a client can act on: status, short code, English message and, for the refusals the
 * dashboard words in its own language, their parameters (app.ts's error handler sends them).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly params?: ErrorParams,
  ) {
    super(message);
  }
}

/** A user's access as wave.ts's `allows` and `sees` read it. */
export function accessOf(user: User): Access {
  return { admin: user.admin, grants: [...user.grants] };
}

/** Who called: an enrolled tablet, or a logged-in user with the hash of their session token. */
export type Caller =
  | { readonly kind: 'device'; readonly device: Device }
  | { readonly kind: 'user'; readonly user: User; readonly tokenHash: string };

/** What the routes share, built once per app by `buildApp`. */
export interface RouteContext {
  readonly store: ServerStore;
  /** The clock; injected so tests control time. */
  readonly now: () => Date;
  /** `now()` as an ISO string. */
  readonly iso: () => string;
  /** Who holds the request's bearer token; else a 401. */
  readonly caller: (request: FastifyRequest) => Promise<Caller>;
  /**
   * The logged-in user, if they may act in one of the roles: an admin where `admin` is one of
   * them; else a grant of one of the other roles at `site` (or at `*`), or at any site when no
   * site is given. Else a 401/403.
   */
  readonly userWith: (
    request: FastifyRequest,
    roles: readonly Role[],
    site?: string,
  ) => Promise<User>;
  /** The logged-in user, whatever their access; else a 401/403. */
  readonly user: (request: FastifyRequest) => Promise<{ user: User; tokenHash: string }>;
  /** The site; else a 404. */
  readonly siteOf: (id: string) => Promise<Site>;
  /** The site's plan if it has a valid one. */
  readonly validPlan: (site: Site) => QuotaPlan | null;
  /** A published version, compiled once per server (shared by uploads, refused records, exports). */
  readonly questionnaire: (id: string, version: string) => Promise<Questionnaire | undefined>;
}

/** A zod schema, as far as `parse` needs one. */
interface Schema<T> {
  safeParse(data: unknown):
    | { success: true; data: T }
    | {
        success: false;
        error: { issues: readonly { path: PropertyKey[]; message: string; code: string }[] };
      };
}

/** The body as the schema reads it; else a 400 naming the first field at fault. */
export function parse<T>(schema: Schema<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  const where =
    first === undefined || first.path.length === 0 ? 'body' : first.path.map(String).join('.');
  throw new HttpError(
    400,
    'bad_request',
    `${where}: ${first?.message === 'Invalid input' ? `invalid (${first.code})` : (first?.message ?? 'invalid')}`,
    { reason: 'invalid', field: where },
  );
}
