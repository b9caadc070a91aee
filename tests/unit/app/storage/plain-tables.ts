// The device database's tables as a store without a key writes them (plain records, no sealed
// rows), for tests that read or change rows behind the store's back.
import type { EntityTable, Table } from 'dexie';
import type { ParadataRow, SmpgDatabase } from '../../../../src/app/storage/dexie-schema.ts';
import type {
  AnonymisedAnswersRecord,
  AnswerRecord,
  FinishedAnswersRecord,
  InterviewRecord,
} from '../../../../src/app/storage/index.ts';

export interface PlainTables {
  readonly interviews: EntityTable<InterviewRecord, 'id'>;
  readonly answers: Table<AnswerRecord, [string, string]>;
  readonly paradata: EntityTable<ParadataRow, 'seq'>;
  readonly finishedAnswers: EntityTable<FinishedAnswersRecord, 'interviewId'>;
  readonly anonymisedAnswers: EntityTable<AnonymisedAnswersRecord, 'interviewId'>;
}

export function plain(db: SmpgDatabase): PlainTables {
  return db as unknown as PlainTables;
}
