// The dashboard's calls to the central server (`/api/v1`, same origin): every answer is parsed
// with the wire schemas of src/core/protocol before the screens see it, and every refusal
// becomes an ApiError carrying the server's code and parameters (refusals.ts words them).
import type {
  AlertEventInfo,
  DeviceInfo,
  EnrolmentCodeInfo,
  EnrolmentCodeRequest,
  EnrolmentCodeResponse,
  LoginResponse,
  PublishedQuestionnaire,
  QuestionnaireVersion,
  PickupPointsRequest,
  QuotaState,
  SiteInfo,
  SiteSummary,
} from '../core/protocol/index.ts';
import {
  API_PREFIX,
  AlertEventListSchema,
  DeviceInfoSchema,
  EnrolmentCodeInfoSchema,
  EnrolmentCodeResponseSchema,
  ErrorResponseReadSchema,
  LoginResponseSchema,
  PublishedQuestionnaireSchema,
  QuestionnaireVersionSchema,
  QuotaStateSchema,
  SiteInfoSchema,
  SiteSummarySchema,
} from '../core/protocol/index.ts';
import type { Allocation, QuotaPlan } from '../core/quota/index.ts';
import type {
  Access,
  CreateSiteRequest,
  CreateUserRequest,
  LinkInfo,
  Me,
  OneTimeLink,
  SessionInfo,
  SiteDetail,
  SiteSettings,
  UserInfo,
} from '../core/protocol/index.ts';
import {
  LinkInfoSchema,
  MeSchema,
  OneTimeLinkSchema,
  SessionInfoSchema,
  SiteDetailSchema,
  UserInfoSchema,
} from '../core/protocol/index.ts';
import type {
  AcceptRefusedResponse,
  RefusedRecordDetail,
  RefusedRecordInfo,
} from '../core/protocol/index.ts';
import {
  AcceptRefusedResponseSchema,
  RefusedRecordDetailSchema,
  RefusedRecordListSchema,
} from '../core/protocol/index.ts';
import type { BackupReport, ErrorParams } from '../core/protocol/index.ts';
import { BackupReportSchema, RecoveryResponseSchema } from '../core/protocol/index.ts';
import type { SitePack, SitePackResponse, SitePackSummary } from '../core/protocol/index.ts';
import {
  SitePackListSchema,
  SitePackResponseSchema,
  SitePackSchema,
} from '../core/protocol/index.ts';
import type { LabelPack } from '../core/questionnaire/index.ts';

/**
 * A refused or failed call: the HTTP status (0 when the server was not reached), its code, the
 * server's English message, for a refusal to retry later (429: too many attempts, a locked
 * account) the seconds to wait its `Retry-After` gave, and the refusal's parameters.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
    readonly params: ErrorParams = {},
  ) {
    super(message);
  }
}

/**
 * What a form shows when the server refuses what it sent: a refusal of the request itself (4xx,
 * except an ended session) after the form's `lead`; anything else (network, session, server
 * error) alone. `explain` words both in the dashboard's language.
 */
export function refusalWords(
  failure: unknown,
  lead: string,
  explain: (failure: unknown) => string,
): string {
  return failure instanceof ApiError &&
    failure.status >= 400 &&
    failure.status < 500 &&
    failure.status !== 401
    ? `${lead} ${explain(failure)}`
    : explain(failure);
}

