// The behaviour every InterviewStore must have, as one suite run on each implementation
// (store.test.ts), so the in-memory store the screen tests use cannot drift from the real one.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Answer } from '../../../../src/core/questionnaire/index.ts';
import { DONT_KNOW, REFUSED, loadQuestionnaire } from '../../../../src/core/questionnaire/index.ts';
import {
  InterviewNotFoundError,
  ParadataMismatchError,
} from '../../../../src/app/storage/index.ts';
import type {
  DeviceSettings,
  InstalledQuestionnaire,
  InterviewRecord,
  InterviewStore,
  ParadataEvent,
} from '../../../../src/app/storage/index.ts';

export type MakeStore = () => Promise<InterviewStore>;

export function interview(id: string, overrides: Partial<InterviewRecord> = {}): InterviewRecord {
  return {
    id,
    questionnaireId: 'smpg',
    questionnaireVersion: '2026.1',
    site: 'lille',
    interviewer: 'INT07',
    deviceId: 'device-1',
    status: 'screening',
    practice: false,
    position: null,
    language: 'fr',
    appVersion: '0.1.0',
    startedAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-02T09:00:00.000Z',
    ...overrides,
  };
}

function questionnaire(questionnaireId: string, version: string): InstalledQuestionnaire {
  return {
    questionnaireId,
    version,
    definition: { id: questionnaireId, version, sections: [{ id: 's1', items: ['q1'] }] },
    labelPacks: [{ source: 'fr.json', pack: { q1: 'Âge ?' } }],
    installedAt: '2026-03-01T08:00:00.000Z',
  };
}

const SETTINGS: DeviceSettings = {
  deviceId: 'device-1',
  site: 'lille',
  interviewer: 'INT07',
  uiLanguage: 'fr',
  practiceMode: false,
  siteSettings: {
    name: 'Lille',
    timeZone: 'Europe/Paris',
    helpline: '3114',
    protocolContacts: [
      { name: 'Dr Martin', role: 'psychologue référente', phone: '03 20 00 00 01' },
      { name: 'CMP Lille-Centre', role: '', phone: '+33 3 20 00 00 02' },
    ],
    shortInterviewSeconds: 1200,
    languages: ['fr', 'en'],
    sampleSize: 900,
    tolerance: 0.05,
  },
};

const AT = '2026-03-02T09:05:00.000Z';

const DEMO_1: unknown = JSON.parse(readFileSync('questionnaires/demo/1.json', 'utf8'));

