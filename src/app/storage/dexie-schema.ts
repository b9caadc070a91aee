// The device's database as IndexedDB holds it: the Dexie subclass with its typed tables, every
// version of the schema with its upgrade, and why each key and index exists.
import Dexie from 'dexie';
import type { DexieOptions, EntityTable, Table, Transaction } from 'dexie';
import type { Answer } from '../../core/questionnaire/index.ts';
import { finishedAnswersOf } from './finished-answers.ts';
import type { KeyRing } from './vault.ts';
import type {
  AnonymisedAnswersRecord,
  AnswerRecord,
  CompiledQuestionnaire,
  DeviceSettings,
  FinishedAnswersRecord,
  InstalledQuestionnaire,
  InterviewRecord,
  InterviewStatus,
  ParadataEvent,
} from './types.ts';

export const DEFAULT_DATABASE_NAME = 'smpg-collect';

// Dexie turns its debug mode on by itself on pages served from localhost or 127.0.0.1 (one
// `npm start` on one machine is such a deployment): a console task for every operation, which
// slows each answer's save. Debug stays on for the development server only.
Dexie.debug = import.meta.env?.DEV === true;

/** A paradata row: the event and the key IndexedDB numbers it with, in the order logged. */
export type ParadataRow = ParadataEvent & { readonly seq: number };

/*
 * Rows sealed by the tablet's key (version 6, vault.ts): only what a key or an index needs stays
 * in clear, with the interview's status and whether the server holds it (what the wrong-PIN
 * erasure reads without the key); every other field, answers first, is in `sealed`. Rows written
 * before (or by a store without a key) are the plain records, read as they are.
 */

/** An interview sealed: its id, last update and status in clear, and whether the server has it. */
export interface SealedInterviewRow {
  readonly id: string;
  readonly updatedAt: string;
  readonly status: InterviewStatus;
  /** The server acknowledged it (`sync.state` is `sent`). */
  readonly sent: boolean;
  readonly sealed: Uint8Array;
}

export interface SealedAnswerRow {
  readonly interviewId: string;
  readonly itemId: string;
  readonly sealed: Uint8Array;
}

export interface SealedParadataRow {
  readonly seq?: number;
  readonly interviewId: string;
  readonly sealed: Uint8Array;
}

/** A finished interview's answers (copy or anonymised) sealed, under the interview's id. */
export interface SealedCopyRow {
  readonly interviewId: string;
  readonly sealed: Uint8Array;
}

export type InterviewRow = InterviewRecord | SealedInterviewRow;
export type AnswerRow = AnswerRecord | SealedAnswerRow;
export type StoredParadataRow = ParadataRow | (SealedParadataRow & { readonly seq: number });
export type FinishedAnswersRow = FinishedAnswersRecord | SealedCopyRow;
export type AnonymisedAnswersRow = AnonymisedAnswersRecord | SealedCopyRow;

/** The settings table holds one row, under the key `'device'`. */
export interface SettingsRow extends DeviceSettings {
  readonly key: 'device';
  /**
   * The device token and the last place interviewed at, sealed by the tablet's key (version 6), in
   * place of `deviceToken` and `lastPickupPoint`.
   */
  readonly sealedPart?: Uint8Array;
}

/* ----------------------------------------------------------------------------------------------
 * Version 1: the first release. Devices in the field may still hold a database at this version,
 * so these shapes and SCHEMA_V1 never change; only the version 2 upgrade reads them.
 * -------------------------------------------------------------------------------------------- */

/** An interview as version 1 wrote it: `state` (renamed `status`), no practice flag, no alerts. */
export interface InterviewRowV1 {
  readonly id: string;
  readonly questionnaireId: string;
  readonly questionnaireVersion: string;
  readonly site: string;
  readonly interviewer: string;
  readonly deviceId: string;
  readonly state: InterviewStatus;
  readonly position: string | null;
  readonly language: string;
  readonly appVersion: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly endedAt?: string;
  readonly screenOutId?: string;
  readonly abandonReason?: string;
}

/** An answer as version 1 wrote it: no `answeredAt`. */
export interface AnswerRowV1 {
  readonly interviewId: string;
  readonly itemId: string;
  readonly value: Answer;
}

