// The app's storage contract: what the screens and the sync client may ask of the device's
// database. One Dexie implementation (dexie-store.ts) and one in memory (memory-store.ts).
import type {
  AlertEvent,
  BreakOff,
  IncomeBands,
  SitePack,
  SiteSettings,
} from '../../core/protocol/index.ts';
import type { Answer } from '../../core/questionnaire/index.ts';
import type { Questionnaire } from '../../core/questionnaire/index.ts';
import type { CellCounts } from '../../core/quota/index.ts';
import type { AnonymisedAnswers } from '../../core/record/index.ts';

/**
 * `abandoned`: stopped before consent, stays on the device. `broken_off`: stopped after consent
 * (the interviewer said why): sent as a partial record, never counted in the quotas.
 */
export type InterviewStatus =
  'screening' | 'screened_out' | 'in_progress' | 'completed' | 'abandoned' | 'broken_off';

/** One respondent's interview on this device. */
export interface InterviewRecord {
  /** Random UUID made on the device: it makes every upload idempotent. */
  readonly id: string;
  readonly questionnaireId: string;
  /** The version the interview started with; it stays pinned to it forever. */
  readonly questionnaireVersion: string;
  readonly site: string;
  readonly interviewer: string;
  readonly deviceId: string;
  /**
   * Where the interviewer stood (lieu d'enquête), chosen from the site's list or typed in when
   * the interview started; absent on interviews started before the app asked. Not indexed.
   */
  readonly pickupPoint?: string;
  readonly status: InterviewStatus;
  /** Training interview: never counted in quotas, never synced, never exported. */
  readonly practice: boolean;
  /** The item on screen (`null` before the first one, `'review'` on the review screen). */
  readonly position: string | null;
  /** Language the respondent is interviewed in now. */
  readonly language: string;
  readonly appVersion: string;
  /** ISO timestamps. */
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly endedAt?: string;
  /** Screen-out id (a reason declared by the questionnaire) when `screened_out`. */
  readonly screenOutId?: string;
  readonly abandonReason?: string;
  /** Why and at which item a `broken_off` interview stopped, and when. */
  readonly breakOff?: BreakOff;
  /** Alerts shown to the interviewer, with when they fired. */
  readonly alerts?: readonly { readonly id: string; readonly at: string }[];
  /**
   * The same alerts as events: when each was raised and acknowledged (null: not yet), and what
   * the interviewer did. Written the moment an alert is raised, so the alert still waiting for its
   * acknowledgement is shown again when the interview is opened again (reload, crash, restart).
   * Absent on interviews that ended before the app kept them: their records go without.
   */
  readonly alertEvents?: readonly AlertEvent[];
  /**
   * Milliseconds spent on each item shown, summed over visits, kept with every move: the record's
   * time per item. Absent on interviews that ended before the app kept it.
   */
  readonly itemMs?: Readonly<Record<string, number>>;
  /** Every language the interview was held in, in order of first use (with `itemMs`). */
  readonly languages?: readonly string[];
  /**
   * The site's income bands when the interview started: shown for its income item and sent with
   * its record, unchanged by settings that arrive while it runs. Absent: the questionnaire's own.
   */
  readonly incomeBands?: IncomeBands;
  /**
   * The revision of each site pack its version had here when the interview started, by language:
   * the record names those of the languages it was asked in. Absent: the site had none.
   */
  readonly labelPacks?: Readonly<Record<string, number>>;
  /**
   * The quota decision taken when the quota questions were answered: the respondent's category
   * per quota variable (what counts them), and the outcome. Kept so that counting needs no answers.
   */
  readonly quota?: {
    readonly categories: Readonly<Record<string, string | undefined>>;
    readonly status: 'accepted' | 'nearly_full' | 'full' | 'unknown';
    /** Cells that were full (`table/key`), for a quota screen-out. */
    readonly fullCells?: readonly string[];
    readonly at: string;
  };
  /**
   * Where the upload of this interview stands (completed and screened-out, non-practice
   * interviews only; absent means waiting, never tried). Not indexed: no schema change needed.
   */
  readonly sync?: InterviewSync;
}

/**
 * An interview's upload state. `sent` is the server's acknowledgement (accepted, or duplicate:
 * it already had it); `refused` (invalid record) and `conflict` (another record with this id)
 * are final: never retried automatically. Nothing is deleted from the device in any state.
 */