export function describeInterviewStore(name: string, makeStore: MakeStore): void {
  describe(`InterviewStore contract: ${name}`, () => {
    describe('interviews', () => {
      it('gets back an interview as created, and nothing for an unknown id', async () => {
        const store = await makeStore();
        const record = interview('i-1', {
          endedAt: '2026-03-02T09:30:00.000Z',
          alerts: [{ id: 'suicide_risk', at: AT }],
          // Not indexed: the field needs no schema version of its own.
          pickupPoint: 'Marché de Wazemmes',
        });
        await store.createInterview(record);
        expect(await store.getInterview('i-1')).toEqual(record);
        expect(await store.getInterview('i-2')).toBeUndefined();
      });

      it('refuses to create a second interview with the same id and keeps the first', async () => {
        const store = await makeStore();
        await store.createInterview(interview('i-1', { site: 'lille' }));
        await expect(store.createInterview(interview('i-1', { site: 'paris' }))).rejects.toThrow();
        expect((await store.getInterview('i-1'))?.site).toBe('lille');
      });

      it('lists interviews most recently updated first', async () => {
        const store = await makeStore();
        await store.createInterview(interview('a', { updatedAt: '2026-03-02T10:00:00.000Z' }));
        await store.createInterview(interview('b', { updatedAt: '2026-03-02T12:00:00.000Z' }));
        await store.createInterview(interview('c', { updatedAt: '2026-03-02T11:00:00.000Z' }));
        expect((await store.listInterviews()).map((record) => record.id)).toEqual(['b', 'c', 'a']);

        await store.updateInterview('a', { updatedAt: '2026-03-02T13:00:00.000Z' });
        expect((await store.listInterviews()).map((record) => record.id)).toEqual(['a', 'b', 'c']);
      });

      it('lists nothing on an empty device', async () => {
        const store = await makeStore();
        expect(await store.listInterviews()).toEqual([]);
      });
    });

    describe('answers', () => {
      it('saves, overwrites and deletes one answer', async () => {
        const store = await makeStore();
        await store.createInterview(interview('i-1'));
        await store.saveAnswer('i-1', 'q1', '2', AT);
        expect(await store.getAnswers('i-1')).toEqual(new Map([['q1', '2']]));

        await store.saveAnswer('i-1', 'q1', '3', AT);
        expect(await store.getAnswers('i-1')).toEqual(new Map([['q1', '3']]));

        await store.saveAnswer('i-1', 'q1', undefined, AT);
        expect(await store.getAnswers('i-1')).toEqual(new Map());
      });

      it('deleting an answer that was never given is harmless', async () => {
        const store = await makeStore();
        await store.saveAnswer('i-1', 'q1', 'yes', AT);
        await store.saveAnswer('i-1', 'q2', undefined, AT);
        await store.saveAnswer('i-9', 'q1', undefined, AT);
        expect(await store.getAnswers('i-1')).toEqual(new Map([['q1', 'yes']]));
      });

      it('keeps every shape of answer as given', async () => {
        const store = await makeStore();
        const answers: [string, Answer][] = [
          ['text', 'Lille, quartier Wazemmes'],
          ['empty_looking', '0'],
          ['integer', 42],
          ['zero', 0],
          ['decimal', 1.75],
          ['negative', -3],
          ['multiple', ['1', '3', '5']],
          ['single_multiple', ['2']],
          ['refused', REFUSED],
          ['dont_know', DONT_KNOW],
          ['refused_literal', { nonResponse: 'refused' }],
          ['date', '2026-03-02'],
          ['unicode', 'Ça va ? 🙂'],
        ];
        for (const [itemId, value] of answers) await store.saveAnswer('i-1', itemId, value, AT);
        const stored = await store.getAnswers('i-1');
        expect(stored).toEqual(new Map(answers));
        expect(typeof stored.get('zero')).toBe('number');
        expect(typeof stored.get('empty_looking')).toBe('string');
      });

      it("returns only the interview's own answers, with ids that prefix each other", async () => {
        const store = await makeStore();
        // Interleaved writes, interview ids and item ids that are prefixes of one another.
        await store.saveAnswer('a', 'q1', '1', AT);
        await store.saveAnswer('ab', 'q1', 'ab-1', AT);
        await store.saveAnswer('a', 'q10', 10, AT);
        await store.saveAnswer('b', 'q1', 'b-1', AT);
        await store.saveAnswer('ab', 'q10', ['x'], AT);
        await store.saveAnswer('a', 'q1_a', REFUSED, AT);
        await store.saveAnswer('', 'q1', 'empty-id', AT);

        expect(await store.getAnswers('a')).toEqual(
          new Map<string, Answer>([
            ['q1', '1'],
            ['q10', 10],
            ['q1_a', REFUSED],
          ]),
        );
        expect(await store.getAnswers('ab')).toEqual(
          new Map<string, Answer>([
            ['q1', 'ab-1'],
            ['q10', ['x']],
          ]),
        );
        expect(await store.getAnswers('b')).toEqual(new Map([['q1', 'b-1']]));
        expect(await store.getAnswers('')).toEqual(new Map([['q1', 'empty-id']]));
        expect(await store.getAnswers('c')).toEqual(new Map());

        await store.saveAnswer('a', 'q1', undefined, AT);
        expect([...(await store.getAnswers('a')).keys()].sort()).toEqual(['q10', 'q1_a']);
        expect(await store.getAnswers('ab')).toHaveProperty('size', 2);
      });

      it('reads the answers of several interviews at once, each as getAnswers does', async () => {
        const store = await makeStore();
        await store.saveAnswer('a', 'q1', '1', AT);
        await store.saveAnswer('ab', 'q1', 'ab-1', AT);
        await store.saveAnswer('a', 'q10', DONT_KNOW, AT);
        await store.saveAnswer('b', 'q1', ['1', '2'], AT);
        const read = await store.getAnswersOfMany(['b', 'a', 'none', 'b']);
        expect([...read.keys()]).toEqual(['b', 'a', 'none']);
        for (const id of ['a', 'b', 'none'])
          expect(read.get(id)).toEqual(await store.getAnswers(id));
        expect(await store.getAnswersOfMany([])).toEqual(new Map());
      });

      it('a random sequence of saves and deletes leaves what a plain Map would hold', async () => {
        const interviewIds = ['a', 'ab', 'b'] as const;
        const itemIds = ['q1', 'q10', 'q1_a', 'Q1', 'q2'] as const;
        const answer: fc.Arbitrary<Answer | undefined> = fc.oneof(
          fc.constant(undefined),
          fc.string({ maxLength: 8 }),
          fc.integer(),
          fc.array(fc.constantFrom('1', '2', '3'), { maxLength: 3 }),
          fc.constantFrom(REFUSED, DONT_KNOW),
        );
        const operation = fc.record({
          interviewId: fc.constantFrom(...interviewIds),
          itemId: fc.constantFrom(...itemIds),
          value: answer,
        });
        await fc.assert(
          fc.asyncProperty(fc.array(operation, { maxLength: 30 }), async (operations) => {
            const store = await makeStore();
            const model = new Map<string, Map<string, Answer>>();
            for (const { interviewId, itemId, value } of operations) {
              await store.saveAnswer(interviewId, itemId, value, AT);
              const answers = model.get(interviewId) ?? new Map<string, Answer>();
              if (value === undefined) answers.delete(itemId);
              else answers.set(itemId, value);
              model.set(interviewId, answers);
            }
            for (const interviewId of interviewIds) {
              expect(await store.getAnswers(interviewId)).toEqual(
                model.get(interviewId) ?? new Map(),
              );
            }
          }),
          { numRuns: 40 },
        );
      });
    });

    describe('updateInterview and paradata', () => {
      const enter: ParadataEvent = { interviewId: 'i-1', at: AT, type: 'enter', itemId: 'q1' };
      const leave: ParadataEvent = {
        interviewId: 'i-1',
        at: '2026-03-02T09:05:12.000Z',
        type: 'leave',
        itemId: 'q1',
        durationMs: 12000,
      };

      it('merges the patch into the interview and keeps the rest', async () => {
        const store = await makeStore();
        const record = interview('i-1');
        await store.createInterview(record);
        await store.updateInterview('i-1', { status: 'in_progress', position: 'q1' });
        expect(await store.getInterview('i-1')).toEqual({
          ...record,
          status: 'in_progress',
          position: 'q1',
        });

        await store.updateInterview('i-1', {
          status: 'completed',
          position: 'review',
          endedAt: '2026-03-02T09:40:00.000Z',
          updatedAt: '2026-03-02T09:40:00.000Z',
        });
        expect(await store.getInterview('i-1')).toEqual({
          ...record,
          status: 'completed',
          position: 'review',
          endedAt: '2026-03-02T09:40:00.000Z',
          updatedAt: '2026-03-02T09:40:00.000Z',
        });
      });

      it('logs paradata with the update, in the order given, per interview', async () => {
        const store = await makeStore();
        await store.createInterview(interview('i-1'));
        await store.createInterview(interview('i-2'));
        await store.updateInterview('i-1', { position: 'q1' }, [enter]);
        await store.updateInterview('i-2', { position: 'q1' }, [
          { interviewId: 'i-2', at: AT, type: 'enter', itemId: 'q1' },
        ]);
        await store.updateInterview('i-1', { position: 'q2' }, [
          leave,
          { interviewId: 'i-1', at: leave.at, type: 'enter', itemId: 'q2' },
        ]);
        await store.updateInterview('i-1', { language: 'en' });

        expect(await store.listParadata('i-1')).toEqual([
          enter,
          leave,
          { interviewId: 'i-1', at: leave.at, type: 'enter', itemId: 'q2' },
        ]);
        expect(await store.listParadata('i-2')).toEqual([
          { interviewId: 'i-2', at: AT, type: 'enter', itemId: 'q1' },
        ]);
        expect(await store.listParadata('i-3')).toEqual([]);
      });

      it('rejects an unknown interview and writes no paradata', async () => {
        const store = await makeStore();
        const ghost: ParadataEvent = { interviewId: 'ghost', at: AT, type: 'resume' };
        await expect(store.updateInterview('ghost', { position: 'q1' }, [ghost])).rejects.toThrow(
          InterviewNotFoundError,
        );
        expect(await store.listParadata('ghost')).toEqual([]);
        expect(await store.getInterview('ghost')).toBeUndefined();
      });

      it('rejects an event of another interview and changes nothing', async () => {
        const store = await makeStore();
        const record = interview('i-1');
        await store.createInterview(record);
        await store.createInterview(interview('i-2'));
        const other: ParadataEvent = { interviewId: 'i-2', at: AT, type: 'enter' };
        await expect(
          store.updateInterview('i-1', { position: 'q1' }, [enter, other]),
        ).rejects.toThrow(ParadataMismatchError);
        expect(await store.getInterview('i-1')).toEqual(record);
        expect(await store.listParadata('i-1')).toEqual([]);
        expect(await store.listParadata('i-2')).toEqual([]);
      });

      it('is all or nothing: an event that cannot be stored leaves the interview as it was', async () => {
        const store = await makeStore();
        const record = interview('i-1');
        await store.createInterview(record);
        // A function cannot be structured-cloned, so storing this event fails after the
        // interview row has been written in the same transaction.
        const unstorable = { ...leave, detail: () => 'no' } as unknown as ParadataEvent;
        await expect(
          store.updateInterview('i-1', { status: 'abandoned' }, [enter, unstorable]),
        ).rejects.toThrow();
        expect(await store.getInterview('i-1')).toEqual(record);
        expect(await store.listParadata('i-1')).toEqual([]);
      });
    });

    describe('writeInterview', () => {
      const enter: ParadataEvent = { interviewId: 'i-1', at: AT, type: 'enter', itemId: 'q2' };

      it('stores the record whole, in place of the stored one, with its paradata', async () => {
        const store = await makeStore();
        const record = interview('i-1', { endedAt: '2026-03-02T09:01:00.000Z' });
        await store.createInterview(record);
        await store.updateInterview('i-1', { position: 'q1' }, [
          { interviewId: 'i-1', at: AT, type: 'enter', itemId: 'q1' },
        ]);
        const { endedAt, ...rest } = record;
        void endedAt;
        const next: InterviewRecord = { ...rest, status: 'in_progress', position: 'q2' };
        await store.writeInterview(next, [enter]);
        // Whole: a field the record given does not have is gone.
        expect(await store.getInterview('i-1')).toEqual(next);
        expect(await store.listParadata('i-1')).toEqual([
          { interviewId: 'i-1', at: AT, type: 'enter', itemId: 'q1' },
          enter,
        ]);
        // Relaxed durability changes when the disk has it, not what is stored.
        await store.writeInterview({ ...next, position: 'q3' }, [], { relaxed: true });
        expect((await store.getInterview('i-1'))?.position).toBe('q3');
        expect(await store.listParadata('i-1')).toHaveLength(2);
      });

      it('rejects an event of another interview and changes nothing', async () => {
        const store = await makeStore();
        const record = interview('i-1');
        await store.createInterview(record);
        const other: ParadataEvent = { interviewId: 'i-2', at: AT, type: 'enter' };
        await expect(
          store.writeInterview({ ...record, position: 'q2' }, [enter, other]),
        ).rejects.toThrow(ParadataMismatchError);
        expect(await store.getInterview('i-1')).toEqual(record);
        expect(await store.listParadata('i-1')).toEqual([]);
      });

      it('is all or nothing: an event that cannot be stored leaves the interview as it was', async () => {
        const store = await makeStore();
        const record = interview('i-1');
        await store.createInterview(record);
        const unstorable = { ...enter, detail: () => 'no' } as unknown as ParadataEvent;
        await expect(
          store.writeInterview({ ...record, status: 'abandoned' }, [enter, unstorable]),
        ).rejects.toThrow();
        expect(await store.getInterview('i-1')).toEqual(record);
        expect(await store.listParadata('i-1')).toEqual([]);
      });
    });

    describe('answers of finished interviews', () => {
      const given: [string, Answer][] = [
        ['q1', '2'],
        ['q10', ['1', '3']],
        ['q1_a', REFUSED],
        ['q2', 0],
      ];

      /** An interview under way with answers, the last one not awaited (the end is issued next). */
      async function underWay(store: InterviewStore, id: string): Promise<InterviewRecord> {
        const record = interview(id, { status: 'in_progress', position: 'q2' });
        await store.createInterview(record);
        for (const [itemId, value] of given.slice(0, -1))
          await store.saveAnswer(id, itemId, value, AT);
        const [itemId, value] = given.at(-1) ?? ['q2', 0];
        void store.saveAnswer(id, itemId, value, AT);
        return record;
      }

      it('reads back the answers of an interview ended by writeInterview, with the last one saved', async () => {
        const store = await makeStore();
        const record = await underWay(store, 'i-1');
        await store.writeInterview({ ...record, status: 'completed', endedAt: AT }, [
          { interviewId: 'i-1', at: AT, type: 'status', detail: 'completed' },
        ]);
        await store.saveAnswer('i-2', 'q1', 'other', AT);
        const read = await store.getAnswersOfMany(['i-1', 'i-2', 'none']);
        expect(read.get('i-1')).toEqual(new Map(given));
        expect([...(read.get('i-1')?.keys() ?? [])]).toEqual(['q1', 'q10', 'q1_a', 'q2']);
        expect(read.get('i-1')).toEqual(await store.getAnswers('i-1'));
        expect(read.get('i-2')).toEqual(new Map([['q1', 'other']]));
        expect(read.get('none')).toEqual(new Map());
      });

      it('keeps what the end makes of the answers it copies (its seal), and ends without it if it throws', async () => {
        const store = await makeStore();
        const sealed: Map<string, Answer>[] = [];
        const seal = (answers: ReadonlyMap<string, Answer>) => {
          sealed.push(new Map(answers));
          return {
            questionnaireVersion: '1',
            day: '2026-11-23',
            answers: { count: answers.size },
            computed: {},
          };
        };
        const record = await underWay(store, 'i-1');
        await store.writeInterview({ ...record, status: 'completed', endedAt: AT }, [], { seal });
        // Called with the answers the end copied, the last one saved included.
        expect(sealed).toEqual([new Map(given)]);
        const read = await store.getFinishedOfMany(['i-1', 'none']);
        // What the seal made, alone (the export needs nothing else); the answers for the others.
        expect(read.get('i-1')).toEqual({
          anonymised: {
            questionnaireVersion: '1',
            day: '2026-11-23',
            answers: { count: given.length },
            computed: {},
          },
        });
        expect(read.get('none')).toEqual({ answers: new Map() });
        expect((await store.getAnswersOfMany(['i-1'])).get('i-1')).toEqual(new Map(given));
        // A status written again (reopened) drops them: they were made for the end that was.
        await store.updateInterview('i-1', { status: 'in_progress' });
        expect((await store.getFinishedOfMany(['i-1'])).get('i-1')).toEqual({
          answers: new Map(given),
        });
        const other = await underWay(store, 'i-2');
        await store.writeInterview({ ...other, status: 'completed', endedAt: AT }, [], {
          seal: () => {
            throw new Error('the questionnaire failed');
          },
        });
        expect((await store.getInterview('i-2'))?.status).toBe('completed');
        expect((await store.getFinishedOfMany(['i-2'])).get('i-2')).toEqual({
          answers: new Map(given),
        });
      });

      it('reads back the answers of an interview ended by updateInterview, and of one without an end', async () => {
        const store = await makeStore();
        await underWay(store, 'i-1');
        await store.updateInterview('i-1', { status: 'screened_out', screenOutId: 'under_18' });
        // Created ended (as tests and tools do), its answers given afterwards: read from its rows.
        await store.createInterview(interview('i-2', { status: 'completed' }));
        await store.saveAnswer('i-2', 'q1', 'late', AT);
        const read = await store.getAnswersOfMany(['i-1', 'i-2']);
        expect(read.get('i-1')).toEqual(new Map(given));
        expect(read.get('i-2')).toEqual(new Map([['q1', 'late']]));
      });

      it('follows the answer rows again whenever a status is written', async () => {
        const store = await makeStore();
        const record = await underWay(store, 'i-1');
        await store.writeInterview({ ...record, status: 'completed', endedAt: AT });
        // Not what the app does (an ended interview's answers are final): the copy made at the
        // end is what bulk reads give, until a new status copies the rows again.
        await store.saveAnswer('i-1', 'q3', 'after the end', AT);
        await store.updateInterview('i-1', { sync: { state: 'sent', attempts: 0 } });
        expect((await store.getAnswersOfMany(['i-1'])).get('i-1')).toEqual(new Map(given));
        await store.updateInterview('i-1', { status: 'completed' });
        const withLate = new Map([...given, ['q3', 'after the end'] as [string, Answer]]);
        expect((await store.getAnswersOfMany(['i-1'])).get('i-1')).toEqual(withLate);
        // Back under way (never in the app): read from the rows again.
        await store.updateInterview('i-1', { status: 'in_progress' });
        await store.saveAnswer('i-1', 'q4', 4, AT);
        expect((await store.getAnswersOfMany(['i-1'])).get('i-1')).toEqual(
          await store.getAnswers('i-1'),
        );
        expect((await store.getAnswersOfMany(['i-1'])).get('i-1')?.get('q4')).toBe(4);
      });

      it('is all or nothing: an end that fails leaves the interview under way', async () => {
        const store = await makeStore();
        const record = await underWay(store, 'i-1');
        const unstorable = {
          interviewId: 'i-1',
          at: AT,
          type: 'status',
          detail: () => 'no',
        } as unknown as ParadataEvent;
        await expect(
          store.writeInterview({ ...record, status: 'completed', endedAt: AT }, [unstorable]),
        ).rejects.toThrow();
        await expect(
          store.updateInterview('i-1', { status: 'completed' }, [unstorable]),
        ).rejects.toThrow();
        expect(await store.getInterview('i-1')).toEqual(record);
        expect((await store.getAnswersOfMany(['i-1'])).get('i-1')).toEqual(new Map(given));
      });
    });

    describe('questionnaires', () => {
      it('keeps two versions of one questionnaire apart', async () => {
        const store = await makeStore();
        const old = questionnaire('smpg', '2025.2');
        const current = questionnaire('smpg', '2026.1');
        const other = questionnaire('pilot', '2026.1');
        await store.putQuestionnaire(current);
        await store.putQuestionnaire(other);
        await store.putQuestionnaire(old);

        expect(await store.getQuestionnaire('smpg', '2025.2')).toEqual(old);
        expect(await store.getQuestionnaire('smpg', '2026.1')).toEqual(current);
        expect(await store.getQuestionnaire('smpg', '2027.1')).toBeUndefined();
        expect(await store.getQuestionnaire('pilot', '2025.2')).toBeUndefined();
        expect(await store.listQuestionnaires()).toEqual([other, old, current]);
      });

      it('replaces a version installed again', async () => {
        const store = await makeStore();
        await store.putQuestionnaire(questionnaire('smpg', '2026.1'));
        const again = {
          ...questionnaire('smpg', '2026.1'),
          installedAt: '2026-03-05T08:00:00.000Z',
        };
        await store.putQuestionnaire(again);
        expect(await store.listQuestionnaires()).toEqual([again]);
      });

      it('keeps a compiled form per version, whole, until the version is installed again', async () => {
        const store = await makeStore();
        const installed = questionnaire('demo', '1');
        await store.putQuestionnaire(installed);
        const loaded = loadQuestionnaire(DEMO_1);
        if (loaded.status === 'failure') throw new Error('the demo definition does not load');
        const compiled = {
          questionnaireId: 'demo',
          version: '1',
          build: '/assets/index-abc.js',
          questionnaire: loaded.questionnaire,
        };
        expect(await store.getCompiled('demo', '1')).toBeUndefined();
        await store.putCompiled(compiled);
        const back = await store.getCompiled('demo', '1');
        expect(back).toEqual(compiled);
        // Still one graph: an item reached by id is the item of the list, as compiled.
        const entry = back?.questionnaire.items[1];
        expect(entry && back?.questionnaire.itemById.get(entry.item.id)).toBe(entry);
        expect(await store.getCompiled('demo', '2')).toBeUndefined();
        await store.putCompiled({ ...compiled, build: '/assets/index-def.js' });
        expect((await store.getCompiled('demo', '1'))?.build).toBe('/assets/index-def.js');
        await store.putQuestionnaire(installed);
        expect(await store.getCompiled('demo', '1')).toBeUndefined();
      });
    });

    describe('settings', () => {
      it('has none at first, then round-trips and replaces them', async () => {
        const store = await makeStore();
        expect(await store.getSettings()).toBeUndefined();
        await store.putSettings(SETTINGS);
        expect(await store.getSettings()).toEqual(SETTINGS);
        const changed: DeviceSettings = {
          ...SETTINGS,
          practiceMode: true,
          uiLanguage: 'en',
          pickupPoints: ['Marché de Wazemmes', 'Gare Lille-Flandres'],
          lastPickupPoint: 'Gare Lille-Flandres',
        };
        await store.putSettings(changed);
        expect(await store.getSettings()).toEqual(changed);
      });
    });

    describe('copies', () => {
      it('does not let callers change stored data through values passed in or returned', async () => {
        const store = await makeStore();
        const alerts = [{ id: 'a1', at: AT }];
        await store.createInterview(interview('i-1', { alerts }));
        const codes = ['1', '2'];
        await store.saveAnswer('i-1', 'q1', codes, AT);
        const labelPacks = [{ source: 'fr.json', pack: { q1: 'Âge ?' } }];
        await store.putQuestionnaire({ ...questionnaire('smpg', '2026.1'), labelPacks });
        const settings = { ...SETTINGS };
        await store.putSettings(settings);
        const event = { interviewId: 'i-1', at: AT, type: 'enter' as const, itemId: 'q1' };
        await store.updateInterview('i-1', {}, [event]);

        // Change what was passed in.
        alerts.push({ id: 'a2', at: AT });
        codes.push('3');
        labelPacks.pop();
        settings.site = 'paris';
        event.itemId = 'q9';

        // Change what comes out.
        const answers = await store.getAnswers('i-1');
        const returnedCodes = answers.get('q1');
        if (Array.isArray(returnedCodes)) (returnedCodes as string[]).push('4');
        answers.set('q2', 'added');
        const got = await store.getInterview('i-1');
        (got?.alerts as { id: string; at: string }[] | undefined)?.push({ id: 'a3', at: AT });
        const listed = await store.listInterviews();
        if (listed[0] !== undefined) (listed[0] as { site: string }).site = 'marseille';
        const events = await store.listParadata('i-1');
        if (events[0] !== undefined) (events[0] as { itemId?: string }).itemId = 'q8';
        const installed = await store.getQuestionnaire('smpg', '2026.1');
        (installed?.labelPacks as unknown[] | undefined)?.push({ source: 'x', pack: {} });
        const gotSettings = await store.getSettings();
        (gotSettings?.siteSettings?.protocolContacts as unknown[] | undefined)?.reverse();

        expect(await store.getAnswers('i-1')).toEqual(new Map([['q1', ['1', '2']]]));
        expect((await store.getInterview('i-1'))?.alerts).toEqual([{ id: 'a1', at: AT }]);
        expect((await store.listInterviews())[0]?.site).toBe('lille');
        expect(await store.listParadata('i-1')).toEqual([
          { interviewId: 'i-1', at: AT, type: 'enter', itemId: 'q1' },
        ]);
        expect((await store.getQuestionnaire('smpg', '2026.1'))?.labelPacks).toHaveLength(1);
        expect(await store.getSettings()).toEqual(SETTINGS);
      });
    });
  });
}
