// One sync run, with no React and no DOM: sends the interviews waiting in the outbox (anonymised,
// batched), records the server's answer on each, backs off after a failure (a request past its
// deadline is one), then downloads the questionnaire versions the tablet lacks (and its site's own
// label packs, new or revised) and the site's quota state (with its pick-up points and its settings; the tablet reports its interviews under way
// with it), and renews the device token when the server says it is due. Everything it learns is
// kept in the store.
import type { InterviewRecordWire, SitePack, SitePackRevision } from '../../core/protocol/index.ts';
import { MAX_BATCH_BYTES, MAX_BATCH_RECORDS } from '../../core/protocol/index.ts';
import type { Clock } from '../../core/questionnaire/index.ts';
import { loadQuestionnaire } from '../../core/questionnaire/index.ts';
import type { InterviewMeta } from '../../core/record/index.ts';
import { anonymise, endDayClock, recordOf } from '../../core/record/index.ts';
import { ensureServerKey } from '../backup/server-key.ts';
import { openDrafts } from '../quota/open-drafts.ts';
import { planOf } from '../quota/stored-plan.ts';
import type { QuestionnaireCache } from '../questionnaires/catalogue.ts';
import { installedPacks } from '../questionnaires/catalogue.ts';
import { withSiteSettings } from '../site-settings.ts';
import type {
  DeviceSettings,
  FinishedAnswers,
  InstalledQuestionnaire,
  InterviewRecord,
  InterviewStore,
  InterviewSync,
  SyncErrorKind,
  SyncSettings,
} from '../storage/index.ts';
import type { ApiClient, Deadlines, Transport } from './api.ts';
import { ApiError, apiClient } from './api.ts';
import type { BackoffPolicy } from './outbox.ts';
import {
  DEFAULT_BACKOFF,
  backoffDelayMs,
  cutBatches,
  isOutgoingStatus,
  isWaiting,
} from './outbox.ts';

export interface SyncDeps {
  readonly store: InterviewStore;
  readonly cache: QuestionnaireCache;
  readonly transport: Transport;
  readonly now?: () => Date;
  /** For the backoff's jitter; Math.random by default. */
  readonly random?: () => number;
  readonly backoff?: BackoffPolicy;
  /** Batch limits; the protocol's by default (tests make them small). */
  readonly limits?: { readonly maxRecords: number; readonly maxBytes: number };
  /**
   * navigator.onLine in the app: a request without an answer is then told apart as "no network"
   * (offline) or "server unreachable" (online); the scheduler also skips automatic runs offline.
   */
  readonly isOnline?: () => boolean;
  /** How long each request may take (api.ts DEFAULT_DEADLINES by default; tests shorten them). */
  readonly deadlines?: Deadlines;
}

export interface SyncCounts {
  /** Acknowledged now (accepted or duplicate). */
  readonly sent: number;
  readonly refused: number;
  readonly conflicts: number;
  /** Still waiting after the run. */
  readonly pending: number;
}

export type SyncOutcome =
  /** No server: the tablet was set up without one. */
  | { readonly kind: 'not_enrolled' }
  /** The server refused the token: nothing is tried until the tablet is enrolled again. */
  | { readonly kind: 'blocked'; readonly reason: string }
  /** An automatic run during the backoff: nothing tried. */
  | { readonly kind: 'waiting'; readonly until: string }
  | (SyncCounts & { readonly kind: 'done'; readonly installed: readonly string[] })
  | (SyncCounts & {
      readonly kind: 'failed';
      readonly error: string;
      /** No automatic attempt before then. */
      readonly retryAt: string;
    });

const encoder = new TextEncoder();
const bytesOf = (text: string): number => encoder.encode(text).length;

/** Reads the settings again right before writing, so that changes made meanwhile are kept. */
async function patchSettings(
  store: InterviewStore,
  change: (current: DeviceSettings) => DeviceSettings,
): Promise<DeviceSettings | undefined> {
  const current = await store.getSettings();
  if (current === undefined) return undefined;
  const next = change(current);
  await store.putSettings(next);
  return next;
}

