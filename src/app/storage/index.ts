// The app's storage: the contract, the Dexie store the app runs on, the in-memory one for tests,
// and the persistence helpers. This folder is the only place in the app that imports dexie.
export type {
  AnonymisedAnswersRecord,
  AnswerRecord,
  CompiledQuestionnaire,
  DeviceSettings,
  FinishedAnswers,
  FinishedAnswersRecord,
  InstalledQuestionnaire,
  InterviewRecord,
  InterviewStatus,
  InterviewStore,
  InterviewSync,
  ParadataEvent,
  Seal,
  SiteCounts,
  SyncErrorKind,
  SyncSettings,
  WriteOptions,
} from './types.ts';
export { InterviewNotFoundError, ParadataMismatchError } from './errors.ts';
export type { SmpgDatabaseOptions } from './dexie-schema.ts';
export { DEFAULT_DATABASE_NAME, SmpgDatabase } from './dexie-schema.ts';
export type { DeviceStore } from './dexie-store.ts';
export { DexieInterviewStore, openDeviceStore } from './dexie-store.ts';
export { MemoryInterviewStore } from './memory-store.ts';
export type { StorageManagerLike, StorageStatus } from './persistence.ts';
export {
  NEARLY_FULL_LEFT_BYTES,
  NEARLY_FULL_SHARE,
  bytesLeft,
  isNearlyFull,
  requestPersistentStorage,
  storageStatus,
} from './persistence.ts';
