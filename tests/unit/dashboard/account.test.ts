// The session the dashboard keeps in sessionStorage (today's shape only: name, admin, grants),
// the one-time link's token taken from the page's fragment, and a new password's checks.
import { describe, expect, it } from 'vitest';
import {
  SESSION_KEY,
  linkTokenFromHash,
  parseSession,
  passwordProblem,
  readSession,
  saveSession,
  takeLinkToken,
  withMe,
} from '../../../src/dashboard/account.ts';
import { DASHBOARD_TEXT } from '../../../src/dashboard/text.ts';

const SESSION = {
  token: 'ses_1',
  username: 'marie.d',
  admin: false,
  grants: [{ site: 'cayenne', role: 'coordinator' as const }],
};

describe('the stored session', () => {
  it('reads a session of today’s shape', () => {
    expect(parseSession(JSON.stringify(SESSION))).toEqual(SESSION);
  });

  it('forgets a session stored before roles per site (role and sites), or broken', () => {
    const old = { token: 'ses_1', username: 'coord', role: 'coordinator', sites: ['lille'] };
    expect(parseSession(JSON.stringify(old))).toBeUndefined();
    expect(parseSession('{"token":')).toBeUndefined();
    expect(parseSession(null)).toBeUndefined();
  });

  it('survives a storage that refuses, and round-trips through one that works', () => {
    const refusing = {
      getItem: (): string | null => {
        throw new Error('SecurityError');
      },
    };
    expect(readSession(refusing)).toBeUndefined();
    const stored = new Map<string, string>();
    saveSession({ setItem: (key, value) => void stored.set(key, value) }, SESSION);
    expect(readSession({ getItem: (key) => stored.get(key) ?? null })).toEqual(SESSION);
    expect([...stored.keys()]).toEqual([SESSION_KEY]);
  });

  it('takes the roles the server gives now, keeping the token', () => {
    const me = { username: 'marie.d', admin: true, grants: [] };
    expect(withMe(SESSION, me)).toEqual({ token: 'ses_1', ...me });
  });
});

describe('the one-time link’s token', () => {
  it('is read from #link=, encoded as oneTimeLinkUrl encodes it', () => {
    expect(linkTokenFromHash('#link=otl_a%2Bb')).toBe('otl_a+b');
    expect(linkTokenFromHash('#link=')).toBeUndefined();
    expect(linkTokenFromHash('#quotas')).toBeUndefined();
    expect(linkTokenFromHash('')).toBeUndefined();
  });

  it('is taken out of the address once read, the page and its query kept', () => {
    const replaced: (string | URL | null | undefined)[] = [];
    const history = {
      state: null,
      replaceState: (_state: unknown, _unused: string, url?: string | URL | null) =>
        void replaced.push(url),
    };
    const location = { hash: '#link=otl_x', pathname: '/dashboard/', search: '?site=a' };
    expect(takeLinkToken(location, history)).toBe('otl_x');
    expect(replaced).toEqual(['/dashboard/?site=a']);
    expect(takeLinkToken({ ...location, hash: '' }, history)).toBeUndefined();
    expect(replaced).toHaveLength(1);
  });
});

describe('a new password', () => {
  const fr = DASHBOARD_TEXT.fr;
  it('needs at least ten characters, said in French', () => {
    expect(passwordProblem('court', 'court', fr)).toBe(
      'Le mot de passe doit avoir au moins 10 caractères.',
    );
    expect(passwordProblem('123456789', '123456789', fr)).toBeDefined();
  });

  it('must be typed twice the same', () => {
    expect(passwordProblem('une longue phrase', 'une longue phrasE', fr)).toBe(fr.passwordMismatch);
    expect(passwordProblem('1234567890', '1234567890', fr)).toBeUndefined();
  });
});