/** A paradata row as version 1 wrote it: the time on an item was `ms` (now `durationMs`). */
export interface ParadataRowV1 {
  readonly seq: number;
  readonly interviewId: string;
  readonly at: string;
  readonly type: ParadataEvent['type'];
  readonly itemId?: string;
  readonly ms?: number;
  readonly detail?: string;
}

/** An installed questionnaire as version 1 wrote it: no label packs (one language, built in). */
export interface QuestionnaireRowV1 {
  readonly questionnaireId: string;
  readonly version: string;
  readonly definition: unknown;
  readonly installedAt: string;
}

/** The settings row as version 1 wrote it: no practice mode, no helpline. */
export interface SettingsRowV1 {
  readonly key: 'device';
  readonly deviceId: string;
  readonly site: string;
  readonly interviewer: string;
  readonly uiLanguage: 'fr' | 'en';
}

/**
 * The settings row as versions 2 to 4 wrote it: the helpline typed on the tablet, no site
 * settings. Only the version 5 upgrade reads it.
 */
export type SettingsRowV4 = Omit<SettingsRow, 'siteSettings' | 'typedHelpline'> & {
  readonly helpline: string;
};

/**
 * Version 1 keys and indexes. Why each exists:
 * - interviews `id`: the UUID made on the device, stable for life (the upload key);
 *   `updatedAt`: the interview list, most recent first; `state`: "unfinished interviews".
 * - answers `[interviewId+itemId]`: one answer is one small `put` on its own key, and an
 *   interview's answers are one range on the key prefix; no other index is needed.
 * - paradata `++seq`: events are only ever appended, numbered in the order they happened;
 *   `interviewId`: an interview's events, in `seq` order.
 * - questionnaires `[questionnaireId+version]`: an interview is pinned to the version it started
 *   with, so several versions of one questionnaire live side by side.
 * - settings `key`: one row per kind of setting (only `'device'` so far).
 */
export const SCHEMA_V1 = {
  interviews: 'id, updatedAt, state',
  answers: '[interviewId+itemId]',
  paradata: '++seq, interviewId',
  questionnaires: '[questionnaireId+version]',
  settings: 'key',
} as const;

/**
 * Version 2: the interview index follows the field renamed `state` -> `status`
 * (sync and the list still ask for interviews by status). The other keys are unchanged; the
 * upgrade only fills and renames fields.
 */
export const SCHEMA_V2 = {
  interviews: 'id, updatedAt, status',
  answers: '[interviewId+itemId]',
  paradata: '++seq, interviewId',
  questionnaires: '[questionnaireId+version]',
  settings: 'key',
} as const;

/**
 * Version 3: adds `compiled [questionnaireId+version]`, the questionnaire of an installed
 * version as the engine runs it, kept so that a start (a resumed interview) skips checking and
 * compiling the definition again. A cache: each row says which build of the app made it, and is
 * made again when missing or made by another build. Nothing to move, so no upgrade function.
 */
export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  compiled: '[questionnaireId+version]',
} as const;

/**
 * Version 4: adds `finishedAnswers interviewId`, the answers of each completed or
 * screened-out interview in one row (FinishedAnswersRecord), written in the transaction that ends
 * the interview. An export reads one row per interview there instead of one row per answer. The
 * key is the interview's id because the row is only ever read whole, by interview; no index. The
 * answer rows stay the source: the row is a copy, read in their place when present. The upgrade
 * makes the row of every interview that ended before (upgradeToV4). Also
 * `anonymisedAnswers interviewId`: the same answers anonymised by the app in that write
 * (AnonymisedAnswersRecord), which the export takes instead of anonymising again; none for the
 * interviews that ended before (the export anonymises theirs).
 */
export const SCHEMA_V4 = {
  ...SCHEMA_V3,
  finishedAnswers: 'interviewId',
  anonymisedAnswers: 'interviewId',
} as const;

/**
 * Version 5 (current): no key or index changes; the settings row changes shape. The helpline was
 * typed on each tablet (`helpline`); it now comes with the site's settings from the server
 * (`siteSettings`, a non-indexed field of the row). The upgrade (upgradeToV5) keeps the number
 * typed on an enrolled tablet as `typedHelpline`, which the alert gives until the site's settings
 * arrive, and drops it on a tablet without a server, whose alert gives the national 3114.
 */
