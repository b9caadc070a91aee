// The server's refusals and failures in the dashboard's language: the server answers a machine
// code with its parameters (and an English message for API users and logs); this words them.
import type { ErrorParams } from '../core/protocol/index.ts';
import { ErrorIssueSchema } from '../core/protocol/index.ts';
import type { QuotaIssue, QuotaPlan } from '../core/quota/index.ts';
import { QUOTA_ISSUE_CODES } from '../core/quota/index.ts';
import { cellLabel } from '../app/components/QuotaTables.tsx';
import { ApiError } from './api.ts';
import { quotaIssueText } from './file-issues.ts';
import { nameOfLanguage } from './format.ts';
import { refusedReasonTexts } from './record-problems.ts';
import type { DashboardTexts } from './text.ts';
import { fill } from './text.ts';

/** What helps word a refusal: the interface's language, and the site's plan for its cells. */
export interface RefusalContext {
  readonly language: string;
  readonly plan?: QuotaPlan | null | undefined;
}

/** "45 s" or "15 min": the wait a Retry-After gave (a minute when it gave none). */
export function waitText(seconds: number | undefined): string {
  const wait = seconds ?? 60;
  return wait < 60 ? `${wait} s` : `${Math.ceil(wait / 60)} min`;
}

function text(params: ErrorParams, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function strings(params: ErrorParams, name: string): string[] {
  const value = params[name];
  return Array.isArray(value)
    ? value.filter((entry): entry is string => typeof entry === 'string')
    : [];
}

function records(params: ErrorParams, name: string): Readonly<Record<string, string | number>>[] {
  const value = params[name];
  return Array.isArray(value)
    ? value.filter(
        (entry): entry is Readonly<Record<string, string | number>> =>
          typeof entry === 'object' && entry !== null,
      )
    : [];
}

/**
 * A refused plan's issues (`params.issues`), each at its place in the interface's language: the
 * server sends the core's codes and values, worded here as a plan file's are. A code these words
 * do not know, or values they cannot read, keep the server's English; a bare string (an older
 * server's) is shown as it came.
 */
function planIssues(params: ErrorParams, language: string): string[] {
  const value = params['issues'];
  if (!Array.isArray(value)) return [];
  const colon = language === 'en' ? ':' : ' :';
  return (value as readonly unknown[]).flatMap((entry) => {
    if (typeof entry === 'string') return [entry];
    const issue = ErrorIssueSchema.safeParse(entry);
    if (!issue.success) return [];
    const { path, code, message } = issue.data;
    let words = message;
    if ((QUOTA_ISSUE_CODES as readonly string[]).includes(code))
      try {
        // The code is one of the core's: its values are the ones its words read.
        words = quotaIssueText(issue.data as unknown as QuotaIssue, language);
      } catch {
        words = message;
      }
    return [path === '' ? words : `${path}${colon} ${words}`];
  });
}

/** "a, b ou c" (`disjunction`) or "a, b et c", in the interface's language. */
function list(items: readonly string[], language: string, type: 'conjunction' | 'disjunction') {
  try {
    return new Intl.ListFormat(language, { type }).format(items);
  } catch {
    return items.join(', ');
  }
}

function forbidden(refusal: ApiError, words: DashboardTexts, language: string): string {
  const site = text(refusal.params, 'site');
  const roles = strings(refusal.params, 'roles').map(
    (role) => (words.refusalRoles as Readonly<Record<string, string>>)[role] ?? role,
  );
  const r = words.refusals;
  if (roles.length === 0) return site === undefined ? r.forbidden : fill(r.noAccess, { site });
  const needed = list(roles, language, 'disjunction');
  return site === undefined
    ? fill(r.forbiddenRoles, { roles: needed })
    : fill(r.forbiddenSite, { roles: needed, site });
}

function notFound(params: ErrorParams, words: DashboardTexts): string {
  const r = words.refusals;
  const site = text(params, 'site') ?? '';
  switch (text(params, 'what')) {
    case 'site':
      return fill(r.notFoundSite, { site });
    case 'user':
      return fill(r.notFoundUser, { user: text(params, 'user') ?? '' });
    case 'device':
      return r.notFoundDevice;
    case 'enrolment_code':
      return r.notFoundEnrolmentCode;
    case 'refused_record':
      return r.notFoundRefusedRecord;
    case 'questionnaire':
      return fill(r.notFoundQuestionnaire, {
        questionnaire: [text(params, 'questionnaire'), text(params, 'version')]
          .filter((part) => part !== undefined)
          .join(' '),
      });
    case 'session':
      return r.notFoundSession;
    default:
      return r.notFound;
  }
}

function badRequest(refusal: ApiError, words: DashboardTexts, language: string): string {
  const { params } = refusal;
  const r = words.refusals;
  const languages = (name: string) =>
    list(
      strings(params, name).map((code) => nameOfLanguage(code, language)),
      language,
      'conjunction',
    );
  switch (text(params, 'reason')) {
    case 'unknown_time_zone': {
      const timeZone = text(params, 'timeZone');
      return timeZone === undefined
        ? r.unknownTimeZone
        : fill(r.unknownTimeZoneNamed, { timeZone });
    }
    case 'unknown_languages':
      return fill(r.unknownLanguages, {
        languages: languages('languages'),
        known: languages('known'),
      });
    case 'every_site_analyst_only':
      return r.everySiteAnalystOnly;
    case 'unknown_site':
      return fill(r.notFoundSite, { site: text(params, 'site') ?? '' });
    case 'too_many_interviewers':
      return fill(r.tooManyInterviewers, { max: text(params, 'max') ?? '' });
    case 'which_questionnaire':
      return r.whichQuestionnaire;
    case 'scripts_need_codes':
      return r.scriptsNeedCodes;
    case 'invalid': {
      const field = text(params, 'field');
      if (field !== undefined)
        return fill(r.invalidField, { field, message: detail(refusal.message, field) });
      return fill(r.refused, { message: refusal.message });
    }
    default:
      return fill(r.refused, { message: refusal.message });
  }
}

/** The server's message without the field it starts with ("field: message"). */
function detail(message: string, field: string): string {
  return message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}

function belowDone(refusal: ApiError, words: DashboardTexts, context: RefusalContext): string {
  const cells = records(refusal.params, 'cells');
  if (cells.length === 0) return fill(words.refusals.refused, { message: refusal.message });
  const plural = new Intl.PluralRules(context.language);
  return cells
    .map((problem) => {
      const done = Number(problem['done'] ?? 0);
      const table = String(problem['table'] ?? '');
      const key = String(problem['cell'] ?? '');
      const cell =
        context.plan === null || context.plan === undefined
          ? `${table} ${key.split('|').join(' · ')}`
          : cellLabel(context.plan, table, key, context.language);
      return fill(
        plural.select(done) === 'one' ? words.refusals.belowDoneOne : words.refusals.belowDoneOther,
        { interviewer: String(problem['interviewer'] ?? ''), count: done, cell },
      );
    })
    .join(' ');
}

/** A refusal of a refused record's accept or dismiss (409): still refused, a twin, resolved. */
function refusedRecord(refusal: ApiError, words: DashboardTexts, language: string): string {
  const { params } = refusal;
  switch (refusal.code) {
    case 'still_refused': {
      // The server's problems, field by field, as the refused records list words them.
      const problem = text(params, 'problem');
      return fill(words.refusedStill, {
        problem:
          problem === undefined
            ? refusal.message
            : refusedReasonTexts(problem, language).join(language === 'en' ? '; ' : ' ; '),
      });
    }
    case 'conflict':
      return fill(words.refusedConflict, { record: text(params, 'record') ?? '' });
    default: {
      const state = text(params, 'state');
      const by = text(params, 'by');
      const done =
        state === 'dismissed' ? words.refusedStates.dismissed : words.refusedStates.accepted;
      return by === undefined
        ? fill(words.refusedAlready, { state: done })
        : fill(words.refusedAlreadyBy, { state: done, by });
    }
  }
}

/**
 * A failed call in the dashboard's words: every code the server answers the dashboard with,
 * worded from its parameters; a code it does not know yet keeps the server's message after
 * French (or English) words saying that the server refused.
 */
export function refusalText(
  failure: ApiError,
  words: DashboardTexts,
  context: RefusalContext,
): string {
  const r = words.refusals;
  const { params } = failure;
  const { language } = context;
  const issues = () => planIssues(params, language).join(' ; ') || failure.message;
  switch (failure.code) {
    case 'network':
      return words.networkError;
    case 'http':
      return fill(r.http, { status: failure.status });
    case 'bad_response':
      return r.badResponse;
    case 'internal':
      return r.internal;
    case 'too_large':
      return r.tooLarge;
    // Only a body sent compressed gets these (tablets' uploads; a proxy that compresses).
    case 'bad_encoding':
    case 'unsupported_encoding':
      return r.badEncoding;
    case 'busy':
      return fill(r.busy, { wait: waitText(failure.retryAfterSeconds) });
    case 'rate_limited':
      return fill(r.rateLimited, { wait: waitText(failure.retryAfterSeconds) });
    case 'locked':
      return fill(words.loginLocked, { wait: waitText(failure.retryAfterSeconds) });
    case 'unauthorized':
      return words.sessionExpired;
    case 'bad_link':
      return words.linkBad;
    case 'wrong_password':
      return r.wrongPassword;
    case 'forbidden':
      return forbidden(failure, words, language);
    case 'not_found':
      return notFound(params, words);
    case 'exists': {
      const what = text(params, 'what');
      if (what === 'site') return fill(r.existsSite, { site: text(params, 'site') ?? '' });
      if (what === 'user') return fill(r.existsUser, { user: text(params, 'user') ?? '' });
      if (what === 'questionnaire')
        return fill(r.existsQuestionnaire, {
          questionnaire: text(params, 'questionnaire') ?? '',
          version: text(params, 'version') ?? '',
        });
      return r.exists;
    }
    case 'confirm':
      return fill(r.confirm, { site: text(params, 'site') ?? '' });
    case 'last_admin':
      return fill(r.lastAdmin, { user: text(params, 'user') ?? '' });
    case 'self':
      return r.self;
    case 'site_closed':
      return fill(r.siteClosed, { site: text(params, 'site') ?? '' });
    case 'no_plan':
      return r.noPlan;
    case 'invalid_questionnaire':
      // The server's message lists the loader's issues ("path: message; …").
      return fill(r.invalidQuestionnaire, { issues: failure.message });
    case 'invalid_pack':
      // The same: the loader's issues with the version's definition, "path: message; …".
      return fill(r.invalidPack, { issues: failure.message });
    case 'invalid_plan':
      return text(params, 'reason') === 'other_site'
        ? fill(r.planOtherSite, {
            planSite: text(params, 'planSite') ?? '',
            site: text(params, 'site') ?? '',
          })
        : fill(r.invalidPlan, { issues: issues() });
    case 'invalid_allocations':
      return text(params, 'reason') === 'twice'
        ? fill(r.allocationTwice, { interviewer: text(params, 'interviewer') ?? '' })
        : fill(r.invalidAllocations, { issues: issues() });
    case 'below_done':
      return belowDone(failure, words, context);
    case 'still_refused':
    case 'conflict':
    case 'resolved':
      return refusedRecord(failure, words, language);
    case 'unreadable_backup':
      // The server's message is the decryption's or the format's problem itself.
      return fill(r.unreadableBackup, { problem: failure.message });
    case 'unknown_device':
      return r.unknownDevice;
    case 'wrong_site':
      return fill(r.wrongSite, { site: text(params, 'site') ?? '' });
    case 'no_recovery_secret':
      return r.noRecoverySecret;
    case 'bad_request':
      return badRequest(failure, words, language);
    default:
      return fill(r.refused, { message: failure.message });
  }
}

/**
 * Any failure in the dashboard's words: an ApiError as `refusalText` words it, anything else (a
 * bug, a browser's error) as its own message.
 */
export function failureText(
  failure: unknown,
  words: DashboardTexts,
  context: RefusalContext,
): string {
  if (failure instanceof ApiError) return refusalText(failure, words, context);
  return failure instanceof Error ? failure.message : String(failure);
}

/**
 * `explain` for a form about the site's plan: a refusal naming cells (`below_done`) says them
 * with the plan's labels; anything else as `explain` says it.
 */
export function explainWithPlan(
  explain: (failure: unknown) => string,
  words: DashboardTexts,
  context: RefusalContext,
): (failure: unknown) => string {
  return (failure) =>
    failure instanceof ApiError && failure.code === 'below_done'
      ? refusalText(failure, words, context)
      : explain(failure);
}
