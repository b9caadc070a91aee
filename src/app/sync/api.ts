// The central server's HTTP API as the app sees it: requests go through an injected fetch-like
// transport, and every answer is checked with the shared schemas of src/core/protocol first.
import {
  API_PREFIX,
  DeviceTokenResponseSchema,
  EnrolResponseSchema,
  ErrorResponseReadSchema,
  PublishedQuestionnaireSchema,
  QuestionnaireIndexSchema,
  QuotaStateSchema,
  TOKEN_RENEWAL_HEADER,
  UploadResponseSchema,
  encodeOpenDrafts,
} from '../../core/protocol/index.ts';
import type {
  DeviceTokenResponse,
  EnrolResponse,
  OpenDraft,
  PublishedQuestionnaire,
  QuestionnaireVersion,
  QuotaState,
  UploadRequest,
  UploadResponse,
} from '../../core/protocol/index.ts';

export { normaliseEnrolmentCode } from '../../core/protocol/enrolment-link.ts';

export interface TransportRequest {
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /**
   * The body may go compressed (`Content-Encoding: gzip`, which the server takes on every route):
   * set on uploads, the one large body a tablet sends. A transport may ignore it.
   */
  readonly compress?: boolean;
  /** Aborted when the request is given up (its deadline, or the sync run's): fetch's `signal`. */
  readonly signal?: AbortSignal;
}

export interface TransportResponse {
  readonly status: number;
  json(): Promise<unknown>;
  /** The answer's headers (fetch's Response has them): the token renewal signal is one. */
  readonly headers?: { get(name: string): string | null };
}

/**
 * How requests reach the server: `fetch` in the browser (fetch-transport.ts, which gzips the
 * bodies marked `compress`), an adapter to an in-process server in tests.
 * A rejected promise means the request may or may not have reached the server. A transport that
 * ignores `init.signal` is given up all the same: the caller stops waiting at the deadline.
 */
export type Transport = (url: string, init: TransportRequest) => Promise<TransportResponse>;

/**
 * How long a request may take, answer read included, before it is given up (milliseconds). A
 * field connection can be a congested 2G link (tens of kbit/s, a second or two per round trip):
 * the deadlines are there to free a run held by a half-dead connection, never to give up a slow
 * request that still moves, so each leaves several times what such a link needs. A request given
 * up is a `network` failure: the records stay waiting and the backoff applies; resending them is
 * harmless, since the server answers `duplicate` for a record it already holds.
 */
export interface Deadlines {
  /** Index, quota state, token renewal, enrolment: a few KB each way, so a few round trips. */
  readonly readMs: number;
  /** One questionnaire version with its label packs: about 200 KB for SMPG, ~25 s at 64 kbit/s. */
  readonly downloadMs: number;
  /** An upload: this much for the round trips and the server's checks... */
  readonly uploadMs: number;
  /**
   * ...plus its body's time at this rate (bytes/s). A flat deadline would give up a full batch
   * (4 MiB) on a slow link at every try, so it would never go.
   */
  readonly uploadBytesPerSecond: number;
}

/**
 * 20 s for a small read; 90 s for a questionnaire; 60 s plus 1 s per 8 KB (64 kbit/s) for an
 * upload: one record (a few KB) gets about a minute, a full 4 MiB batch about 10 minutes.
 */
export const DEFAULT_DEADLINES: Deadlines = {
  readMs: 20_000,
  downloadMs: 90_000,
  uploadMs: 60_000,
  uploadBytesPerSecond: 8_000,
};

/** The deadline of an upload whose body is `bytes` long. */
export function uploadDeadlineMs(bytes: number, deadlines: Deadlines = DEFAULT_DEADLINES): number {
  return deadlines.uploadMs + Math.ceil((bytes / deadlines.uploadBytesPerSecond) * 1000);
}

/**
 * Why a request failed. `network`: no answer (offline, dropped, or none before the deadline);
 * `unauthorized`: the token or code
 * was refused (401); `rate_limited`: 429; `server`: 5xx; `client`: another 4xx; `bad_response`:
 * an answer the schemas do not accept.
 */
