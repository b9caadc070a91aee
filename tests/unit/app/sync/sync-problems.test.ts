// The words the home screen gives a failed sync: each kind of failure (and each HTTP status the
// tablet may meet) leads to a message an interviewer can act on, in French and in English, loud
// only when interviews wait, and the technical detail stays available.
import { describe, expect, it } from 'vitest';
import type { SyncErrorKind } from '../../../../src/app/storage/index.ts';
import type { SyncProblem } from '../../../../src/app/sync/sync-problems.ts';
import {
  syncErrorDetail,
  syncNoticeOf,
  syncProblemOf,
} from '../../../../src/app/sync/sync-problems.ts';
import { HOME_TEXT } from '../../../../src/app/home-text.ts';

describe('syncProblemOf', () => {
  const cases: [SyncErrorKind | 'storage' | undefined, number | undefined, SyncProblem][] = [
    ['offline', undefined, 'offline'],
    ['network', undefined, 'unreachable'],
    // A body cut off mid-way after a 200: the request may or may not have landed.
    ['network', 200, 'unreachable'],
    ['unauthorized', 401, 'revoked'],
    ['server', 500, 'server_error'],
    ['server', 502, 'server_error'],
    ['server', 503, 'server_error'],
    ['client', 413, 'too_large'],
    ['rate_limited', 429, 'rate_limited'],
    ['client', 400, 'rejected'],
    ['client', 403, 'rejected'],
    ['client', 404, 'rejected'],
    ['bad_response', 200, 'unexpected_answer'],
    ['storage', undefined, 'device_storage'],
    // Kept by an app from before kinds were stored: the status still says what it was.
    [undefined, 401, 'revoked'],
    [undefined, 429, 'rate_limited'],
    [undefined, 413, 'too_large'],
    [undefined, 504, 'server_error'],
    [undefined, 409, 'rejected'],
    [undefined, undefined, 'unknown'],
  ];

  it.each(cases)('reads kind %s, status %s as %s', (kind, status, problem) => {
    expect(syncProblemOf({ kind, status })).toBe(problem);
  });

  it('has words for every problem in both languages, never the raw error', () => {
    const problems = new Set(cases.map(([, , problem]) => problem));
    expect(problems.size).toBe(10);
    for (const language of ['fr', 'en'] as const) {
      const words = HOME_TEXT[language].syncProblems;
      expect(Object.keys(words).sort()).toEqual([...problems].sort());
      for (const problem of problems) {
        expect(words[problem].length, `${language} ${problem}`).toBeGreaterThan(30);
        expect(words[problem]).not.toMatch(/fetch|HTTP|\d{3}/);
      }
    }
    expect(HOME_TEXT.fr.syncProblems.offline).toBe(
      'Pas de réseau : les entretiens restent sur la tablette et partiront au retour du réseau.',
    );
    expect(HOME_TEXT.fr.syncProblems.revoked).toMatch(
      /n’est plus autorisée : demandez un nouveau code/,
    );
  });
});

describe('syncErrorDetail', () => {
  it('keeps the message and adds the HTTP status when the message does not say it', () => {
    expect(syncErrorDetail('Failed to fetch', undefined)).toBe('Failed to fetch');
    expect(syncErrorDetail('maintenance', 503)).toBe('maintenance (HTTP 503)');
    expect(syncErrorDetail('HTTP 502', 502)).toBe('HTTP 502');
  });
});

describe('syncNoticeOf', () => {
  it('is an alarm while interviews wait, and only then', () => {
    const failed = {
      lastError: 'maintenance',
      lastErrorKind: 'server',
      lastErrorStatus: 503,
    } as const;
    expect(syncNoticeOf({ pending: 2, ...failed })).toEqual({
      level: 'alarm',
      problem: 'server_error',
    });
    // Every upload went; reading the quota state failed afterwards: nothing is at risk.
    expect(syncNoticeOf({ pending: 0, ...failed })).toEqual({
      level: 'note',
      problem: 'server_error',
    });
    expect(
      syncNoticeOf({ pending: 0, lastError: 'no answer within 20 s', lastErrorKind: 'network' }),
    ).toEqual({ level: 'note', problem: 'unreachable' });
    expect(
      syncNoticeOf({ pending: 1, lastError: 'no answer within 60 s', lastErrorKind: 'network' }),
    ).toEqual({ level: 'alarm', problem: 'unreachable' });
  });

  it('keeps a failure of the tablet’s own database loud, and says nothing without a failure', () => {
    expect(syncNoticeOf({ pending: 0, lastError: 'stuck', lastErrorKind: 'storage' })).toEqual({
      level: 'alarm',
      problem: 'device_storage',
    });
    expect(syncNoticeOf({ pending: 3 })).toBeUndefined();
    // A revoked token has its own banner.
    expect(
      syncNoticeOf({
        pending: 3,
        lastError: 'revoked',
        lastErrorKind: 'unauthorized',
        blocked: 'revoked',
      }),
    ).toBeUndefined();
  });

  it('has a quiet note in both languages that names no error', () => {
    expect(HOME_TEXT.fr.syncNote).toMatch(/^Rien n’attend d’être envoyé/);
    expect(HOME_TEXT.en.syncNote).toMatch(/^Nothing is waiting to be sent/);
    for (const language of ['fr', 'en'] as const) {
      expect(HOME_TEXT[language].syncNote).not.toMatch(/erreur|error|HTTP|\d{3}/i);
    }
    expect(HOME_TEXT.fr.syncProblems.unreachable).toMatch(/^Le serveur ne répond pas/);
    expect(HOME_TEXT.en.syncProblems.unreachable).toMatch(/^The server does not answer/);
  });
});