export interface InterviewSync {
  readonly state: 'waiting' | 'sent' | 'refused' | 'conflict';
  /** The server's reason for `refused` and `conflict`, or why the device could not send it. */
  readonly reason?: string;
  /** Uploads tried without an answer for this record (network, server error, rate limit). */
  readonly attempts: number;
  readonly lastAttemptAt?: string;
  /** When the server acknowledged it (device clock). */
  readonly sentAt?: string;
}

/** The site-wide quota counts last downloaded from the server. */
export interface SiteCounts {
  readonly completed: CellCounts;
  readonly screenedOut: CellCounts;
  /** When the server counted (server clock). */
  readonly at: string;
  /** When the device received them (device clock): uploads acknowledged later are not in them. */
  readonly receivedAt: string;
  /** Completed interviews per interviewer across the site's tablets (absent from older servers). */
  readonly interviewers?: Readonly<Record<string, CellCounts>>;
}

/**
 * What kind of failure a sync run met, so the home screen can say what to do: `offline` (no
 * answer, and the browser said it had no network), `network` (no answer although online: the
 * server is unreachable), `unauthorized` (401), `rate_limited` (429), `server` (5xx), `client`
 * (another 4xx, such as 413), `bad_response` (an answer the wire schemas refuse).
 */
export type SyncErrorKind =
  'offline' | 'network' | 'unauthorized' | 'rate_limited' | 'server' | 'client' | 'bad_response';

/** The sync client's memory across reloads: its backoff, its last run, and a revoked token. */
export interface SyncSettings {
  /** Uploads failed in a row (network, 5xx, 429); 0 after any answered upload. */
  readonly failures: number;
  /** No automatic attempt before this time (exponential backoff with full jitter). */
  readonly nextAttemptAt?: string;
  readonly lastRunAt?: string;
  /** The last run that reached the server and finished. */
  readonly lastSuccessAt?: string;
  /** The last run's error, for the home screen (absent when the last run succeeded). */
  readonly lastError?: string;
  /** Its kind and HTTP status (absent in settings written before they were kept). */
  readonly lastErrorKind?: SyncErrorKind;
  readonly lastErrorStatus?: number;
  /** The server refused the token (revoked or unknown): sync stops until the tablet is enrolled again. */
  readonly blocked?: { readonly reason: string; readonly at: string };
}

/** One answer: one small write, keyed by interview and item. */
export interface AnswerRecord {
  readonly interviewId: string;
  /** Item or grid row id. */
  readonly itemId: string;
  readonly value: Answer;
  readonly answeredAt: string;
}

/**
 * The answers of a completed or screened-out interview in one row: a copy of its answer rows, made
 * by the write that ended it, so that an export reads one row per interview rather than one per
 * answer. The item ids in key order, their values alongside: two arrays rather than a pair per
 * answer, which V8 deserialises several times faster.
 */
export interface FinishedAnswersRecord {
  readonly interviewId: string;
  readonly itemIds: readonly string[];
  /** `values[i]` answers `itemIds[i]`. */
  readonly values: readonly Answer[];
}

/**
 * The answers of a completed or screened-out interview anonymised (`anonymiseAnswers`), made by
 * the app in the write that ended it (WriteOptions.seal), from the answers that write copied: the
 * tablet's export takes them instead of anonymising again, which was most of its work,
 * when made with the questionnaire version and end day the interview has. A table of its own,
 * not a field of FinishedAnswersRecord: the export then reads (and deserialises) only these.
 */
export interface AnonymisedAnswersRecord extends AnonymisedAnswers {
  readonly interviewId: string;
}

/** What the write that ends an interview makes of its answers to keep beside their copy. */
export type Seal = (answers: ReadonlyMap<string, Answer>) => AnonymisedAnswers;

/** Paradata: what happened when, for durations and quality checks. */
export interface ParadataEvent {
  readonly interviewId: string;
  readonly at: string;
  readonly type: 'enter' | 'leave' | 'language' | 'alert' | 'resume' | 'status';
  readonly itemId?: string;
  /** Milliseconds spent on the item, on `leave`. */
  readonly durationMs?: number;
  readonly detail?: string;
}

