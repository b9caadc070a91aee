// The dashboard's account rules, with no React: the session kept for the tab's life in
// sessionStorage, the one-time link's token read from the page's fragment, and a new password's checks.
import type { LoginResponse, Me } from '../core/protocol/index.ts';
import { LINK_FRAGMENT, LoginResponseSchema, MIN_PASSWORD_LENGTH } from '../core/protocol/index.ts';
import type { DashboardTexts } from './text.ts';
import { fill } from './text.ts';

/** Where the session is kept: sessionStorage, so it ends with the tab. */
export const SESSION_KEY = 'smpg-dashboard-session';

/** The logged-in user as the login answered: token, name, admin or not, roles per site. */
export type Session = LoginResponse;

/** The stored session, or undefined when there is none or it is not a session of today's shape. */
export function parseSession(raw: string | null): Session | undefined {
  if (raw === null) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
  const parsed = LoginResponseSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

export function readSession(storage: Pick<Storage, 'getItem'>): Session | undefined {
  try {
    return parseSession(storage.getItem(SESSION_KEY));
  } catch {
    // Storage refused (a locked-down browser): no session to resume.
    return undefined;
  }
}

export function saveSession(storage: Pick<Storage, 'setItem'>, session: Session): void {
  try {
    storage.setItem(SESSION_KEY, JSON.stringify(session));
  } catch {
    // Without storage the session lasts as long as the page.
  }
}

/** The session with who the server now says the user is (roles may have changed since login). */
export function withMe(session: Session, me: Me): Session {
  return { token: session.token, username: me.username, admin: me.admin, grants: me.grants };
}

/** The token of a one-time link page (`#link=<token>`), if the fragment carries one. */
export function linkTokenFromHash(hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get(LINK_FRAGMENT);
  return token === null || token === '' ? undefined : token;
}

/**
 * Reads the one-time link's token and takes it out of the address bar at once, so that it stays
 * in neither the history nor a bookmark nor a screenshot of the page.
 */
export function takeLinkToken(
  location: Pick<Location, 'hash' | 'pathname' | 'search'>,
  history: Pick<History, 'replaceState' | 'state'>,
): string | undefined {
  const token = linkTokenFromHash(location.hash);
  if (token !== undefined)
    history.replaceState(history.state, '', location.pathname + location.search);
  return token;
}

/** What is wrong with a new password and its confirmation, in words; undefined when nothing. */
export function passwordProblem(
  password: string,
  confirmation: string,
  text: DashboardTexts,
): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH)
    return fill(text.passwordTooShort, { min: MIN_PASSWORD_LENGTH });
  if (password !== confirmation) return text.passwordMismatch;
  return undefined;
}