/** The sync settings without the fields of a failed run. */
function succeeded(previous: SyncSettings | undefined, at: string): SyncSettings {
  const base: SyncSettings = { failures: 0, lastRunAt: at, lastSuccessAt: at };
  return previous?.blocked === undefined ? base : { ...base, blocked: previous.blocked };
}

/** Interviews waiting to be sent, oldest first. */
export async function waitingInterviews(store: InterviewStore): Promise<InterviewRecord[]> {
  const all = await store.listInterviews();
  const endOf = (record: InterviewRecord) => record.endedAt ?? record.updatedAt;
  return all
    .filter(isWaiting)
    .sort((a, b) => (endOf(a) < endOf(b) ? -1 : endOf(a) > endOf(b) ? 1 : a.id < b.id ? -1 : 1));
}

/** What `anonymise` needs of an interview besides its answers. */
export function interviewMeta(interview: InterviewRecord): InterviewMeta {
  return {
    id: interview.id,
    site: interview.site,
    interviewer: interview.interviewer,
    deviceId: interview.deviceId,
    pickupPoint: interview.pickupPoint,
    status: interview.status as InterviewMeta['status'],
    screenOutId: interview.screenOutId,
    breakOff: interview.breakOff,
    language: interview.language,
    appVersion: interview.appVersion,
    startedAt: interview.startedAt,
    endedAt: interview.endedAt ?? interview.updatedAt,
    quotaCategories: interview.quota?.categories,
    alerts: (interview.alerts ?? []).map((alert) => alert.id),
    alertEvents: interview.alertEvents,
    paradata:
      interview.itemMs === undefined
        ? undefined
        : { itemMs: interview.itemMs, languages: interview.languages ?? [interview.language] },
    incomeBands: interview.incomeBands,
    labelPacks: interview.labelPacks,
  };
}

/** The clock a record is made (and checked by the server) with: the day the interview ended. */
export function recordClock(interview: InterviewRecord): Clock {
  return endDayClock(interview.endedAt ?? interview.updatedAt);
}

/**
 * The record that leaves the device for an interview, or why it cannot be built. Deterministic:
 * the same interview always gives the same record, so a resend is a duplicate, not a conflict.
 */
export async function buildRecord(
  store: InterviewStore,
  cache: QuestionnaireCache,
  interview: InterviewRecord,
  /**
   * Its answers, already read, and their anonymised form if its end kept it (used when made with
   * the version and day the interview has; else the answers are anonymised again).
   */
  known?: FinishedAnswers,
): Promise<{ record: InterviewRecordWire } | { problem: string }> {
  if (!isOutgoingStatus(interview.status)) {
    return { problem: `status ${interview.status} is not sent` };
  }
  const q = await cache.get(interview.questionnaireId, interview.questionnaireVersion);
  if (q === undefined || !('definition' in q)) {
    return {
      problem: `questionnaire ${interview.questionnaireId} ${interview.questionnaireVersion} is not usable on this tablet`,
    };
  }
  const meta = interviewMeta(interview);
  const clock = recordClock(interview);
  const anonymised = known?.anonymised;
  if (
    anonymised !== undefined &&
    anonymised.questionnaireVersion === interview.questionnaireVersion &&
    anonymised.day === clock.today()
  ) {
    return { record: recordOf(q, meta, anonymised) };
  }
  const answers = known?.answers ?? (await store.getAnswers(interview.id));
  return { record: anonymise(q, meta, answers, clock) };
}

/**
 * Renews the device token: the renewed one replaces the current one in the settings in one write,
 * unless the tablet was enrolled again meanwhile. The server keeps the current token working until
 * the renewed one is first used, so a renewal without an answer (or a lost one) changes nothing
 * here: the next run asks again.
 */
async function renewToken(store: InterviewStore, api: ApiClient, current: string): Promise<void> {
  let renewed;
  try {
    renewed = await api.renewToken();
  } catch (error) {
    if (error instanceof ApiError) return;
    throw error;
  }
  await patchSettings(store, (settings) =>
    settings.deviceToken === current ? { ...settings, deviceToken: renewed.token } : settings,
  );
}

