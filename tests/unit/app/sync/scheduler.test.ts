// The scheduler: one run at a time whatever triggers it, the stored backoff honoured by a new
// scheduler (as after a reload), the interval while all is well, the status React reads, and no
// run without end (a held answer, a stalled run, a stuck database).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InterviewRecord } from '../../../../src/app/storage/index.ts';
import { MemoryInterviewStore } from '../../../../src/app/storage/index.ts';
import type { Transport } from '../../../../src/app/sync/api.ts';
import { DEFAULT_DEADLINES } from '../../../../src/app/sync/api.ts';
import type { Timers } from '../../../../src/app/sync/scheduler.ts';
import { RUN_GRACE_MS, createSyncScheduler } from '../../../../src/app/sync/scheduler.ts';
import { syncNoticeOf } from '../../../../src/app/sync/sync-problems.ts';
import type { TestServer } from './fixture.ts';
import {
  addInterview,
  enrolledTablet,
  injectTransport,
  manualClock,
  startServer,
  withoutServer,
} from './fixture.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

/** Timers fired by hand: each armed one is kept with its delay. */
function manualTimers() {
  const armed = new Map<number, { callback: () => void; ms: number }>();
  let next = 0;
  const timers: Timers = {
    set(callback, ms) {
      next += 1;
      armed.set(next, { callback, ms });
      return next;
    },
    clear(handle) {
      armed.delete(handle as number);
    },
  };
  return {
    timers,
    /** Delays of the timers armed now. */
    delays: () => [...armed.values()].map((timer) => timer.ms),
    /** Fires every armed timer once. */
    fire() {
      const due = [...armed.entries()];
      armed.clear();
      for (const [, timer] of due) timer.callback();
    },
  };
}

/** A transport that counts concurrent requests and can be held until released. */
function gated(inner: Transport) {
  let active = 0;
  let maxActive = 0;
  let gate: Promise<void> = Promise.resolve();
  let open: () => void = () => undefined;
  const transport: Transport = async (url, init) => {
    active += 1;
    maxActive = Math.max(maxActive, active);
    try {
      await gate;
      return await inner(url, init);
    } finally {
      active -= 1;
    }
  };
  return {
    transport,
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release: () => open(),
    maxActive: () => maxActive,
  };
}

async function setup() {
  const net = injectTransport(server.app);
  const tablet = await enrolledTablet(server, net.transport);
  const clock = manualClock();
  const timers = manualTimers();
  return { net, tablet, clock, timers };
}

const uploadCount = (seen: readonly { path: string }[]) =>
  seen.filter((request) => request.path === '/api/v1/records').length;

