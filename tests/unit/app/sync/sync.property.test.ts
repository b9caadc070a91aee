// Sync converges whatever the network does: random interviews, random failures (before the
// server sees a request, or after it stored it but before the answer arrives), requests delivered
// twice, late replays of old uploads in another order, two runs at once (two tabs), random batch
// limits and waits. In the end the server holds each record exactly once, as the tablet built
// it, no practice interview, and the tablet has nothing waiting and has deleted nothing.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InterviewRecord } from '../../../../src/app/storage/index.ts';
import { buildRecord, runSync, waitingInterviews } from '../../../../src/app/sync/sync-engine.ts';
import type { SyncDeps } from '../../../../src/app/sync/sync-engine.ts';
import type { Fault, TestServer } from './fixture.ts';
import {
  addInterview,
  enrolledTablet,
  injectTransport,
  manualClock,
  startServer,
} from './fixture.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ admin: true });
});
afterAll(async () => {
  await server.close();
});

const fault = fc.constantFrom<Fault>('none', 'before', 'after', 'twice', 'replay', 'error500');

type Step =
  | { kind: 'interview'; age: number; variant: number; practice: boolean; minutes: number }
  | { kind: 'sync'; faults: Fault[]; force: boolean }
  | { kind: 'concurrent'; faults: Fault[] }
  | { kind: 'wait'; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('interview' as const),
      // Under 18 screens out: screened-out interviews are sent too.
      age: fc.integer({ min: 15, max: 95 }),
      variant: fc.nat({ max: 40 }),
      practice: fc.boolean(),
      minutes: fc.integer({ min: -600, max: 600 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('sync' as const),
      faults: fc.array(fault, { maxLength: 5 }),
      force: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('concurrent' as const),
      faults: fc.array(fault, { maxLength: 5 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.integer({ min: 0, max: 400_000 }),
    }),
  },
);

let runs = 0;

describe('sync (property)', () => {
  it('every record ends on the server exactly once, whatever the network does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 14 }),
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        async (steps, maxRecords, jitter) => {
          runs += 1;
          const site = `prop-${runs}`;
          await server.addSite(site);
          const net = injectTransport(server.app);
          const tablet = await enrolledTablet(server, net.transport, site);
          const clock = manualClock();
          const deps: SyncDeps = {
            store: tablet.store,
            cache: tablet.cache,
            transport: net.transport,
            now: clock.now,
            random: () => jitter,
            limits: { maxRecords, maxBytes: 4 * 1024 * 1024 },
          };
          const made: InterviewRecord[] = [];
          for (const action of steps) {
            if (action.kind === 'interview') {
              const endedAt = new Date(clock.now().getTime() + action.minutes * 60_000);
              made.push(
                await addInterview(tablet, {
                  age: action.age,
                  variant: action.variant,
                  practice: action.practice,
                  endedAt: endedAt.toISOString(),
                }),
              );
            } else if (action.kind === 'sync') {
              net.faults.push(...action.faults);
              await runSync(deps, { force: action.force });
            } else if (action.kind === 'concurrent') {
              net.faults.push(...action.faults);
              await Promise.all([runSync(deps, { force: true }), runSync(deps, { force: true })]);
            } else {
              clock.advance(action.ms);
            }
            net.faults.length = 0;
          }

          // The network is fine again: one run sends everything left.
          const last = await runSync(deps, { force: true });
          expect(last).toMatchObject({ kind: 'done', pending: 0, refused: 0, conflicts: 0 });
          expect(await waitingInterviews(tablet.store)).toEqual([]);

          const expected = made.filter((interview) => !interview.practice);
          const rows = await server.records(site);
          expect(rows.map((row) => row.id).sort()).toEqual(
            expected.map((interview) => interview.id).sort(),
          );
          for (const interview of expected) {
            const built = await buildRecord(tablet.store, tablet.cache, interview);
            if (!('record' in built)) throw new Error(built.problem);
            const row = rows.find((candidate) => candidate.id === interview.id);
            expect(JSON.parse(row?.body ?? 'null')).toEqual(built.record);
            expect((await tablet.store.getInterview(interview.id))?.sync?.state).toBe('sent');
          }
          const kept = await tablet.store.listInterviews();
          expect(kept).toHaveLength(made.length);
          for (const interview of made.filter((candidate) => candidate.practice)) {
            expect(kept.find((candidate) => candidate.id === interview.id)?.sync).toBeUndefined();
          }
        },
      ),
      { numRuns: 30 },
    );
    expect(runs).toBeGreaterThanOrEqual(30);
  });
});
