// The outbox's pure rules: what leaves the device, batches within both limits, and the backoff
// (growing, capped, jittered by the injected random function).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InterviewRecord } from '../../../../src/app/storage/index.ts';
import {
  DEFAULT_BACKOFF,
  backoffDelayMs,
  cutBatches,
  isOutgoing,
  isWaiting,
  syncStateOf,
} from '../../../../src/app/sync/outbox.ts';

function interview(patch: Partial<InterviewRecord>): InterviewRecord {
  return {
    id: 'i',
    questionnaireId: 'demo',
    questionnaireVersion: '1',
    site: 's',
    interviewer: 'A',
    deviceId: 'd',
    status: 'completed',
    practice: false,
    position: null,
    language: 'fr',
    appVersion: 'test',
    startedAt: '2026-06-15T10:00:00.000Z',
    updatedAt: '2026-06-15T10:00:00.000Z',
    ...patch,
  };
}

describe('outbox', () => {
  it('sends completed, screened-out and broken-off interviews, never practice ones, drafts or abandoned ones', () => {
    expect(isOutgoing(interview({}))).toBe(true);
    expect(isOutgoing(interview({ status: 'screened_out' }))).toBe(true);
    expect(isOutgoing(interview({ status: 'broken_off' }))).toBe(true);
    expect(syncStateOf(interview({ status: 'broken_off' }))).toBe('waiting');
    expect(isOutgoing(interview({ practice: true }))).toBe(false);
    expect(isOutgoing(interview({ status: 'screened_out', practice: true }))).toBe(false);
    expect(isOutgoing(interview({ status: 'broken_off', practice: true }))).toBe(false);
    for (const status of ['screening', 'in_progress', 'abandoned'] as const) {
      expect(isOutgoing(interview({ status }))).toBe(false);
      expect(syncStateOf(interview({ status }))).toBe('local');
    }
  });

  it('waits until the server has answered for good', () => {
    expect(isWaiting(interview({}))).toBe(true);
    expect(isWaiting(interview({ sync: { state: 'waiting', attempts: 3 } }))).toBe(true);
    for (const state of ['sent', 'refused', 'conflict'] as const) {
      expect(isWaiting(interview({ sync: { state, attempts: 0 } }))).toBe(false);
      expect(syncStateOf(interview({ sync: { state, attempts: 0 } }))).toBe(state);
    }
  });

  it('cuts batches within both limits, keeping the order and every item', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 120 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 40, max: 400 }),
        (sizes, maxRecords, maxBytes) => {
          const items = sizes.map((bytes, item) => ({ item, bytes }));
          const overhead = 10;
          const { batches, tooBig } = cutBatches(items, { maxRecords, maxBytes, overhead });
          expect([...batches.flat(), ...tooBig].sort((a, b) => a - b)).toEqual(
            items.map(({ item }) => item),
          );
          expect(batches.flat()).toEqual(
            items.filter(({ bytes }) => overhead + bytes <= maxBytes).map(({ item }) => item),
          );
          for (const batch of batches) {
            expect(batch.length).toBeGreaterThan(0);
            expect(batch.length).toBeLessThanOrEqual(maxRecords);
            const total =
              overhead + batch.reduce((sum, i) => sum + (sizes[i] ?? 0), 0) + batch.length - 1;
            expect(total).toBeLessThanOrEqual(maxBytes);
          }
          for (const item of tooBig)
            expect(overhead + (sizes[item] ?? 0)).toBeGreaterThan(maxBytes);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('backs off exponentially from about 5 s, capped at 5 minutes', () => {
    const top = () => 0.999_999;
    const delays = Array.from({ length: 12 }, (_, i) => backoffDelayMs(i + 1, top));
    expect(delays.slice(0, 7)).toEqual([4999, 9999, 19999, 39999, 79999, 159999, 299999]);
    for (const [i, delay] of delays.entries()) {
      expect(delay).toBeLessThanOrEqual(DEFAULT_BACKOFF.capMs);
      if (i > 0) expect(delay).toBeGreaterThanOrEqual(delays[i - 1] ?? 0);
    }
    expect(backoffDelayMs(1000, top)).toBeLessThanOrEqual(DEFAULT_BACKOFF.capMs);
    expect(backoffDelayMs(0, top)).toBe(0);
  });

  it('draws each delay anywhere below its ceiling (full jitter)', () => {
    expect(backoffDelayMs(3, () => 0)).toBe(0);
    expect(backoffDelayMs(3, () => 0.5)).toBe(10_000);
    expect(backoffDelayMs(3, () => 0.25)).toBe(5_000);
    const draws = [0.1, 0.7, 0.3];
    const jittered = draws.map((draw) => backoffDelayMs(4, () => draw));
    expect(new Set(jittered).size).toBe(3);
    expect(backoffDelayMs(2, () => 0.5, { baseMs: 100, capMs: 150 })).toBe(75);
  });
});
