// The device's database: the Dexie schema with its whole version history, and the
// InterviewStore the app runs on. Nothing outside src/app/storage imports dexie.
import Dexie from 'dexie';
import type { DexieOptions, EntityTable, Table, Transaction } from 'dexie';
import type { Answer } from '../../core/questionnaire/index.ts';
import { InterviewNotFoundError, ParadataMismatchError } from './errors.ts';
import type {
  AnswerRecord,
  DeviceSettings,
  InstalledQuestionnaire,
  InterviewRecord,
  InterviewStatus,
  InterviewStore,
  ParadataEvent,
} from './types.ts';

export const DEFAULT_DATABASE_NAME = 'smpg-collect';

/** A paradata row: the event and the key IndexedDB numbers it with, in the order logged. */
export type ParadataRow = ParadataEvent & { readonly seq: number };

/** The settings table holds one row, under the key `'device'`. */
export interface SettingsRow extends DeviceSettings {
  readonly key: 'device';
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
 * Version 2 (current): the interview index follows the field renamed `state` -> `status`
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

/** Options passed on to Dexie (tests pass a fake `indexedDB` and `IDBKeyRange`). */
export type SmpgDatabaseOptions = Omit<DexieOptions, 'chromeTransactionDurability'>;

export class SmpgDatabase extends Dexie {
  // Declared, not initialised: Dexie defines one property per table from the schema below.
  declare readonly interviews: EntityTable<InterviewRecord, 'id'>;
  declare readonly answers: Table<AnswerRecord, [string, string]>;
  declare readonly paradata: EntityTable<ParadataRow, 'seq'>;
  declare readonly questionnaires: Table<InstalledQuestionnaire, [string, string]>;
  declare readonly settings: EntityTable<SettingsRow, 'key'>;

  constructor(name: string = DEFAULT_DATABASE_NAME, options: SmpgDatabaseOptions = {}) {
    // Durability 'strict': an answer must never be lost, so a write resolves only once the
    // browser has flushed it to disk, not when it has merely handed it to the operating system.
    // Without this option Dexie 4 passes no hint and the browser uses its 'default' durability,
    // which has been 'relaxed' since Chrome 121 (developer.chrome.com/blog/indexeddb-durability-
    // mode-now-defaults-to-relaxed), as in Firefox and Safari: the write may still sit in the OS
    // buffer for a second or two, and a power cut or a crashed tablet then loses the last answers. Strict costs ~0.6 ms per put at p50 (STACK.md), far
    // below what a tap can notice. Dexie sets durability per database, not per transaction, so
    // interview updates and paradata are strict too; they are rarer than answers.
    super(name, { ...options, chromeTransactionDurability: 'strict' });

    this.version(1).stores(SCHEMA_V1);

    this.version(2).stores(SCHEMA_V2).upgrade(upgradeToV2);
  }
}

/**
 * Version 1 -> 2. Each step walks its table with `modify`, which works in chunks (STACK.md
 * trap 10), and leaves rows that already have the new shape alone.
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
    .table<SettingsRowV1 | SettingsRow, string>('settings')
    .toCollection()
    .modify((row, ctx) => {
      if ('practiceMode' in row) return false;
      ctx.value = { ...row, practiceMode: false, helpline: '' };
      return true;
    });
}

function toEvent(row: ParadataRow): ParadataEvent {
  const { seq, ...event } = row;
  void seq;
  return event;
}

function toSettings(row: SettingsRow): DeviceSettings {
  const { key, ...settings } = row;
  void key;
  return settings;
}

export class DexieInterviewStore implements InterviewStore {
  constructor(readonly db: SmpgDatabase) {}

  async createInterview(record: InterviewRecord): Promise<void> {
    // `add`, not `put`: a second interview with the same UUID is a bug to surface, not to merge.
    await this.db.interviews.add(record);
  }

  getInterview(id: string): Promise<InterviewRecord | undefined> {
    return this.db.interviews.get(id);
  }

  listInterviews(): Promise<InterviewRecord[]> {
    return this.db.interviews.orderBy('updatedAt').reverse().toArray();
  }

  async saveAnswer(
    interviewId: string,
    itemId: string,
    value: Answer | undefined,
    at: string,
  ): Promise<void> {
    // Exactly one write in its own (implicit, readwrite) transaction: the answer's own key.
    if (value === undefined) {
      await this.db.answers.delete([interviewId, itemId]);
    } else {
      await this.db.answers.put({ interviewId, itemId, value, answeredAt: at });
    }
  }

  async getAnswers(interviewId: string): Promise<Map<string, Answer>> {
    const rows = await this.db.answers
      .where('[interviewId+itemId]')
      .between([interviewId, Dexie.minKey], [interviewId, Dexie.maxKey])
      .toArray();
    return new Map(rows.map((row) => [row.itemId, row.value]));
  }

  async updateInterview(
    id: string,
    patch: Partial<Omit<InterviewRecord, 'id'>>,
    events: readonly ParadataEvent[] = [],
  ): Promise<void> {
    const stranger = events.find((event) => event.interviewId !== id);
    if (stranger !== undefined) throw new ParadataMismatchError(id, stranger.interviewId);
    await this.db.transaction('rw', this.db.interviews, this.db.paradata, async () => {
      const current = await this.db.interviews.get(id);
      if (current === undefined) throw new InterviewNotFoundError(id);
      await this.db.interviews.put({ ...current, ...patch, id });
      // Copies, so that no key Dexie assigns ever lands on the caller's objects.
      if (events.length > 0) await this.db.paradata.bulkAdd(events.map((event) => ({ ...event })));
    });
  }

  async listParadata(interviewId: string): Promise<ParadataEvent[]> {
    // The index orders equal keys by primary key, so events come back in the order logged.
    const rows = await this.db.paradata.where('interviewId').equals(interviewId).toArray();
    return rows.map(toEvent);
  }

  async putQuestionnaire(questionnaire: InstalledQuestionnaire): Promise<void> {
    await this.db.questionnaires.put(questionnaire);
  }

  getQuestionnaire(
    questionnaireId: string,
    version: string,
  ): Promise<InstalledQuestionnaire | undefined> {
    return this.db.questionnaires.get([questionnaireId, version]);
  }

  listQuestionnaires(): Promise<InstalledQuestionnaire[]> {
    return this.db.questionnaires.toArray();
  }

  async getSettings(): Promise<DeviceSettings | undefined> {
    const row = await this.db.settings.get('device');
    return row === undefined ? undefined : toSettings(row);
  }

  async putSettings(settings: DeviceSettings): Promise<void> {
    await this.db.settings.put({ ...settings, key: 'device' });
  }
}

/** What the app holds once the device's database is open. */
export interface DeviceStore {
  readonly db: SmpgDatabase;
  readonly store: DexieInterviewStore;
}

/**
 * Opens (creating or upgrading) the device's database. Opening eagerly surfaces a failure
 * (private mode, a newer schema from another tab, a full disk) at start-up, not at the first answer.
 */
export async function openDeviceStore(
  name: string = DEFAULT_DATABASE_NAME,
  options: SmpgDatabaseOptions = {},
): Promise<DeviceStore> {
  const db = new SmpgDatabase(name, options);
  await db.open();
  return { db, store: new DexieInterviewStore(db) };
}