/** A questionnaire version installed on the device (definition and label packs as JSON). */
export interface InstalledQuestionnaire {
  readonly questionnaireId: string;
  readonly version: string;
  readonly definition: unknown;
  readonly labelPacks: readonly { readonly source: string; readonly pack: unknown }[];
  /**
   * The site's own packs of the version (a language or a wording for this site only), the latest
   * revision of each as the last sync brought it, loaded after `labelPacks`. Absent: none.
   */
  readonly sitePacks?: readonly SitePack[];
  readonly installedAt: string;
}

/** An installed version compiled (`loadQuestionnaire`) by one build of the app, kept to start faster. */
export interface CompiledQuestionnaire {
  readonly questionnaireId: string;
  readonly version: string;
  /** The build of the app that compiled it: another build compiles again. */
  readonly build: string;
  readonly questionnaire: Questionnaire;
}

/** Device settings (site, interviewer, device id, interface language, practice mode...). */
export interface DeviceSettings {
  /** Given by the server at enrolment; a random UUID on a device used without a server. */
  readonly deviceId: string;
  /** Given by the server at enrolment; typed in on a device used without a server. */
  readonly site: string;
  readonly interviewer: string;
  readonly uiLanguage: 'fr' | 'en';
  readonly practiceMode: boolean;
  /**
   * The site's settings (name, time zone, helpline and protocol contacts, languages...) as the
   * server last sent them, at enrolment or with the quota state; absent on a tablet without a
   * server, or enrolled with a server that sends none.
   */
  readonly siteSettings?: SiteSettings;
  /**
   * The helpline typed on a tablet enrolled before sites had settings: the alert gives it until
   * the site's settings arrive, which drop it. Never typed any more.
   */
  readonly typedHelpline?: string;
  /** The site's quota plan (JSON checked by loadQuotaPlan), once imported or downloaded. */
  readonly quotaPlan?: unknown;
  /** The central server's address (origin, no trailing slash), once the tablet is enrolled. */
  readonly serverUrl?: string;
  /** The device token (`dev_...`) the server gave at enrolment: it authorises uploads. */
  readonly deviceToken?: string;
  /** The site's counts from the server, merged with this device's unsent interviews for quotas. */
  readonly siteCounts?: SiteCounts;
  /**
   * The languages of the site's own label packs, as the last sync found them: offered for
   * interviews beside the site's languages (in the versions that have them).
   */
  readonly sitePackLanguages?: readonly string[];
  /**
   * The site's pick-up points (lieux d'enquête) as the server last sent them; absent until a
   * sync brings them (a tablet without a server never has any: the place is typed in).
   */
  readonly pickupPoints?: readonly string[];
  /** The pick-up point of the last interview started here, offered first for the next one. */
  readonly lastPickupPoint?: string;
  readonly sync?: SyncSettings;
  /** The server's public key backup files are encrypted to (`GET /server-key`), once fetched. */
  readonly serverKey?: { readonly keyId: string; readonly jwk: JsonWebKey };
}

/** How a write reaches the disk. */
export interface WriteOptions {
  /**
   * Done once the browser holds the write, before it is flushed to disk (IndexedDB's 'relaxed'
   * durability: it survives the browser crashing or being closed, not a power cut or a system
   * crash in the next second or so; the next durable write flushes it too). For what an
   * interview under way writes besides its answers: the position, paradata, alerts shown, the
   * quota decision, all of which the screen finds again or makes again from the answers. The
   * device's writes run one at a time, so a flush held by these would hold up the next answer.
   */
  readonly relaxed?: boolean;
  /**
   * For the write that ends an interview: called in its transaction with the answers it copies,
   * and what it returns (their anonymised form) kept beside them (AnonymisedAnswersRecord).
   */
  readonly seal?: Seal;
}

/** An interview's answers anonymised as its end kept them, or (without those) its answers. */
export type FinishedAnswers =
  | { readonly anonymised: AnonymisedAnswers; readonly answers?: undefined }
  | { readonly answers: Map<string, Answer>; readonly anonymised?: undefined };