describe('sync scheduler', () => {
  it('never runs twice at once: triggers during a run make one more run after it', async () => {
    const { net, tablet, clock, timers } = await setup();
    await addInterview(tablet, { age: 30 });
    const gate = gated(net.transport);
    const scheduler = createSyncScheduler({
      ...tablet,
      transport: gate.transport,
      now: clock.now,
      random: () => 0.5,
      timers: timers.timers,
    });
    gate.hold();
    const first = scheduler.syncNow();
    const second = scheduler.syncNow();
    const third = scheduler.online();
    expect(scheduler.getStatus().running).toBe(true);
    gate.release();
    const outcomes = await Promise.all([first, second, third]);
    expect(gate.maxActive()).toBe(1);
    // One run sent the interview; the one queued behind it found nothing left to send.
    expect(uploadCount(net.seen)).toBe(1);
    expect(outcomes[0]).toMatchObject({ kind: 'done', pending: 0 });
    expect(scheduler.getStatus()).toMatchObject({ running: false, pending: 0, runs: 1 });
    expect(net.seen.filter((request) => request.path === '/api/v1/questionnaires')).toHaveLength(2);
    scheduler.stop();
  });

  it('runs at start, then every interval while online, and not while offline', async () => {
    const { net, tablet, clock, timers } = await setup();
    let online = true;
    const scheduler = createSyncScheduler({
      ...tablet,
      transport: net.transport,
      now: clock.now,
      timers: timers.timers,
      intervalMs: 60_000,
      isOnline: () => online,
    });
    await scheduler.start();
    expect(scheduler.getStatus()).toMatchObject({ enrolled: true, runs: 1 });
    expect(timers.delays()).toEqual([60_000]);

    await addInterview(tablet, { age: 30 });
    await scheduler.refresh();
    expect(scheduler.getStatus().pending).toBe(1);
    // refresh() does not push the armed timer back.
    expect(timers.delays()).toEqual([60_000]);

    online = false;
    timers.fire();
    expect(timers.delays()).toEqual([60_000]);
    expect(uploadCount(net.seen)).toBe(0);

    online = true;
    timers.fire();
    await expect.poll(() => scheduler.getStatus().runs).toBe(2);
    expect(uploadCount(net.seen)).toBe(1);
    expect(scheduler.getStatus().pending).toBe(0);
    scheduler.stop();
    expect(timers.delays()).toEqual([]);
  });

  it('keeps its backoff across a new scheduler (a reload) and retries when it ends', async () => {
    const { net, tablet, clock, timers } = await setup();
    await addInterview(tablet, { age: 30 });
    const options = {
      ...tablet,
      transport: net.transport,
      now: clock.now,
      random: () => 0.5,
      timers: timers.timers,
    };
    const first = createSyncScheduler(options);
    net.faults.push('before');
    await first.start();
    expect(first.getStatus()).toMatchObject({ pending: 1, lastError: 'Failed to fetch' });
    expect(timers.delays()).toEqual([2500]);
    first.stop();

    // The page reloads 1 s later: the new scheduler waits for what is left of the backoff.
    clock.advance(1000);
    const second = createSyncScheduler(options);
    const requests = net.seen.length;
    await second.start();
    expect(net.seen).toHaveLength(requests);
    expect(second.getStatus().nextAttemptAt).toBe(first.getStatus().nextAttemptAt);
    expect(timers.delays()).toEqual([1500]);

    // Each failure in a row doubles the ceiling of the next delay.
    net.faults.push('before');
    clock.advance(1500);
    timers.fire();
    await expect.poll(() => second.getStatus().runs).toBe(1);
    expect(timers.delays()).toEqual([5000]);
    net.faults.push('error500');
    clock.advance(5000);
    timers.fire();
    await expect.poll(() => second.getStatus().runs).toBe(2);
    expect(timers.delays()).toEqual([10_000]);

    clock.advance(10_000);
    timers.fire();
    await expect.poll(() => second.getStatus().runs).toBe(3);
    expect(second.getStatus()).toMatchObject({ pending: 0, runs: 3 });
    expect(second.getStatus().lastError).toBeUndefined();
    expect(second.getStatus().nextAttemptAt).toBeUndefined();
    second.stop();
  });

  it('tries at once, backoff or not, on "Synchroniser maintenant" and when back online', async () => {
    const { net, tablet, clock, timers } = await setup();
    await addInterview(tablet, { age: 30 });
    const scheduler = createSyncScheduler({
      ...tablet,
      transport: net.transport,
      now: clock.now,
      random: () => 0.5,
      timers: timers.timers,
    });
    net.faults.push('before', 'before');
    await scheduler.start();
    expect(await scheduler.syncNow()).toMatchObject({ kind: 'failed' });
    expect(await scheduler.online()).toMatchObject({ kind: 'done', sent: 1 });
    expect(scheduler.getStatus().pending).toBe(0);
    scheduler.stop();
  });

  it('tells its subscribers, and stops for good on a revoked token', async () => {
    const { net, tablet, clock, timers } = await setup();
    const scheduler = createSyncScheduler({
      ...tablet,
      transport: net.transport,
      now: clock.now,
      timers: timers.timers,
    });
    const seen: boolean[] = [];
    const unsubscribe = scheduler.subscribe(() => seen.push(scheduler.getStatus().running));
    await scheduler.start();
    expect(seen).toContain(true);
    expect(seen.at(-1)).toBe(false);
    const calls = seen.length;
    unsubscribe();

    const devices = (await server.call('GET', '/api/v1/sites/lille/devices')) as {
      id: string;
      label: string;
    }[];
    const mine = devices.find((device) => device.id === tablet.settings.deviceId);
    await server.call('POST', `/api/v1/sites/lille/devices/${mine?.id ?? ''}/revoke`);
    await addInterview(tablet, { age: 30 });
    expect(await scheduler.syncNow()).toMatchObject({ kind: 'blocked' });
    expect(scheduler.getStatus().blocked).toMatch(/revoked/);
    expect(timers.delays()).toEqual([]);
    expect(seen).toHaveLength(calls);
    scheduler.stop();
  });

  it('does not arm a timer on a tablet without a server', async () => {
    const { net, tablet, clock, timers } = await setup();
    await tablet.store.putSettings(withoutServer(tablet.settings));
    const scheduler = createSyncScheduler({
      ...tablet,
      transport: net.transport,
      now: clock.now,
      timers: timers.timers,
    });
    await scheduler.start();
    expect(scheduler.getStatus()).toMatchObject({
      enrolled: false,
      lastOutcome: { kind: 'not_enrolled' },
    });
    expect(timers.delays()).toEqual([]);
  });
});