async function setSync(store: InterviewStore, id: string, sync: InterviewSync): Promise<void> {
  await store.updateInterview(id, { sync });
}

/** An installed version with these site packs instead of those it had (none: no field). */
function withSitePacks(
  have: InstalledQuestionnaire,
  sitePacks: readonly SitePack[],
): InstalledQuestionnaire {
  const next: InstalledQuestionnaire = {
    questionnaireId: have.questionnaireId,
    version: have.version,
    definition: have.definition,
    labelPacks: have.labelPacks,
    installedAt: have.installedAt,
  };
  return sitePacks.length === 0 ? next : { ...next, sitePacks };
}

/** The settings with the site packs' languages now known (none: no field). */
function withPackLanguages(current: DeviceSettings, languages: readonly string[]): DeviceSettings {
  const next: { -readonly [K in keyof DeviceSettings]: DeviceSettings[K] } = { ...current };
  delete next.sitePackLanguages;
  return languages.length === 0 ? next : { ...next, sitePackLanguages: languages };
}

/** Whether the site packs a version has here are the revisions the server names. */
function sameRevisions(
  have: readonly SitePack[] | undefined,
  named: readonly SitePackRevision[],
): boolean {
  const kept = have ?? [];
  return (
    kept.length === named.length &&
    named.every((n) => kept.some((p) => p.language === n.language && p.revision === n.revision))
  );
}

/**
 * Installs the published versions the tablet does not have: it reads the index (ids, versions,
 * the latest revision of each of its site's packs, no definitions), then downloads only the
 * versions missing here, or whose site packs changed, one at a time. An installed definition is
 * never replaced: only its site packs are, and a pack that does not load with it is not taken (the
 * version keeps those it had). Returns the versions installed and the languages of the site's
 * packs.
 */
async function installPublished(
  store: InterviewStore,
  cache: QuestionnaireCache,
  api: ApiClient,
  at: string,
): Promise<{ installed: string[]; packLanguages: string[] }> {
  const installed: string[] = [];
  const packLanguages = new Set<string>();
  for (const entry of await api.questionnaireIndex()) {
    for (const pack of entry.sitePacks ?? []) packLanguages.add(pack.language);
    const have = await store.getQuestionnaire(entry.questionnaireId, entry.version);
    // A server that names no site packs (an older one) leaves those a version has as they are.
    if (
      have !== undefined &&
      (entry.sitePacks === undefined || sameRevisions(have.sitePacks, entry.sitePacks))
    )
      continue;
    const published = await api.questionnaire(entry.questionnaireId, entry.version);
    if (
      published.questionnaireId !== entry.questionnaireId ||
      published.version !== entry.version
    ) {
      continue;
    }
    const sitePacks = (published.sitePacks ?? []).map(({ language, revision, pack }) => ({
      language,
      revision,
      pack,
    }));
    if (have !== undefined) {
      const result = loadQuestionnaire(have.definition, {
        labelPacks: installedPacks({ labelPacks: have.labelPacks, sitePacks }),
      });
      if (result.status === 'failure') continue;
      await store.putQuestionnaire(withSitePacks(have, sitePacks));
      cache.forget(entry.questionnaireId, entry.version);
      continue;
    }
    const labelPacks = published.labelPacks.map(({ source, pack }) => ({ source, pack }));
    let kept = sitePacks;
    let result = loadQuestionnaire(published.definition, {
      labelPacks: installedPacks({ labelPacks, sitePacks }),
    });
    if (result.status === 'failure' && sitePacks.length > 0) {
      // The version without the site's packs rather than no version at all.
      kept = [];
      result = loadQuestionnaire(published.definition, { labelPacks });
    }
    if (result.status === 'failure') continue;
    if (
      result.definition.id !== published.questionnaireId ||
      result.definition.version !== published.version
    ) {
      continue;
    }
    await store.putQuestionnaire({
      questionnaireId: published.questionnaireId,
      version: published.version,
      definition: published.definition,
      labelPacks,
      ...(kept.length === 0 ? {} : { sitePacks: kept }),
      installedAt: at,
    });
    installed.push(`${published.questionnaireId}@${published.version}`);
  }
  return { installed, packLanguages: [...packLanguages].sort() };
}