export const SCHEMA_V5 = SCHEMA_V4;

/**
 * Version 6 (current): adds `vault key`, the key ring (vault.ts: the data key wrapped under the
 * PIN and the recovery code, and the count of wrong PINs), one row under `'keyring'`. Rows of the
 * other tables may now be sealed (SealedInterviewRow...): same keys and indexes, so no upgrade
 * function; the rows written before are sealed once the key exists (sealPlainRows, in lock.ts),
 * and read as they are until then.
 */
export const SCHEMA_V6 = { ...SCHEMA_V5, vault: 'key' } as const;

/** Interviews whose answers one step of the version 4 upgrade reads and copies. */
export const UPGRADE_V4_CHUNK = 100;

/** The durability of every write transaction of the device's database (see SmpgDatabase). */
export const DURABILITY = 'strict' satisfies IDBTransactionDurability;

/** Options passed on to Dexie (tests pass a fake `indexedDB` and `IDBKeyRange`). */
export type SmpgDatabaseOptions = Omit<DexieOptions, 'chromeTransactionDurability'>;

export class SmpgDatabase extends Dexie {
  // Declared, not initialised: Dexie defines one property per table from the schema below.
  declare readonly interviews: EntityTable<InterviewRow, 'id'>;
  declare readonly answers: Table<AnswerRow, [string, string]>;
  declare readonly paradata: EntityTable<StoredParadataRow, 'seq'>;
  declare readonly questionnaires: Table<InstalledQuestionnaire, [string, string]>;
  declare readonly settings: EntityTable<SettingsRow, 'key'>;
  declare readonly compiled: Table<CompiledQuestionnaire, [string, string]>;
  declare readonly finishedAnswers: EntityTable<FinishedAnswersRow, 'interviewId'>;
  declare readonly anonymisedAnswers: EntityTable<AnonymisedAnswersRow, 'interviewId'>;
  declare readonly vault: EntityTable<KeyRing, 'key'>;
  /** The IDBKeyRange this database was given (fake-indexeddb's in tests), for raw range reads. */
  readonly keyRange: typeof IDBKeyRange;

  constructor(name: string = DEFAULT_DATABASE_NAME, options: SmpgDatabaseOptions = {}) {
    // Durability 'strict': an answer must never be lost, so a write resolves only once the
    // browser has flushed it to disk, not when it has merely handed it to the operating system.
    // Without this option Dexie 4 passes no hint and the browser uses its 'default' durability,
    // which has been 'relaxed' since Chrome 121 (developer.chrome.com/blog/indexeddb-durability-
    // mode-now-defaults-to-relaxed), as in Firefox and Safari: the write may still sit in the OS
    // buffer for a second or two, and a power cut or a crashed tablet then loses the last answers.
    // What strict adds to a put is far below what a tap can notice. Dexie sets durability per
    // database, not per transaction, so every write through Dexie is strict; only writeInterview
    // may be asked for 'relaxed' (WriteOptions), for what an interview under way writes besides
    // its answers.
    super(name, { ...options, chromeTransactionDurability: DURABILITY });
    this.keyRange =
      (options.IDBKeyRange as typeof IDBKeyRange | undefined) ?? globalThis.IDBKeyRange;

    this.version(1).stores(SCHEMA_V1);

    this.version(2).stores(SCHEMA_V2).upgrade(upgradeToV2);

    this.version(3).stores(SCHEMA_V3);

    this.version(4).stores(SCHEMA_V4).upgrade(upgradeToV4);

    this.version(5).stores(SCHEMA_V5).upgrade(upgradeToV5);

    this.version(6).stores(SCHEMA_V6);
  }

  /** The keys of one interview's answer rows: `[interviewId, itemId]` for every item id. */
  answerKeys(interviewId: string): IDBKeyRange {
    // A shorter array sorts first, and an array after any string: every item id is in between.
    return this.keyRange.bound([interviewId], [interviewId, []]);
  }
}

/** One interview's answer rows in key order, through Dexie (in its transaction, if any). */
export function answerRows<Row extends AnswerRow>(
  answers: Table<Row, [string, string]>,
  interviewId: string,
): Promise<Row[]> {
  return answers
    .where('[interviewId+itemId]')
    .between([interviewId, Dexie.minKey], [interviewId, Dexie.maxKey])
    .toArray();
}

