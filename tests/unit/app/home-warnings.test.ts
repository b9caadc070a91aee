// The home screen's warnings with a fixed clock: interviews unsent for more than a day (only those
// that leave the tablet, only with a server), storage nearly full, and Safari's deletion of unused
// data (always said there, with the days away when the app had been left for more than 3); and
// the note of the app's last use, read once per session.
import { describe, expect, it } from 'vitest';
import type { HomeWarningInput, KeyValueStore } from '../../../src/app/home-warnings.ts';
import {
  LAST_USE_KEY,
  PREVIOUS_USE_KEY,
  homeWarnings,
  recordUse,
} from '../../../src/app/home-warnings.ts';
import type { InterviewRecord, InterviewStatus } from '../../../src/app/storage/index.ts';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const HOUR = 60 * 60 * 1000;
const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR).toISOString();

let next = 0;
function interview(
  status: InterviewStatus,
  endedHoursAgo: number | undefined,
  extra: Partial<InterviewRecord> = {},
): InterviewRecord {
  next += 1;
  return {
    id: `00000000-0000-7000-8000-${String(next).padStart(12, '0')}`,
    questionnaireId: 'smpg',
    questionnaireVersion: '1.0.0',
    site: 'lille',
    interviewer: 'ENQ-07',
    deviceId: 'device-1',
    status,
    practice: false,
    position: null,
    language: 'fr',
    appVersion: '0.1.0',
    startedAt: ago((endedHoursAgo ?? 0) + 1),
    updatedAt: ago(endedHoursAgo ?? 0),
    ...(endedHoursAgo === undefined ? {} : { endedAt: ago(endedHoursAgo) }),
    ...extra,
  };
}

const QUIET: HomeWarningInput = {
  now: NOW,
  enrolled: true,
  interviews: [],
  storage: { persisted: true, usage: 10_000_000, quota: 2_000_000_000 },
  evictsUnused: false,
  previousUse: ago(2),
};

describe('interviews unsent for more than a day', () => {
  it('counts those that ended more than 24 h ago and still wait, and names the oldest', () => {
    const interviews = [
      interview('completed', 25),
      interview('broken_off', 70),
      interview('screened_out', 30),
      interview('completed', 23), // less than a day
      interview('completed', 48, { sync: { state: 'sent', attempts: 1, sentAt: ago(47) } }),
      interview('completed', 48, { practice: true }), // never leaves the tablet
      interview('in_progress', undefined), // a draft
      interview('abandoned', 50),
    ];
    expect(homeWarnings({ ...QUIET, interviews })).toEqual([
      { kind: 'unsent', count: 3, oldestEndedAt: ago(70) },
    ]);
  });

  it('says nothing at 24 h exactly, nor without a server (nothing is ever sent)', () => {
    expect(homeWarnings({ ...QUIET, interviews: [interview('completed', 24)] })).toEqual([]);
    expect(
      homeWarnings({ ...QUIET, enrolled: false, interviews: [interview('completed', 100)] }),
    ).toEqual([]);
  });
});

describe('storage nearly full', () => {
  it('warns with what is left, and not from unknown figures', () => {
    const MB = 1024 * 1024;
    expect(
      homeWarnings({ ...QUIET, storage: { persisted: true, usage: 900 * MB, quota: 1000 * MB } }),
    ).toEqual([{ kind: 'storage_full', left: 100 * MB }]);
    expect(
      homeWarnings({ ...QUIET, storage: { persisted: false, usage: 10, quota: 40 * MB } }),
    ).toEqual([{ kind: 'storage_full', left: 40 * MB - 10 }]);
    expect(
      homeWarnings({ ...QUIET, storage: { persisted: null, usage: null, quota: null } }),
    ).toEqual([]);
    expect(homeWarnings({ ...QUIET, storage: undefined })).toEqual([]);
  });
});

describe('Safari’s deletion of unused data', () => {
  it('is always said where the browser deletes, never elsewhere', () => {
    expect(homeWarnings({ ...QUIET, evictsUnused: true })).toEqual([
      { kind: 'unused_deletion', idleDays: undefined },
    ]);
    expect(homeWarnings({ ...QUIET, evictsUnused: true, previousUse: undefined })).toEqual([
      { kind: 'unused_deletion', idleDays: undefined },
    ]);
    expect(homeWarnings({ ...QUIET, evictsUnused: false, previousUse: ago(24 * 20) })).toEqual([]);
  });

  it('gives the days away when the app had been left for more than 3 days', () => {
    const at = (hours: number) =>
      homeWarnings({ ...QUIET, evictsUnused: true, previousUse: ago(hours) });
    expect(at(72)).toEqual([{ kind: 'unused_deletion', idleDays: undefined }]);
    expect(at(73)).toEqual([{ kind: 'unused_deletion', idleDays: 3 }]);
    expect(at(24 * 6 + 5)).toEqual([{ kind: 'unused_deletion', idleDays: 6 }]);
  });

  it('comes after storage and unsent interviews', () => {
    const MB = 1024 * 1024;
    const kinds = homeWarnings({
      ...QUIET,
      evictsUnused: true,
      interviews: [interview('completed', 30)],
      storage: { persisted: false, usage: 990 * MB, quota: 1000 * MB },
    }).map((warning) => warning.kind);
    expect(kinds).toEqual(['storage_full', 'unsent', 'unused_deletion']);
  });
});

class MapStore implements KeyValueStore {
  readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
}

describe('last use', () => {
  it('returns the use before this session, the same all session long, and notes this one', () => {
    const local = new MapStore();
    const first = new MapStore();
    expect(recordUse(local, first, new Date(ago(200)))).toBeUndefined();
    expect(recordUse(local, first, new Date(ago(199)))).toBeUndefined();
    expect(local.getItem(LAST_USE_KEY)).toBe(ago(199));

    // A new session (the app opened again four days later): the last use of the one before.
    const second = new MapStore();
    expect(recordUse(local, second, new Date(ago(100)))).toBe(ago(199));
    // A reload or a return home in the same session: the same answer.
    expect(recordUse(local, second, new Date(ago(99)))).toBe(ago(199));
    expect(recordUse(local, new MapStore(), NOW)).toBe(ago(99));
  });

  it('reads storage that throws, or a value that is no date, as no previous use', () => {
    const throwing: KeyValueStore = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    };
    expect(recordUse(throwing, new MapStore(), NOW)).toBeUndefined();
    const local = new MapStore();
    local.setItem(LAST_USE_KEY, 'yesterday');
    const session = new MapStore();
    expect(recordUse(local, session, NOW)).toBeUndefined();
    expect(session.getItem(PREVIOUS_USE_KEY)).toBe('yesterday');
  });
});