/**
 * One sync run. An automatic run (`force` false) does nothing during the backoff; a forced one
 * ("Synchroniser maintenant", the browser coming back online) tries at once. Never throws for
 * the network or the server: the outcome says what happened, and the store keeps it. Each request
 * has its deadline; `signal` (the scheduler's deadline for the whole run) gives up the request in
 * flight and those to come, and the run ends as after a network failure.
 */
export async function runSync(
  deps: SyncDeps,
  options: { readonly force?: boolean; readonly signal?: AbortSignal } = {},
): Promise<SyncOutcome> {
  const { store, cache } = deps;
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const limits = deps.limits ?? { maxRecords: MAX_BATCH_RECORDS, maxBytes: MAX_BATCH_BYTES };
  const settings = await store.getSettings();
  if (
    settings?.serverUrl === undefined ||
    settings.deviceToken === undefined ||
    settings.serverUrl === ''
  ) {
    return { kind: 'not_enrolled' };
  }
  if (settings.sync?.blocked !== undefined) {
    return { kind: 'blocked', reason: settings.sync.blocked.reason };
  }
  const startedAt = now();
  const nextAttemptAt = settings.sync?.nextAttemptAt;
  if (
    options.force !== true &&
    nextAttemptAt !== undefined &&
    nextAttemptAt > startedAt.toISOString()
  ) {
    return { kind: 'waiting', until: nextAttemptAt };
  }
  const api = apiClient(deps.transport, settings.serverUrl, settings.deviceToken, {
    deadlines: deps.deadlines,
    signal: options.signal,
  });
  let sent = 0;
  let refused = 0;
  let conflicts = 0;

  const waiting = await waitingInterviews(store);
  const ready: {
    item: { interview: InterviewRecord; record: InterviewRecordWire };
    bytes: number;
  }[] = [];
  let unbuildable = 0;
  for (const interview of waiting) {
    const built = await buildRecord(store, cache, interview);
    if ('problem' in built) {
      // A local problem (a questionnaire missing): kept waiting with the reason, tried next run.
      unbuildable += 1;
      await setSync(store, interview.id, {
        ...(interview.sync ?? { attempts: 0 }),
        state: 'waiting',
        reason: built.problem,
      });
      continue;
    }
    ready.push({
      item: { interview, record: built.record },
      bytes: bytesOf(JSON.stringify(built.record)),
    });
  }
  const { batches, tooBig } = cutBatches(ready, {
    ...limits,
    // `{"records":[` ... `],"pending":` + digits + `}`
    overhead: bytesOf('{"records":[],"pending":}') + 12,
  });
  for (const { interview } of tooBig) {
    refused += 1;
    await setSync(store, interview.id, {
      state: 'refused',
      reason: `the record is larger than the ${limits.maxBytes} bytes an upload may hold`,
      attempts: interview.sync?.attempts ?? 0,
    });
  }

  const fail = async (error: ApiError, remaining: readonly { interview: InterviewRecord }[]) => {
    const at = now().toISOString();
    const kind: SyncErrorKind =
      error.kind === 'network' && deps.isOnline?.() === false ? 'offline' : error.kind;
    const described = {
      lastError: error.message,
      lastErrorKind: kind,
      ...(error.status === undefined ? {} : { lastErrorStatus: error.status }),
    };
    if (error.kind === 'unauthorized') {
      const blocked = { reason: error.message, at };
      await patchSettings(store, (current) => ({
        ...current,
        // A 401 always has its status, so no status of an earlier error survives here.
        sync: { ...(current.sync ?? { failures: 0 }), lastRunAt: at, ...described, blocked },
      }));
      return { kind: 'blocked' as const, reason: error.message };
    }
    for (const { interview } of remaining) {
      await setSync(store, interview.id, {
        state: 'waiting',
        attempts: (interview.sync?.attempts ?? 0) + 1,
        lastAttemptAt: at,
        reason: error.message,
      });
    }
    const failures = (settings.sync?.failures ?? 0) + 1;
    const retryAt = new Date(
      now().getTime() + backoffDelayMs(failures, random, deps.backoff ?? DEFAULT_BACKOFF),
    ).toISOString();
    await patchSettings(store, (current) => ({
      ...current,
      sync: {
        failures,
        nextAttemptAt: retryAt,
        lastRunAt: at,
        ...described,
        ...(current.sync?.lastSuccessAt === undefined
          ? {}
          : { lastSuccessAt: current.sync.lastSuccessAt }),
      },
    }));
    const pending = (await waitingInterviews(store)).length;
    return {
      kind: 'failed' as const,
      error: error.message,
      retryAt,
      sent,
      refused,
      conflicts,
      pending,
    };
  };

  const queued = batches.reduce((total, batch) => total + batch.length, 0);
  let left = queued + unbuildable;
  for (const [index, batch] of batches.entries()) {
    left -= batch.length;
    let results;
    try {
      results = (await api.upload({ records: batch.map((entry) => entry.record), pending: left }))
        .results;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return fail(error, batches.slice(index).flat());
    }
    const at = now().toISOString();
    const byId = new Map(results.map((result) => [result.id, result]));
    for (const { interview } of batch) {
      const result = byId.get(interview.id);
      const attempts = interview.sync?.attempts ?? 0;
      if (result === undefined) {
        await setSync(store, interview.id, {
          state: 'waiting',
          attempts: attempts + 1,
          lastAttemptAt: at,
          reason: 'the server did not answer for this record',
        });
      } else if (result.status === 'accepted' || result.status === 'duplicate') {
        sent += 1;
        await setSync(store, interview.id, { state: 'sent', attempts, sentAt: at });
      } else {
        if (result.status === 'rejected') refused += 1;
        else conflicts += 1;
        await setSync(store, interview.id, {
          state: result.status === 'rejected' ? 'refused' : 'conflict',
          attempts,
          lastAttemptAt: at,
          reason: result.reason ?? result.status,
        });
      }
    }
  }

  // Uploads are done: what the server publishes for this site.
  let installed: string[];
  try {
    const fromIndex = await installPublished(store, cache, api, now().toISOString());
    installed = fromIndex.installed;
    const packLanguages = fromIndex.packLanguages;
    if (JSON.stringify(settings.sitePackLanguages ?? []) !== JSON.stringify(packLanguages))
      await patchSettings(store, (current) => withPackLanguages(current, packLanguages));
    const plan = planOf(settings.quotaPlan);
    const drafts =
      plan === undefined
        ? []
        : openDrafts(plan, await store.listInterviews(), settings.site, now());
    const quota = await api.quota(settings.site, drafts, settings.interviewer);
    const receivedAt = now().toISOString();
    await patchSettings(store, (current) => {
      if (current.site !== quota.site) return current;
      // The pick-up points and the site's settings come whether or not the site has a plan; a
      // server older than site settings sends none, and the tablet keeps those it has.
      const withPoints = withSiteSettings(
        { ...current, pickupPoints: quota.pickupPoints },
        quota.settings,
      );
      if (quota.plan === null) return withPoints;
      return {
        ...withPoints,
        quotaPlan: quota.plan,
        siteCounts: {
          completed: quota.counts.completed,
          screenedOut: quota.counts.screenedOut,
          at: quota.at,
          receivedAt,
          ...(quota.interviewerCounts === undefined
            ? {}
            : { interviewers: quota.interviewerCounts }),
        },
      };
    });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return fail(error, []);
  }
  await ensureServerKey(store, deps.transport);
  if (api.renewalDue()) await renewToken(store, api, settings.deviceToken);
  const at = now().toISOString();
  await patchSettings(store, (current) => ({ ...current, sync: succeeded(current.sync, at) }));
  const pending = (await waitingInterviews(store)).length;
  return { kind: 'done', sent, refused, conflicts, pending, installed };
}

/** How many interviews wait to be sent. */
export async function pendingCount(store: InterviewStore): Promise<number> {
  return (await waitingInterviews(store)).length;
}