/**
 * Version 4 -> 5: the helpline typed on the tablet leaves the settings row. An enrolled tablet
 * keeps it (trimmed, when not empty) as `typedHelpline` until its site's settings arrive; a tablet
 * without a server loses it (its alert gives the national number).
 */
async function upgradeToV5(tx: Transaction): Promise<void> {
  await tx
    .table<SettingsRowV4 | SettingsRow, string>('settings')
    .toCollection()
    .modify((row, ctx) => {
      if (!('helpline' in row)) return false;
      const { helpline, ...rest } = row;
      const typed = helpline.trim();
      ctx.value =
        rest.deviceToken !== undefined && typed !== '' ? { ...rest, typedHelpline: typed } : rest;
      return true;
    });
}

/**
 * Version 3 -> 4: the one-row copy of the answers of every interview that ended completed or
 * screened out. A step of UPGRADE_V4_CHUNK interviews at a time: their answer rows read, their
 * copies written, before the next step is read, so that what the upgrade holds stays small
 * whatever the number of interviews (a large IndexedDB operation in one go makes the writes after
 * it stall).
 */
async function upgradeToV4(tx: Transaction): Promise<void> {
  const ids = await tx
    .table<InterviewRecord, string>('interviews')
    .where('status')
    .anyOf('completed', 'screened_out')
    .primaryKeys();
  const answers = tx.table<AnswerRecord, [string, string]>('answers');
  const copies = tx.table<FinishedAnswersRecord, string>('finishedAnswers');
  for (let from = 0; from < ids.length; from += UPGRADE_V4_CHUNK) {
    const step = ids.slice(from, from + UPGRADE_V4_CHUNK);
    const rows = await Promise.all(step.map((id) => answerRows(answers, id)));
    await copies.bulkPut(step.map((id, i) => finishedAnswersOf(id, rows[i] ?? [])));
  }
}

/**
 * Version 1 -> 2. Each step walks its table with `modify`, which works in chunks (a large
 * IndexedDB operation in one go makes the writes after it stall), and leaves rows that already
 * have the new shape alone.
 */
async function upgradeToV2(tx: Transaction): Promise<void> {
  // Interviews: `state` becomes `status`; interviews from before practice mode were real ones.
  const updatedAtById = new Map<string, string>();
  await tx
    .table<InterviewRowV1 | InterviewRecord, string>('interviews')
    .toCollection()
    .modify((row, ctx) => {
      updatedAtById.set(row.id, row.updatedAt);
      if (!('state' in row)) return false;
      const { state, ...rest } = row;
      ctx.value = { ...rest, status: state, practice: false };
      return true;
    });

  // Answers: version 1 did not record when an answer was given. The best bound we have is the
  // interview's last update (the answer was given then or before); an answer whose interview is
  // gone gets the time of the upgrade.
  const upgradedAt = new Date().toISOString();
  await tx
    .table<AnswerRowV1 | AnswerRecord, [string, string]>('answers')
    .toCollection()
    .modify((row, ctx) => {
      if ('answeredAt' in row) return false;
      ctx.value = { ...row, answeredAt: updatedAtById.get(row.interviewId) ?? upgradedAt };
      return true;
    });

  // Paradata: `ms` becomes `durationMs`.
  await tx
    .table<ParadataRowV1 | ParadataRow, number>('paradata')
    .toCollection()
    .modify((row, ctx) => {
      if (!('ms' in row)) return false;
      const { ms, ...rest } = row;
      ctx.value = ms === undefined ? rest : { ...rest, durationMs: ms };
      return true;
    });

  // Questionnaires: installed before label packs existed, so they have none.
  await tx
    .table<QuestionnaireRowV1 | InstalledQuestionnaire, [string, string]>('questionnaires')
    .toCollection()
    .modify((row, ctx) => {
      if ('labelPacks' in row) return false;
      ctx.value = { ...row, labelPacks: [] };
      return true;
    });

  // Settings: practice mode off, no helpline until the supervisor sets one.
  await tx
    .table<SettingsRowV1 | SettingsRowV4, string>('settings')
    .toCollection()
    .modify((row, ctx) => {
      if ('practiceMode' in row) return false;
      ctx.value = { ...row, practiceMode: false, helpline: '' };
      return true;
    });
}
