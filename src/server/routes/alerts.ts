// The safety protocol as the team sees it: every alert raised in the site's stored records
// (completed, screened out or broken off), with its time and what the interviewer did.
import type { FastifyInstance } from 'fastify';
import type { AlertEventInfo, InterviewRecordWire } from '../../core/protocol/index.ts';
import { API_PREFIX } from '../../core/protocol/index.ts';
import type { AlertRecordRow } from '../store/types.ts';
import type { RouteContext } from './context.ts';

/** A record's alert events as the list gives them, in the order the tablet raised them. */
function alertsOf(row: AlertRecordRow): AlertEventInfo[] {
  const record = JSON.parse(row.body) as InterviewRecordWire;
  return (record.alertEvents ?? []).map((event) => ({
    recordId: row.id,
    interviewer: row.interviewer,
    deviceId: row.deviceId,
    status: row.status,
    alertId: event.id,
    raisedAt: event.raisedAt,
    acknowledgedAt: event.acknowledgedAt,
    actions: [...event.actions],
  }));
}

/**
 * Every alert of the site's records, newest raised first (by instant: tablets may write an
 * offset), then by record and order within it. Only records that hold alert events are read.
 */
export async function siteAlerts(
  store: RouteContext['store'],
  site: string,
): Promise<AlertEventInfo[]> {
  const listed = (await store.alertRecords(site)).flatMap((row) =>
    alertsOf(row).map((alert, order) => ({ alert, order, at: Date.parse(alert.raisedAt) })),
  );
  listed.sort(
    (a, b) =>
      b.at - a.at ||
      (a.alert.recordId < b.alert.recordId ? -1 : a.alert.recordId > b.alert.recordId ? 1 : 0) ||
      b.order - a.order,
  );
  return listed.map((entry) => entry.alert);
}

export function registerAlertRoutes(
  app: FastifyInstance,
  { store, userWith, siteOf }: RouteContext,
): void {
  app.get(`${API_PREFIX}/sites/:site/alerts`, async (request): Promise<AlertEventInfo[]> => {
    const { site } = request.params as { site: string };
    await userWith(request, ['admin', 'coordinator', 'analyst'], site);
    await siteOf(site);
    return siteAlerts(store, site);
  });
}