/** A database whose next list of interviews never comes (a stuck IndexedDB transaction). */
class StuckOnceStore extends MemoryInterviewStore {
  stuck = false;
  override listInterviews(): Promise<InterviewRecord[]> {
    if (!this.stuck) return super.listInterviews();
    this.stuck = false;
    return new Promise(() => undefined);
  }
}

describe('sync scheduler, never running forever', () => {
  it('frees a run whose upload answer never comes: network failure, backoff, then a duplicate', async () => {
    const { net, tablet, clock, timers } = await setup();
    const interview = await addInterview(tablet, { age: 30 });
    // A half-dead connection: the server stores the upload, its answer never reaches the tablet.
    const answers: unknown[] = [];
    let held = true;
    const halfDead: Transport = async (url, init) => {
      const response = await net.transport(url, init);
      if (!url.endsWith('/api/v1/records')) return response;
      answers.push(((await response.json()) as { results: unknown }).results);
      return held ? new Promise(() => undefined) : response;
    };
    const scheduler = createSyncScheduler({
      ...tablet,
      transport: halfDead,
      now: clock.now,
      random: () => 0.5,
      timers: timers.timers,
      // The real upload deadline is a minute; the test's is 40 ms (plus ~0 for the body).
      deadlines: { ...DEFAULT_DEADLINES, uploadMs: 40, uploadBytesPerSecond: 1e9 },
    });
    const running: boolean[] = [];
    scheduler.subscribe(() => running.push(scheduler.getStatus().running));
    await scheduler.start();
    expect(running).toContain(true);
    expect(running.at(-1)).toBe(false);
    expect(scheduler.getStatus()).toMatchObject({
      running: false,
      runs: 1,
      pending: 1,
      lastErrorKind: 'network',
      lastError: expect.stringMatching(/^no answer within/) as unknown,
      lastOutcome: { kind: 'failed', sent: 0, pending: 1 },
    });
    expect(syncNoticeOf(scheduler.getStatus())).toEqual({ level: 'alarm', problem: 'unreachable' });
    // The backoff applies, as after any network failure.
    expect(timers.delays()).toEqual([2500]);
    expect(answers).toEqual([[{ id: interview.id, status: 'accepted' }]]);

    held = false;
    expect(await scheduler.syncNow()).toMatchObject({ kind: 'done', sent: 1, pending: 0 });
    // The resend was harmless: the server knew the record.
    expect(answers[1]).toEqual([{ id: interview.id, status: 'duplicate' }]);
    expect((await server.records('lille')).filter((row) => row.id === interview.id)).toHaveLength(
      1,
    );
    expect(scheduler.getStatus()).toMatchObject({ running: false, pending: 0 });
    expect(scheduler.getStatus().lastError).toBeUndefined();
    expect(syncNoticeOf(scheduler.getStatus())).toBeUndefined();
    scheduler.stop();
  });

  it('ends a run at its overall deadline, whatever its requests’ own', async () => {
    const { net, tablet, clock, timers } = await setup();
    const requests: string[] = [];
    let stalled = true;
    const transport: Transport = (url, init) => {
      requests.push(url);
      return stalled ? new Promise(() => undefined) : net.transport(url, init);
    };
    const hour = 3_600_000;
    const scheduler = createSyncScheduler({
      ...tablet,
      transport,
      now: clock.now,
      random: () => 0.5,
      timers: timers.timers,
      runDeadlineMs: 300_000,
      deadlines: { readMs: hour, downloadMs: hour, uploadMs: hour, uploadBytesPerSecond: 1 },
    });
    const run = scheduler.syncNow();
    await expect.poll(() => requests.length).toBe(1);
    expect(timers.delays()).toEqual([300_000]);
    timers.fire();
    expect(await run).toMatchObject({ kind: 'failed', pending: 0 });
    expect(scheduler.getStatus()).toMatchObject({
      running: false,
      lastErrorKind: 'network',
      lastError: expect.stringMatching(/took too long/) as unknown,
    });
    expect(requests).toHaveLength(1);
    // Nothing waited to be sent: a quiet note, not an alarm.
    expect(syncNoticeOf(scheduler.getStatus())).toEqual({ level: 'note', problem: 'unreachable' });

    stalled = false;
    expect(await scheduler.syncNow()).toMatchObject({ kind: 'done' });
    expect(scheduler.getStatus()).toMatchObject({ running: false, runs: 2 });
    expect(timers.delays()).toEqual([]);
  });

  it('stops waiting for a run stuck in the tablet’s database, says so, and runs again', async () => {
    const net = injectTransport(server.app);
    const store = new StuckOnceStore();
    const tablet = await enrolledTablet(server, net.transport, 'lille', store);
    const timers = manualTimers();
    await addInterview(tablet, { age: 30 });
    const scheduler = createSyncScheduler({
      ...tablet,
      transport: net.transport,
      now: manualClock().now,
      timers: timers.timers,
      runDeadlineMs: 300_000,
    });
    store.stuck = true;
    const run = scheduler.syncNow();
    await expect.poll(() => store.stuck).toBe(false);
    timers.fire();
    // The deadline gave up the requests; the database still holds the run.
    expect(timers.delays()).toEqual([RUN_GRACE_MS]);
    expect(scheduler.getStatus().running).toBe(true);
    timers.fire();
    expect(await run).toBeUndefined();
    expect(scheduler.getStatus()).toMatchObject({
      running: false,
      runs: 1,
      pending: 1,
      lastErrorKind: 'storage',
      lastError: expect.stringMatching(/did not end 300 s after it started/) as unknown,
    });
    expect(syncNoticeOf(scheduler.getStatus())).toEqual({
      level: 'alarm',
      problem: 'device_storage',
    });

    expect(await scheduler.syncNow()).toMatchObject({ kind: 'done', sent: 1, pending: 0 });
    expect(scheduler.getStatus()).toMatchObject({ running: false, runs: 2, pending: 0 });
    expect(scheduler.getStatus().lastError).toBeUndefined();
  });

  it('raises no alarm when every upload went and only a read failed after them', async () => {
    const { net, tablet, clock, timers } = await setup();
    await addInterview(tablet, { age: 30 });
    const scheduler = createSyncScheduler({
      ...tablet,
      transport: net.transport,
      now: clock.now,
      random: () => 0.5,
      timers: timers.timers,
    });
    // The upload and the index of versions pass; the quota state gets a 503.
    net.faults.push('none', 'none', 'error500');
    expect(await scheduler.syncNow()).toMatchObject({ kind: 'failed', sent: 1, pending: 0 });
    expect(scheduler.getStatus()).toMatchObject({
      pending: 0,
      lastErrorKind: 'server',
      lastErrorStatus: 503,
    });
    expect(syncNoticeOf(scheduler.getStatus())).toEqual({ level: 'note', problem: 'server_error' });
  });
});
