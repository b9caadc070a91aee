// How the store's records become IndexedDB rows and back: sealed by the tablet's key (vault.ts)
// with only keys and indexed fields in clear, or plain when the store has no key (tests, tools).
// A plain row read by a store with a key is a row written before the tablet had one.
import type {
  AnonymisedAnswersRow,
  AnswerRow,
  FinishedAnswersRow,
  InterviewRow,
  SealedParadataRow,
  SettingsRow,
  StoredParadataRow,
} from './dexie-schema.ts';
import type {
  AnonymisedAnswersRecord,
  AnswerRecord,
  DeviceSettings,
  FinishedAnswersRecord,
  InterviewRecord,
  ParadataEvent,
} from './types.ts';
import type { Vault } from './vault.ts';

/** The place a row's ciphertext is bound to: its table and key. */
export const places = {
  interview: (id: string) => `interviews:${id}`,
  answer: (interviewId: string, itemId: string) => `answers:${interviewId}:${itemId}`,
  paradata: (interviewId: string) => `paradata:${interviewId}`,
  finished: (interviewId: string) => `finishedAnswers:${interviewId}`,
  anonymised: (interviewId: string) => `anonymisedAnswers:${interviewId}`,
  settings: () => 'settings:device',
} as const;

function isSealed<T extends object>(
  row: T | { readonly sealed: Uint8Array },
): row is {
  readonly sealed: Uint8Array;
} {
  return 'sealed' in row && row.sealed instanceof Uint8Array;
}

export class RowCodec {
  constructor(readonly vault: Vault | undefined) {}

  async interviewRow(record: InterviewRecord): Promise<InterviewRow> {
    if (this.vault === undefined) return record;
    const { id, updatedAt, status } = record;
    const sealed = await this.vault.seal(places.interview(id), record);
    return { id, updatedAt, status, sent: record.sync?.state === 'sent', sealed };
  }

  async interview(row: InterviewRow): Promise<InterviewRecord> {
    if (this.vault === undefined || !isSealed(row)) return row as InterviewRecord;
    return this.vault.open<InterviewRecord>(places.interview(row.id), row.sealed);
  }

  async answerRow(record: AnswerRecord): Promise<AnswerRow> {
    if (this.vault === undefined) return record;
    const { interviewId, itemId } = record;
    const sealed = await this.vault.seal(places.answer(interviewId, itemId), record);
    return { interviewId, itemId, sealed };
  }

  async answer(row: AnswerRow): Promise<AnswerRecord> {
    if (this.vault === undefined || !isSealed(row)) return row as AnswerRecord;
    return this.vault.open<AnswerRecord>(places.answer(row.interviewId, row.itemId), row.sealed);
  }

  async paradataRow(event: ParadataEvent): Promise<ParadataEvent | SealedParadataRow> {
    // A copy, so that the key IndexedDB assigns never lands on the caller's object.
    if (this.vault === undefined) return { ...event };
    const sealed = await this.vault.seal(places.paradata(event.interviewId), event);
    return { interviewId: event.interviewId, sealed };
  }

  async paradata(row: StoredParadataRow): Promise<ParadataEvent> {
    if (this.vault === undefined || !isSealed(row)) {
      const { seq, ...event } = row as StoredParadataRow & ParadataEvent;
      void seq;
      return event;
    }
    return this.vault.open<ParadataEvent>(places.paradata(row.interviewId), row.sealed);
  }

  async finishedRow(copy: FinishedAnswersRecord): Promise<FinishedAnswersRow> {
    if (this.vault === undefined) return copy;
    const sealed = await this.vault.seal(places.finished(copy.interviewId), copy);
    return { interviewId: copy.interviewId, sealed };
  }

  async finished(row: FinishedAnswersRow): Promise<FinishedAnswersRecord> {
    if (this.vault === undefined || !isSealed(row)) return row as FinishedAnswersRecord;
    return this.vault.open<FinishedAnswersRecord>(places.finished(row.interviewId), row.sealed);
  }

  async anonymisedRow(record: AnonymisedAnswersRecord): Promise<AnonymisedAnswersRow> {
    if (this.vault === undefined) return record;
    const sealed = await this.vault.seal(places.anonymised(record.interviewId), record);
    return { interviewId: record.interviewId, sealed };
  }

  async anonymised(row: AnonymisedAnswersRow): Promise<AnonymisedAnswersRecord> {
    if (this.vault === undefined || !isSealed(row)) return row as AnonymisedAnswersRecord;
    return this.vault.open<AnonymisedAnswersRecord>(places.anonymised(row.interviewId), row.sealed);
  }

  /**
   * The settings row: the device token and the last place interviewed at sealed, the rest in clear
   * (the lock screen reads the language, the device and the site before the PIN; none of it is an
   * answer).
   */
  async settingsRow(settings: DeviceSettings): Promise<SettingsRow> {
    const { deviceToken, lastPickupPoint, ...rest } = settings;
    if (this.vault === undefined || (deviceToken === undefined && lastPickupPoint === undefined))
      return { ...settings, key: 'device' };
    const hidden = { deviceToken, lastPickupPoint };
    return { ...rest, key: 'device', sealedPart: await this.vault.seal(places.settings(), hidden) };
  }

  async settings(row: SettingsRow): Promise<DeviceSettings> {
    const { key, sealedPart, ...settings } = row;
    void key;
    if (sealedPart === undefined || this.vault === undefined) return settings;
    const hidden = await this.vault.open<Pick<DeviceSettings, 'deviceToken' | 'lastPickupPoint'>>(
      places.settings(),
      sealedPart,
    );
    return {
      ...settings,
      ...(hidden.deviceToken === undefined ? {} : { deviceToken: hidden.deviceToken }),
      ...(hidden.lastPickupPoint === undefined ? {} : { lastPickupPoint: hidden.lastPickupPoint }),
    };
  }
}