/** `fetch` as the dashboard uses it; injected so the calls can be exercised without a server. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

interface Schema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false };
}

export class DashboardApi {
  constructor(
    private readonly fetcher: Fetch,
    private readonly token: string | undefined = undefined,
  ) {}

  /** The same client with a session token. */
  withToken(token: string): DashboardApi {
    return new DashboardApi(this.fetcher, token);
  }

  private async call<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    schema: Schema<T> | undefined,
    body?: unknown,
  ): Promise<T | undefined> {
    let response: Response;
    try {
      response = await this.fetcher(`${API_PREFIX}${path}`, {
        method,
        headers: {
          ...(this.token === undefined ? {} : { authorization: `Bearer ${this.token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, 'network', 'the server could not be reached');
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      json = undefined;
    }
    if (!response.ok) throw refusal(response.status, json, response.headers.get('retry-after'));
    if (schema === undefined) return undefined;
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new ApiError(response.status, 'bad_response', `unexpected answer to ${method} ${path}`);
    return parsed.data;
  }

  private async get<T>(path: string, schema: Schema<T>): Promise<T> {
    const result = await this.call('GET', path, schema);
    if (result === undefined) throw new ApiError(200, 'bad_response', `empty answer to ${path}`);
    return result;
  }

  async login(username: string, password: string): Promise<LoginResponse> {
    const result = await this.call('POST', '/auth/login', LoginResponseSchema, {
      username,
      password,
    });
    if (result === undefined) throw new ApiError(200, 'bad_response', 'empty login answer');
    return result;
  }

  /** Ends this session, or with `all` every session of the user (on every browser). */
  async logout(all = false): Promise<void> {
    await this.call('POST', '/auth/logout', undefined, all ? { all: true } : undefined);
  }

  sites(): Promise<SiteInfo[]> {
    return this.get('/sites', arrayOf(SiteInfoSchema));
  }

  /** Who the session belongs to: name, admin or not, roles per site. */
  me(): Promise<Me> {
    return this.get('/auth/me', MeSchema);
  }

  /** Whose one-time link this is (a 401 `bad_link` when unknown, used or expired). */
  async linkInfo(token: string): Promise<LinkInfo> {
    const result = await this.call('POST', '/auth/link/info', LinkInfoSchema, { token });
    if (result === undefined) throw new ApiError(200, 'bad_response', 'empty link answer');
    return result;
  }

  /** Sets the password with a one-time link, which then stops working. */
  async setPasswordWithLink(token: string, password: string): Promise<void> {
    await this.call('POST', '/auth/link', undefined, { token, password });
  }

  /** Changes the logged-in user's password; their other sessions end. */
  async changePassword(current: string, next: string): Promise<void> {
    await this.call('POST', '/auth/password', undefined, { current, next });
  }

  /** Every user, with their roles (admin only). */
  users(): Promise<UserInfo[]> {
    return this.get('/users', arrayOf(UserInfoSchema));
  }

  /** Creates a user; the answer's one-time link is the only way to their password. */
  async createUser(request: CreateUserRequest): Promise<OneTimeLink> {
    const result = await this.call('POST', '/users', OneTimeLinkSchema, request);
    if (result === undefined) throw new ApiError(200, 'bad_response', 'empty user answer');
    return result;
  }

  /** Replaces a user's roles (a 409 `last_admin` when no admin would be left). */
  async setAccess(username: string, access: Access): Promise<void> {
    await this.call('PUT', `/users/${encodeURIComponent(username)}/access`, undefined, access);
  }

  /** A new one-time link for a user (a forgotten password); older unused links stop working. */
  async resetUser(username: string): Promise<OneTimeLink> {
    const result = await this.call(
      'POST',
      `/users/${encodeURIComponent(username)}/reset`,
      OneTimeLinkSchema,
    );
    if (result === undefined) throw new ApiError(200, 'bad_response', 'empty reset answer');
    return result;
  }

  async deleteUser(username: string): Promise<void> {
    await this.call('DELETE', `/users/${encodeURIComponent(username)}`, undefined);
  }

  /** A user's sessions not yet expired (admin, or the user themself). */
  sessions(username: string): Promise<SessionInfo[]> {
    return this.get(`/users/${encodeURIComponent(username)}/sessions`, arrayOf(SessionInfoSchema));
  }

  /** Ends one session of a user, or with no id every one of them. */
  async endSessions(username: string, id?: string): Promise<void> {
    const path = `/users/${encodeURIComponent(username)}/sessions`;
    await this.call(
      'DELETE',
      id === undefined ? path : `${path}/${encodeURIComponent(id)}`,
      undefined,
    );
  }

  /** One site with all its settings. */
  site(site: string): Promise<SiteDetail> {
    return this.get(`/sites/${encodeURIComponent(site)}`, SiteDetailSchema);
  }

  /** Creates a site (admin); the settings not given take the server's defaults. */
  async createSite(request: CreateSiteRequest): Promise<SiteDetail> {
    const result = await this.call('POST', '/sites', SiteDetailSchema, request);
    if (result === undefined) throw new ApiError(200, 'bad_response', 'empty site answer');
    return result;
  }

  /** Replaces a site's settings as a whole; tablets receive them at their next sync. */
  async setSiteSettings(site: string, settings: SiteSettings): Promise<void> {
    await this.call('PUT', `/sites/${encodeURIComponent(site)}/settings`, undefined, settings);
  }

  /** Closes a site (no more tablets enrolled; its tablets still upload) or reopens it. */
  async setSiteClosed(site: string, closed: boolean): Promise<void> {
    await this.call('PUT', `/sites/${encodeURIComponent(site)}/closed`, undefined, { closed });
  }

  /** Deletes a site and everything it holds; `confirm` must repeat the site's id. */
  async deleteSite(site: string, confirm: string): Promise<void> {
    await this.call(
      'DELETE',
      `/sites/${encodeURIComponent(site)}?confirm=${encodeURIComponent(confirm)}`,
      undefined,
    );
  }

  quota(site: string): Promise<QuotaState> {
    return this.get(`/sites/${encodeURIComponent(site)}/quota`, QuotaStateSchema);
  }

  summary(site: string, timeZone: string): Promise<SiteSummary> {
    return this.get(
      `/sites/${encodeURIComponent(site)}/summary?timeZone=${encodeURIComponent(timeZone)}`,
      SiteSummarySchema,
    );
  }

  /**
   * Every alert of the safety protocol raised in the site's records the server holds (complete,
   * screened out or broken off), newest first: when, who, which tablet, when acknowledged, what
   * the interviewer did.
   */
  alerts(site: string): Promise<AlertEventInfo[]> {
    return this.get(`/sites/${encodeURIComponent(site)}/alerts`, AlertEventListSchema);
  }

  devices(site: string): Promise<DeviceInfo[]> {
    return this.get(`/sites/${encodeURIComponent(site)}/devices`, arrayOf(DeviceInfoSchema));
  }

  async revokeDevice(site: string, id: string): Promise<void> {
    await this.call(
      'POST',
      `/sites/${encodeURIComponent(site)}/devices/${encodeURIComponent(id)}/revoke`,
      undefined,
    );
  }

  /** The tablet's recovery code, to read to its interviewer (the server logs who read it). */
  async recoverySecret(site: string, id: string): Promise<string> {
    const result = await this.call(
      'POST',
      `/sites/${encodeURIComponent(site)}/devices/${encodeURIComponent(id)}/recovery`,
      RecoveryResponseSchema,
    );
    if (result === undefined) throw new ApiError(200, 'bad_response', 'empty recovery answer');
    return result.secret;
  }

  /** Imports a tablet's backup file (as read from disk, parsed): what became of its records. */
  async importBackup(site: string, file: unknown): Promise<BackupReport> {
    const result = await this.call(
      'POST',
      `/sites/${encodeURIComponent(site)}/backups`,
      BackupReportSchema,
      file,
    );
    if (result === undefined) throw new ApiError(200, 'bad_response', 'empty import answer');
    return result;
  }

  /** A one-time code for a tablet, with a short label to tell it apart (none when empty). */
  async enrolmentCode(site: string, label = ''): Promise<EnrolmentCodeResponse> {
    const body: EnrolmentCodeRequest = label === '' ? {} : { label };
    const result = await this.call(
      'POST',
      `/sites/${encodeURIComponent(site)}/enrolment-codes`,
      EnrolmentCodeResponseSchema,
      body,
    );
    if (result === undefined) throw new ApiError(200, 'bad_response', 'empty code answer');
    return result;
  }

  /** Published questionnaire versions, without their definitions (the export panel's choices). */
  questionnaireIndex(): Promise<QuestionnaireVersion[]> {
    return this.get('/questionnaires', arrayOf(QuestionnaireVersionSchema));
  }

  /**
   * Publishes a version (admin only): a 409 `exists` when it is already published, a 400
   * `invalid_questionnaire` when the server's loader refuses it.
   */
  async publishQuestionnaire(
    definition: unknown,
    labelPacks: readonly { readonly source: string; readonly pack: unknown }[] = [],
  ): Promise<void> {
    await this.call('POST', '/questionnaires', undefined, { definition, labelPacks });
  }

  /** One published version with its definition. */
  questionnaire(id: string, version: string): Promise<PublishedQuestionnaire> {
    return this.get(
      `/questionnaires/${encodeURIComponent(id)}/${encodeURIComponent(version)}`,
      PublishedQuestionnaireSchema,
    );
  }

  /**
   * Downloads a file (a CSV export) as a Blob, telling `onBytes` how much has arrived so far.
   * Refusals become ApiErrors with the server's message, as for every other call.
   */
  async download(path: string, onBytes: (bytes: number) => void): Promise<Blob> {
    let response: Response;
    try {
      response = await this.fetcher(`${API_PREFIX}${path}`, {
        method: 'GET',
        headers: this.token === undefined ? {} : { authorization: `Bearer ${this.token}` },
      });
    } catch {
      throw new ApiError(0, 'network', 'the server could not be reached');
    }
    if (!response.ok) {
      let json: unknown;
      try {
        json = (await response.json()) as unknown;
      } catch {
        json = undefined;
      }
      throw refusal(response.status, json, response.headers.get('retry-after'));
    }
    const type = response.headers.get('content-type') ?? 'text/csv';
    if (response.body === null) return new Blob([await response.arrayBuffer()], { type });
    const parts: Uint8Array<ArrayBuffer>[] = [];
    let bytes = 0;
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value as Uint8Array<ArrayBuffer>);
        bytes += value.byteLength;
        onBytes(bytes);
      }
    } catch {
      throw new ApiError(0, 'network', 'the download was interrupted');
    }
    return new Blob(parts, { type });
  }

  /** The site's codes that can still enrol a tablet (never the codes themselves). */
  enrolmentCodes(site: string): Promise<EnrolmentCodeInfo[]> {
    return this.get(
      `/sites/${encodeURIComponent(site)}/enrolment-codes`,
      arrayOf(EnrolmentCodeInfoSchema),
    );
  }

  /** Cancels the unused code made at `createdAt`. */
  async cancelEnrolmentCode(site: string, createdAt: string): Promise<void> {
    await this.call(
      'DELETE',
      `/sites/${encodeURIComponent(site)}/enrolment-codes/${encodeURIComponent(createdAt)}`,
      undefined,
    );
  }

  async setAllocations(site: string, allocations: readonly Allocation[]): Promise<void> {
    await this.call('PUT', `/sites/${encodeURIComponent(site)}/allocations`, undefined, {
      allocations,
    });
  }

  /** Replaces the site's pick-up points (`[]`: none); the tablets receive them at their next sync. */
  async setPickupPoints(site: string, pickupPoints: readonly string[]): Promise<void> {
    const body: PickupPointsRequest = { pickupPoints: [...pickupPoints] };
    await this.call('PUT', `/sites/${encodeURIComponent(site)}/pickup-points`, undefined, body);
  }

  /** The records the server refused for `site`, waiting or resolved, newest first. */
  refusedRecords(site: string): Promise<RefusedRecordInfo[]> {
    return this.get(`/sites/${encodeURIComponent(site)}/refused-records`, RefusedRecordListSchema);
  }

  /** One refused record with `record`, the record as the tablet sent it. */
  refusedRecord(site: string, key: string): Promise<RefusedRecordDetail> {
    return this.get(
      `/sites/${encodeURIComponent(site)}/refused-records/${encodeURIComponent(key)}`,
      RefusedRecordDetailSchema,
    );
  }

  /**
   * Stores a refused record with the values the server computes. A 409 ApiError says why not:
   * `still_refused` (its answers, dates or version are still wrong), `resolved`, `conflict`.
   */
  async acceptRefused(site: string, key: string): Promise<AcceptRefusedResponse> {
    const result = await this.call(
      'POST',
      `/sites/${encodeURIComponent(site)}/refused-records/${encodeURIComponent(key)}/accept`,
      AcceptRefusedResponseSchema,
    );
    if (result === undefined) throw new ApiError(200, 'bad_response', 'empty accept answer');
    return result;
  }

  /** Sets a refused record aside for good (a 409 ApiError when it was already resolved). */
  async dismissRefused(site: string, key: string): Promise<void> {
    await this.call(
      'POST',
      `/sites/${encodeURIComponent(site)}/refused-records/${encodeURIComponent(key)}/dismiss`,
      undefined,
    );
  }

  /** The latest revision of each of the site's label packs: who sent it, when. */
  sitePacks(site: string): Promise<SitePackSummary[]> {
    return this.get(`/sites/${encodeURIComponent(site)}/label-packs`, SitePackListSchema);
  }

  /**
   * The site's latest pack for a version and a language, with its texts; undefined when the site
   * has none (404).
   */
  async sitePack(
    site: string,
    questionnaireId: string,
    version: string,
    language: string,
  ): Promise<SitePack | undefined> {
    try {
      return await this.get(sitePackPath(site, questionnaireId, version, language), SitePackSchema);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) return undefined;
      throw failure;
    }
  }

  /**
   * Sends a label pack for the site's tablets (a coordinator of the site, or an admin): its new
   * revision (the same one again when the pack is identical) and how much of the version it
   * covers; a 422 `invalid_pack` lists the loader's issues in `params.issues` ({path, message}).
   */
  async putSitePack(site: string, pack: LabelPack): Promise<SitePackResponse> {
    const result = await this.call(
      'PUT',
      sitePackPath(site, pack.questionnaire, pack.version, pack.language),
      SitePackResponseSchema,
      { pack },
    );
    if (result === undefined) throw new ApiError(200, 'bad_response', 'empty pack answer');
    return result;
  }

  /** Replaces the site's quota plan (a 400 `invalid_plan` with the plan's issues when wrong). */
  async setQuotaPlan(site: string, plan: QuotaPlan): Promise<void> {
    await this.call('PUT', `/sites/${encodeURIComponent(site)}/quota-plan`, undefined, plan);
  }
}

/** `/sites/:site/label-packs/:questionnaireId/:version/:language`, each part encoded. */
function sitePackPath(site: string, questionnaireId: string, version: string, language: string) {
  const part = encodeURIComponent;
  return `/sites/${part(site)}/label-packs/${part(questionnaireId)}/${part(version)}/${part(language)}`;
}

/** The ApiError for a refused call: the server's own error body when it sent one. */
function refusal(status: number, json: unknown, retryAfter: string | null): ApiError {
  const error = ErrorResponseReadSchema.safeParse(json);
  // Retry-After in seconds (the server never sends the date form).
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  return error.success
    ? new ApiError(status, error.data.error, error.data.message, seconds, error.data.params)
    : new ApiError(status, 'http', `the server answered ${status}`, seconds);
}

/** A schema for a list of `item`, without pulling zod's array into every call site. */
function arrayOf<T>(item: Schema<T>): Schema<T[]> {
  return {
    safeParse(data: unknown) {
      if (!Array.isArray(data)) return { success: false };
      const out: T[] = [];
      for (const entry of data) {
        const parsed = item.safeParse(entry);
        if (!parsed.success) return { success: false };
        out.push(parsed.data);
      }
      return { success: true, data: out };
    },
  };
}