export type ApiErrorKind =
  'network' | 'unauthorized' | 'rate_limited' | 'server' | 'client' | 'bad_response';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The schema shape both zod flavours share: enough to check an answer. */
interface Checker<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: unknown };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** When to give a request up: after `ms`, or as soon as `signal` (the sync run's) aborts. */
interface Limit {
  readonly ms: number;
  readonly signal?: AbortSignal | undefined;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * A request's deadline, armed: `signal` aborts (for fetch) and `abandoned` rejects when it is
 * given up. The race with `abandoned` is what frees the caller, so a transport or a body that
 * never settles, signal or not, cannot hold it.
 */
function armDeadline(limit: Limit) {
  const controller = new AbortController();
  let reason: ApiError | undefined;
  let reject: (error: ApiError) => void = () => undefined;
  const abandoned = new Promise<never>((_, fail) => {
    reject = fail;
  });
  abandoned.catch(() => undefined);
  const stop = (error: ApiError) => {
    if (reason !== undefined) return;
    reason = error;
    reject(error);
    controller.abort(error);
  };
  const outer = limit.signal;
  const onOuterAbort = () =>
    stop(new ApiError('network', undefined, 'the sync run took too long: request given up'));
  const timer = setTimeout(
    () => stop(new ApiError('network', undefined, `no answer within ${seconds(limit.ms)}`)),
    limit.ms,
  );
  if (outer?.aborted === true) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    abandoned,
    /** Why the request was given up, if it was. */
    reason: () => reason,
    disarm() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}

async function call<T>(
  transport: Transport,
  url: string,
  init: TransportRequest,
  schema: Checker<T>,
  limit: Limit,
): Promise<T> {
  const deadline = armDeadline(limit);
  let response: TransportResponse;
  let body: unknown;
  try {
    // The run is over already: nothing is sent.
    const early = deadline.reason();
    if (early !== undefined) throw early;
    try {
      response = await Promise.race([
        transport(url, { ...init, signal: deadline.signal }),
        deadline.abandoned,
      ]);
    } catch (error) {
      throw deadline.reason() ?? new ApiError('network', undefined, describe(error));
    }
    try {
      body = await Promise.race([response.json(), deadline.abandoned]);
    } catch (error) {
      const late = deadline.reason();
      if (late !== undefined) throw new ApiError('network', response.status, late.message);
      // A body cut off mid-way is as good as no answer: the request may or may not have landed.
      if (response.status >= 200 && response.status < 300) {
        throw new ApiError('network', response.status, `unreadable answer: ${describe(error)}`);
      }
      body = undefined;
    }
  } finally {
    deadline.disarm();
  }
  const { status } = response;
  if (status >= 200 && status < 300) {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ApiError('bad_response', status, `unexpected answer from ${url}`);
    }
    return parsed.data;
  }
  const error = ErrorResponseReadSchema.safeParse(body);
  const message = error.success ? error.data.message : `HTTP ${status}`;
  const kind: ApiErrorKind =
    status === 401
      ? 'unauthorized'
      : status === 429
        ? 'rate_limited'
        : status >= 500
          ? 'server'
          : 'client';
  throw new ApiError(kind, status, message);
}

/**
 * The server address as the app keeps it: `http(s)://host[:port][/path]` without a trailing
 * slash, or undefined if it is not one. A bare host gets `https://`.
 */
export function normaliseServerUrl(input: string): string | undefined {
  const trimmed = input.trim();
  if (trimmed === '') return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    return undefined;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' } as const;

/** Enrols the tablet with a one-time code: the server answers with its token, id and site. */
export function enrol(
  transport: Transport,
  serverUrl: string,
  code: string,
  label: string,
  deadlines: Deadlines = DEFAULT_DEADLINES,
): Promise<EnrolResponse> {
  return call(
    transport,
    `${serverUrl}${API_PREFIX}/devices/enrol`,
    { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ code, label }) },
    EnrolResponseSchema,
    { ms: deadlines.readMs },
  );
}

