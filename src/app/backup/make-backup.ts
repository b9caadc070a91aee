// "Sauvegarde" without React: gathers every interview the server has not acknowledged, builds
// each record exactly as a sync would upload it, and encrypts them with the device token to the
// server's key (backup-file.ts), for a file the coordinator imports on the dashboard.
import type { InterviewRecordWire } from '../../core/protocol/index.ts';
import type { QuestionnaireCache } from '../questionnaires/catalogue.ts';
import type { InterviewRecord, InterviewStore } from '../storage/index.ts';
import { isOutgoing } from '../sync/outbox.ts';
import { buildRecord } from '../sync/sync-engine.ts';
import type { BackupFile } from '../../core/protocol/index.ts';
import { encryptBackup } from './backup-file.ts';

/** Not acknowledged: an interview that leaves the device (not practice) and is not `sent`. */
export function needsBackup(interview: InterviewRecord): boolean {
  return isOutgoing(interview) && interview.sync?.state !== 'sent';
}

/** `smpg-sauvegarde-<site>-<device>-<date>.json`, the date and time local, safe in any file system. */
export function backupFileName(site: string, deviceId: string, at: Date): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9_-]+/g, '_');
  const two = (n: number) => String(n).padStart(2, '0');
  const date =
    `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}` +
    `-${two(at.getHours())}${two(at.getMinutes())}`;
  return `smpg-sauvegarde-${safe(site)}-${safe(deviceId)}-${date}.json`;
}

export type BackupResult =
  | {
      readonly ok: true;
      readonly file: BackupFile;
      readonly name: string;
      /** Interviews whose record could not be built here (their reasons), left out of the file. */
      readonly skipped: readonly string[];
    }
  /**
   * `not_enrolled`: no server, nothing to import it into; `no_key`: the server's key never reached
   * the tablet (it has not been online since enrolment); `nothing`: every interview is acknowledged.
   */
  | { readonly ok: false; readonly problem: 'not_enrolled' | 'no_key' | 'nothing' }
  /** Interviews wait, but none of their records could be built here (why, for each). */
  | { readonly ok: false; readonly problem: 'unbuildable'; readonly reasons: readonly string[] };

/** The backup file of the tablet's unacknowledged interviews, at `now`. */
export async function makeBackup(
  store: InterviewStore,
  cache: QuestionnaireCache,
  now: Date,
): Promise<BackupResult> {
  const settings = await store.getSettings();
  if (settings?.deviceToken === undefined || settings.serverUrl === undefined)
    return { ok: false, problem: 'not_enrolled' };
  const key = settings.serverKey;
  if (key === undefined) return { ok: false, problem: 'no_key' };
  const interviews = (await store.listInterviews()).filter(needsBackup);
  if (interviews.length === 0) return { ok: false, problem: 'nothing' };
  const records: InterviewRecordWire[] = [];
  const skipped: string[] = [];
  for (const interview of interviews) {
    const built = await buildRecord(store, cache, interview);
    if ('problem' in built) skipped.push(built.problem);
    else records.push(built.record);
  }
  if (records.length === 0) return { ok: false, problem: 'unbuildable', reasons: skipped };
  const file = await encryptBackup({ token: settings.deviceToken, records }, key, {
    createdAt: now.toISOString(),
    deviceId: settings.deviceId,
    site: settings.site,
  });
  return { ok: true, file, name: backupFileName(settings.site, settings.deviceId, now), skipped };
}