export interface InterviewStore {
  /**
   * Adds a new interview; rejects if one with the same id exists (it is never overwritten). It has
   * no answers yet, so no one-row copy of them, whatever its status.
   */
  createInterview(record: InterviewRecord): Promise<void>;
  getInterview(id: string): Promise<InterviewRecord | undefined>;
  /** Interviews, most recently updated first. */
  listInterviews(): Promise<InterviewRecord[]>;
  /**
   * Saves one answer (or deletes it with `undefined`) in one small transaction, durably before
   * the promise resolves. Nothing else is written (position and paradata go with
   * `updateInterview`), and nothing is read: it does not check that the interview exists, nor
   * that it is still under way. The answers of a completed or screened-out interview are final:
   * the write that ended it copied them into one row (`getAnswersOfMany` reads it), which an answer
   * saved afterwards would not change. The app saves none once it has issued that write.
   */
  saveAnswer(
    interviewId: string,
    itemId: string,
    value: Answer | undefined,
    at: string,
  ): Promise<void>;
  /** The interview's answers by item id (empty when it has none). */
  getAnswers(interviewId: string): Promise<Map<string, Answer>>;
  /**
   * The answers of several interviews in one read, by interview id, each as `getAnswers` returns
   * it (an interview without answers, or unknown, maps to an empty map). A completed or
   * screened-out interview's answers come from the one row the write that ended it made (the
   * same answers, read faster); those of any other interview, or of one without that row (ended
   * before the row existed, or created ended), from its answer rows.
   */
  getAnswersOfMany(interviewIds: readonly string[]): Promise<Map<string, Map<string, Answer>>>;
  /**
   * For an export: of each interview, its answers anonymised as its end kept them
   * (AnonymisedAnswersRecord) or, without those, its answers as `getAnswersOfMany` gives them.
   */
  getFinishedOfMany(interviewIds: readonly string[]): Promise<Map<string, FinishedAnswers>>;
  /**
   * Changes an interview (status, position, language, ...) and logs paradata, in one transaction:
   * the patch is merged into the stored record (`updatedAt` changes only if the patch has it).
   * A patch with a status also keeps the one-row copy of the answers in step, in that transaction:
   * made from the answer rows when the interview is then completed or screened out, dropped
   * otherwise. Rejects with `InterviewNotFoundError` for an unknown id and `ParadataMismatchError`
   * for an event of another interview; then, as on any failure, nothing at all is written.
   */
  updateInterview(
    id: string,
    patch: Partial<Omit<InterviewRecord, 'id'>>,
    events?: readonly ParadataEvent[],
  ): Promise<void>;
  /**
   * Stores the interview as given, whole, in place of the stored one, and logs paradata, in one
   * transaction, durably before the promise resolves (unless `relaxed`); it reads no record first,
   * so it neither checks that the interview exists nor keeps a change made elsewhere since the
   * caller read it. For the screen running an interview under way, which holds its current
   * record: nothing else writes an interview until it ends (sync only writes ended ones). A
   * record completed or screened out (the write that ends the interview) also copies the answer
   * rows into one row, in the same transaction (see `getAnswersOfMany`); a status never goes back
   * from there, so other records leave that row alone. Rejects with `ParadataMismatchError` for
   * an event of another interview; on any failure nothing is written.
   */
  writeInterview(
    record: InterviewRecord,
    events?: readonly ParadataEvent[],
    options?: WriteOptions,
  ): Promise<void>;
  /** The interview's paradata, in the order it was logged. */
  listParadata(interviewId: string): Promise<ParadataEvent[]>;
  /** Installs (or replaces) a version, and drops its compiled form. */
  putQuestionnaire(questionnaire: InstalledQuestionnaire): Promise<void>;
  getQuestionnaire(
    questionnaireId: string,
    version: string,
  ): Promise<InstalledQuestionnaire | undefined>;
  /** Installed questionnaires, by id then version (string order). */
  listQuestionnaires(): Promise<InstalledQuestionnaire[]>;
  /** The compiled form of an installed version, if one was kept (`putQuestionnaire` drops it). */
  getCompiled(questionnaireId: string, version: string): Promise<CompiledQuestionnaire | undefined>;
  /** Keeps (or replaces) the compiled form of an installed version; a cache, not held durably. */
  putCompiled(compiled: CompiledQuestionnaire): Promise<void>;
  getSettings(): Promise<DeviceSettings | undefined>;
  putSettings(settings: DeviceSettings): Promise<void>;
}