/** What the sync engine asks of the server, as an enrolled tablet. */
export interface ApiClient {
  upload(request: UploadRequest): Promise<UploadResponse>;
  /** The published versions, without their definitions. */
  questionnaireIndex(): Promise<QuestionnaireVersion[]>;
  /** One published version in full. */
  questionnaire(questionnaireId: string, version: string): Promise<PublishedQuestionnaire>;
  /**
   * The site's quota state; the tablet reports its open drafts with it (see open-drafts.ts) and
   * its interviewer, whom the server may not know yet (a newcomer gets a share).
   */
  quota(site: string, drafts?: readonly OpenDraft[], interviewer?: string): Promise<QuotaState>;
  /**
   * A renewed token (`POST /devices/token`); the current one keeps working until the renewed
   * one is first used.
   */
  renewToken(): Promise<DeviceTokenResponse>;
  /** Whether an answer so far said the token is due for renewal (`Device-Token-Renewal: due`). */
  renewalDue(): boolean;
}

/** `?drafts=...&interviewer=...`: a report of open drafts (none: left out) and the interviewer. */
function quotaQuery(drafts: readonly OpenDraft[], interviewer: string | undefined): string {
  const query = new URLSearchParams();
  const text = encodeOpenDrafts(drafts);
  if (text !== '') query.set('drafts', text);
  if (interviewer !== undefined && interviewer !== '') query.set('interviewer', interviewer);
  const out = query.toString();
  return out === '' ? '' : `?${out}`;
}

export interface ApiClientOptions {
  /** The deadlines (DEFAULT_DEADLINES by default; tests make them short). */
  readonly deadlines?: Deadlines | undefined;
  /** The sync run's signal: once it aborts, requests in flight and to come are given up. */
  readonly signal?: AbortSignal | undefined;
}

export function apiClient(
  serverTransport: Transport,
  serverUrl: string,
  token: string,
  options: ApiClientOptions = {},
): ApiClient {
  const deadlines = options.deadlines ?? DEFAULT_DEADLINES;
  const { signal } = options;
  const readLimit = { ms: deadlines.readMs, signal };
  let renewalDue = false;
  const transport: Transport = async (url, init) => {
    const response = await serverTransport(url, init);
    if (response.headers?.get(TOKEN_RENEWAL_HEADER) === 'due') renewalDue = true;
    return response;
  };
  const readHeaders = { Accept: 'application/json', Authorization: `Bearer ${token}` };
  const write = { ...JSON_HEADERS, Authorization: `Bearer ${token}` };
  const base = `${serverUrl}${API_PREFIX}`;
  const encoder = new TextEncoder();
  return {
    upload: (request) => {
      const body = JSON.stringify(request);
      return call(
        transport,
        `${base}/records`,
        { method: 'POST', headers: write, body, compress: true },
        UploadResponseSchema,
        { ms: uploadDeadlineMs(encoder.encode(body).length, deadlines), signal },
      );
    },
    questionnaireIndex: () =>
      call(
        transport,
        `${base}/questionnaires`,
        { method: 'GET', headers: readHeaders },
        QuestionnaireIndexSchema,
        readLimit,
      ),
    questionnaire: (questionnaireId, version) =>
      call(
        transport,
        `${base}/questionnaires/${encodeURIComponent(questionnaireId)}/${encodeURIComponent(version)}`,
        { method: 'GET', headers: readHeaders },
        PublishedQuestionnaireSchema,
        { ms: deadlines.downloadMs, signal },
      ),
    quota: (site, drafts = [], interviewer) =>
      call(
        transport,
        `${base}/sites/${encodeURIComponent(site)}/quota${quotaQuery(drafts, interviewer)}`,
        { method: 'GET', headers: readHeaders },
        QuotaStateSchema,
        readLimit,
      ),
    renewToken: () =>
      call(
        transport,
        `${base}/devices/token`,
        { method: 'POST', headers: write, body: '{}' },
        DeviceTokenResponseSchema,
        readLimit,
      ),
    renewalDue: () => renewalDue,
  };
}
