// The central server's HTTP API as the app sees it: requests go through an injected fetch-like
// transport, and every answer is checked with the shared schemas of src/core/protocol first.
import {
  API_PREFIX,
  DeviceTokenResponseSchema,
  EnrolResponseSchema,
  ErrorResponseSchema,
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
}

export interface TransportResponse {
  readonly status: number;
  json(): Promise<unknown>;
  /** The answer's headers (fetch's Response has them): the token renewal signal is one. */
  readonly headers?: { get(name: string): string | null };
}

/**
 * How requests reach the server: `fetch` in the browser (wrap it, `(url, init) => fetch(url,
 * init)`, so it is never called as a method), an adapter to an in-process server in tests.
 * A rejected promise means the request may or may not have reached the server.
 */
export type Transport = (url: string, init: TransportRequest) => Promise<TransportResponse>;

/**
 * Why a request failed. `network`: no answer (offline, dropped); `unauthorized`: the token or code
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

async function call<T>(
  transport: Transport,
  url: string,
  init: TransportRequest,
  schema: Checker<T>,
): Promise<T> {
  let response: TransportResponse;
  try {
    response = await transport(url, init);
  } catch (error) {
    throw new ApiError('network', undefined, describe(error));
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    // A body cut off mid-way is as good as no answer: the request may or may not have landed.
    if (response.status >= 200 && response.status < 300) {
      throw new ApiError('network', response.status, `unreadable answer: ${describe(error)}`);
    }
    body = undefined;
  }
  const { status } = response;
  if (status >= 200 && status < 300) {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ApiError('bad_response', status, `unexpected answer from ${url}`);
    }
    return parsed.data;
  }
  const error = ErrorResponseSchema.safeParse(body);
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
): Promise<EnrolResponse> {
  return call(
    transport,
    `${serverUrl}${API_PREFIX}/devices/enrol`,
    { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ code, label }) },
    EnrolResponseSchema,
  );
}

/** What the sync engine asks of the server, as an enrolled tablet. */
export interface ApiClient {
  upload(request: UploadRequest): Promise<UploadResponse>;
  /** The published versions, without their definitions. */
  questionnaireIndex(): Promise<QuestionnaireVersion[]>;
  /** One published version in full. */
  questionnaire(questionnaireId: string, version: string): Promise<PublishedQuestionnaire>;
  /** The site's quota state; the tablet reports its open drafts with it (see open-drafts.ts). */
  quota(site: string, drafts?: readonly OpenDraft[]): Promise<QuotaState>;
  /**
   * A renewed token (`POST /devices/token`); the current one keeps working until the renewed
   * one is first used.
   */
  renewToken(): Promise<DeviceTokenResponse>;
  /** Whether an answer so far said the token is due for renewal (`Device-Token-Renewal: due`). */
  renewalDue(): boolean;
}

/** `?drafts=...` for a report of open drafts, nothing for none. */
function draftsQuery(drafts: readonly OpenDraft[]): string {
  const text = encodeOpenDrafts(drafts);
  return text === '' ? '' : `?drafts=${encodeURIComponent(text)}`;
}

export function apiClient(serverTransport: Transport, serverUrl: string, token: string): ApiClient {
  let renewalDue = false;
  const transport: Transport = async (url, init) => {
    const response = await serverTransport(url, init);
    if (response.headers?.get(TOKEN_RENEWAL_HEADER) === 'due') renewalDue = true;
    return response;
  };
  const read = { Accept: 'application/json', Authorization: `Bearer ${token}` };
  const write = { ...JSON_HEADERS, Authorization: `Bearer ${token}` };
  const base = `${serverUrl}${API_PREFIX}`;
  return {
    upload: (request) =>
      call(
        transport,
        `${base}/records`,
        { method: 'POST', headers: write, body: JSON.stringify(request) },
        UploadResponseSchema,
      ),
    questionnaireIndex: () =>
      call(
        transport,
        `${base}/questionnaires`,
        { method: 'GET', headers: read },
        QuestionnaireIndexSchema,
      ),
    questionnaire: (questionnaireId, version) =>
      call(
        transport,
        `${base}/questionnaires/${encodeURIComponent(questionnaireId)}/${encodeURIComponent(version)}`,
        { method: 'GET', headers: read },
        PublishedQuestionnaireSchema,
      ),
    quota: (site, drafts = []) =>
      call(
        transport,
        `${base}/sites/${encodeURIComponent(site)}/quota${draftsQuery(drafts)}`,
        { method: 'GET', headers: read },
        QuotaStateSchema,
      ),
    renewToken: () =>
      call(
        transport,
        `${base}/devices/token`,
        { method: 'POST', headers: write, body: '{}' },
        DeviceTokenResponseSchema,
      ),
    renewalDue: () => renewalDue,
  };
}
