// What went wrong with sync, in terms an interviewer can act on: the home screen shows the words
// of the problem (home-text `syncProblems`), loud only when interviews wait, and keeps the
// technical message behind "Détails".
import type { SyncErrorKind } from '../storage/index.ts';

/**
 * `offline`: no network; `unreachable`: network, but no answer from the server; `revoked`: the
 * server refuses the tablet's key (401); `server_error`: 5xx; `too_large`: 413 (a proxy's body
 * limit, usually); `rate_limited`: 429; `rejected`: another 4xx; `unexpected_answer`: an answer
 * the app cannot read (app and server of different versions); `device_storage`: the tablet's own
 * database failed; `unknown`: an error kept by an older version of the app, without its kind.
 */
export type SyncProblem =
  | 'offline'
  | 'unreachable'
  | 'revoked'
  | 'server_error'
  | 'too_large'
  | 'rate_limited'
  | 'rejected'
  | 'unexpected_answer'
  | 'device_storage'
  | 'unknown';

/** The problem a failed run's kind and HTTP status mean. */
export function syncProblemOf(error: {
  readonly kind?: SyncErrorKind | 'storage' | undefined;
  readonly status?: number | undefined;
}): SyncProblem {
  const { kind, status } = error;
  switch (kind) {
    case 'offline':
      return 'offline';
    case 'network':
      return 'unreachable';
    case 'storage':
      return 'device_storage';
    case 'bad_response':
      return 'unexpected_answer';
    default:
      break;
  }
  if (kind === 'unauthorized' || status === 401) return 'revoked';
  if (kind === 'rate_limited' || status === 429) return 'rate_limited';
  if (status === 413) return 'too_large';
  if (kind === 'server' || (status !== undefined && status >= 500)) return 'server_error';
  if (kind === 'client' || (status !== undefined && status >= 400)) return 'rejected';
  return 'unknown';
}

/** The technical detail kept for whoever helps: the message, and the HTTP status if any. */
export function syncErrorDetail(message: string, status: number | undefined): string {
  return status === undefined || message.includes(String(status))
    ? message
    : `${message} (HTTP ${status})`;
}

/**
 * How the home screen shows the last run's failure. `alarm`: interviews wait to be sent, or the
 * tablet's own storage failed: the problem's words are the headline. `note`: nothing waits (what
 * failed is a download: versions, quota state, site settings), so nothing is at risk and a quiet
 * line says so. Undefined: no failure, or a blocked tablet (a revoked token has its own banner).
 */
export interface SyncNotice {
  readonly level: 'alarm' | 'note';
  readonly problem: SyncProblem;
}

export function syncNoticeOf(status: {
  readonly pending: number;
  readonly lastError?: string | undefined;
  readonly lastErrorKind?: SyncErrorKind | 'storage' | undefined;
  readonly lastErrorStatus?: number | undefined;
  readonly blocked?: string | undefined;
}): SyncNotice | undefined {
  if (status.lastError === undefined || status.blocked !== undefined) return undefined;
  const problem = syncProblemOf({ kind: status.lastErrorKind, status: status.lastErrorStatus });
  const quiet = status.pending === 0 && problem !== 'device_storage';
  return { level: quiet ? 'note' : 'alarm', problem };
}
