// A record's `labelPacks` (the site pack revision of each language it was asked in): the schema
// and the upload's fast path agree on what passes, and a record keeps only the languages it used.
import { describe, expect, it } from 'vitest';
import {
  InterviewRecordSchema,
  isPlainInterviewRecord,
} from '../../../../src/core/protocol/index.ts';
import { definition, load, single } from '../../../helpers/builder.ts';
import { makeRecord } from '../../../helpers/records.ts';

const q = load(definition([single('mood', ['1', '2'])], { id: 'lp' }));
const base = makeRecord(q, { mood: '1' }, 'skip', {
  id: '00000000-0000-4000-8000-000000000001',
}).record;

describe('a record’s label pack revisions', () => {
  it('passes revisions 1, 2… of language codes, on the fast path and in the schema', () => {
    for (const labelPacks of [{ gcr: 1 }, { gcr: 2, 'pt-BR': 7 }]) {
      const record = { ...base, labelPacks };
      expect(isPlainInterviewRecord(record)).toBe(true);
      expect(InterviewRecordSchema.safeParse(record).success).toBe(true);
    }
  });

  it('refuses what is not a revision of a language, on both paths', () => {
    for (const labelPacks of [{}, { gcr: 0 }, { gcr: 1.5 }, { GCR: 1 }, { gcr: '1' }, [1]]) {
      const record = { ...base, labelPacks };
      expect(isPlainInterviewRecord(record), JSON.stringify(labelPacks)).toBe(false);
      expect(InterviewRecordSchema.safeParse(record).success, JSON.stringify(labelPacks)).toBe(
        false,
      );
    }
  });

  it('keeps the revisions of the languages the interview was asked in, and only those', () => {
    const meta = { id: '00000000-0000-4000-8000-000000000002', labelPacks: { gcr: 3, rcf: 1 } };
    const french = makeRecord(q, { mood: '1' }, 'skip', meta).record;
    expect('labelPacks' in french).toBe(false);
    const switched = makeRecord(q, { mood: '1' }, 'skip', {
      ...meta,
      language: 'gcr',
      paradata: { itemMs: {}, languages: ['fr', 'gcr'] },
    }).record;
    expect(switched.labelPacks).toEqual({ gcr: 3 });
  });
});
