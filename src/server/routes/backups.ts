// A tablet's backup file brought back by its coordinator: the server's public key the tablets
// encrypt to (`GET /server-key`, no login), and the import of a file on the site's page
// (`POST /sites/:site/backups`), whose records go through the very checks and storage of an upload.
import type { FastifyInstance } from 'fastify';
import {
  API_PREFIX,
  BackupFileSchema,
  BackupPayloadSchema,
  MAX_BACKUP_BYTES,
  MAX_BATCH_RECORDS,
} from '../../core/protocol/index.ts';
import type {
  BackupPayload,
  BackupReport,
  ServerKey,
  UploadResult,
} from '../../core/protocol/index.ts';
import type { UploaderInfo } from '../admit.ts';
import { logAct } from '../audit-log.ts';
import { sha256 } from '../auth.ts';
import type { RecordCheckers } from '../record-checkers.ts';
import { backupKeys, openBackup, UnreadableBackup } from '../server-key.ts';
import type { RouteContext } from './context.ts';
import { HttpError, parse } from './context.ts';
import { sitePackRevisions } from './label-packs.ts';
import { checkAndSettle, RawBatch } from './records.ts';

export interface BackupOptions {
  /** The upload route's checker threads, if any: a backup's records are checked there too. */
  readonly checkers: RecordCheckers | undefined;
}

/** The payload of a decrypted file; `UnreadableBackup` when it is not one. */
function payloadOf(bytes: Buffer): BackupPayload {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    json = undefined;
  }
  const parsed = BackupPayloadSchema.safeParse(json);
  if (!parsed.success)
    throw new UnreadableBackup('this file decrypts, but what it holds is not a tablet backup');
  return parsed.data;
}

export function registerBackupRoutes(
  app: FastifyInstance,
  { store, now, iso, userWith, siteOf, validPlan, questionnaire }: RouteContext,
  { checkers }: BackupOptions,
): void {
  const backupKey = backupKeys(store, now);

  app.get(`${API_PREFIX}/server-key`, async (): Promise<ServerKey> => (await backupKey()).public);

  app.post(
    `${API_PREFIX}/sites/:site/backups`,
    // The file's JSON around its base64: room for the largest file a tablet may write.
    { bodyLimit: MAX_BACKUP_BYTES + 64 * 1024 },
    async (request): Promise<BackupReport> => {
      const { site } = request.params as { site: string };
      const user = await userWith(request, ['admin', 'coordinator'], site);
      const target = await siteOf(site);
      const file = parse(BackupFileSchema, request.body);
      const key = await backupKey();
      let payload: BackupPayload;
      try {
        payload = payloadOf(openBackup(file, key));
      } catch (error) {
        if (error instanceof UnreadableBackup)
          throw new HttpError(400, 'unreadable_backup', error.message);
        throw error;
      }
      // The tablet and its site are the token's, as for an upload. A revoked or expired token is
      // taken: the coordinator who imports the file vouches for it.
      const device = await store.findDeviceByToken(sha256(payload.token));
      if (device === undefined)
        throw new HttpError(
          400,
          'unknown_device',
          'the tablet token in this file is not one this server knows: the tablet was enrolled with another server, or enrolled again since it wrote the file',
        );
      if (device.site !== site)
        throw new HttpError(
          400,
          'wrong_site',
          `this file comes from a tablet of site ${device.site}: import it on that site's page`,
          { site: device.site },
        );
      const info: UploaderInfo = {
        site: device.site,
        deviceId: device.id,
        receivedAt: iso(),
        plan: validPlan(target),
        pickupPoints: target.pickupPoints,
        sitePacks: await sitePackRevisions(store, device.site),
      };
      const results: UploadResult[] = [];
      for (let from = 0; from < payload.records.length; from += MAX_BATCH_RECORDS) {
        const records = payload.records.slice(from, from + MAX_BATCH_RECORDS);
        // In the checker threads as an upload's bytes would be, else here.
        const body =
          checkers === undefined
            ? { records }
            : new RawBatch(Buffer.from(JSON.stringify({ records }), 'utf8'));
        const settled = await checkAndSettle(
          store,
          request.log,
          body,
          info,
          checkers,
          questionnaire,
        );
        // A record without an id is named by its place in the file, not in its batch.
        for (const result of settled.results)
          results.push(
            /^#\d+$/.test(result.id)
              ? { ...result, id: `#${from + Number(result.id.slice(1))}` }
              : result,
          );
      }
      const report: BackupReport = {
        deviceId: device.id,
        deviceLabel: device.label,
        createdAt: file.createdAt,
        total: results.length,
        added: results.filter((result) => result.status === 'accepted').length,
        duplicates: results.filter((result) => result.status === 'duplicate').length,
        refused: results
          .filter((result) => result.status === 'rejected' || result.status === 'conflict')
          .map((result) => ({ id: result.id, reason: result.reason ?? result.status })),
      };
      logAct(request, 'backup_imported', user.username, {
        site,
        device: device.id,
        revoked: device.revokedAt !== null,
        keyId: file.keyId,
        total: report.total,
        added: report.added,
        duplicates: report.duplicates,
        refused: report.refused.length,
      });
      return report;
    },
  );
}
