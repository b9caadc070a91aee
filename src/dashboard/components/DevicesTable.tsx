// The site's tablets: when each was enrolled, its last sync and how many interviews it said were
// still waiting to be sent, revoked or not; a tablet silent for more than a day is flagged, and
// a coordinator can revoke one (after confirming) and read a tablet's recovery code to its
// interviewer; others see the list only.
import { useState } from 'react';
import type { DeviceInfo } from '../../core/protocol/index.ts';
import type { DashboardApi } from '../api.ts';
import { dateTime } from '../format.ts';
import { fill, useText } from '../text.ts';

const STALE_MS = 24 * 3600_000;

export function DevicesTable({
  api,
  site,
  devices,
  now,
  language,
  canManage = true,
  explain,
  onRevoked,
}: {
  readonly api: DashboardApi;
  readonly site: string;
  readonly devices: readonly DeviceInfo[];
  /** The server's time of the figures, to judge how long a tablet has been silent. */
  readonly now: string;
  readonly language: string;
  /** False for a user who only reads the site: no revoke button. */
  readonly canManage?: boolean;
  readonly explain: (failure: unknown) => string;
  readonly onRevoked: () => void;
}) {
  const text = useText();
  const [confirming, setConfirming] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [recovery, setRecovery] = useState<{ label: string; secret: string }>();

  const reveal = async (id: string, label: string) => {
    setError(undefined);
    try {
      setRecovery({ label, secret: await api.recoverySecret(site, id) });
    } catch (failure) {
      setRecovery(undefined);
      setError(explain(failure));
    }
  };

  const revoke = async (id: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.revokeDevice(site, id);
      setConfirming(undefined);
      onRevoked();
    } catch (failure) {
      setError(explain(failure));
    } finally {
      setBusy(false);
    }
  };

  if (devices.length === 0) return <p>{text.noDevices}</p>;
  return (
    <>
      <div className="table-scroll" tabIndex={0}>
        <table className="data" data-table="devices">
          <caption>{text.devicesCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{text.deviceLabel}</th>
              <th scope="col">{text.enrolledAt}</th>
              <th scope="col">{text.lastSync}</th>
              <th scope="col">{text.waiting}</th>
              <th scope="col">{text.state}</th>
              <th scope="col">{text.actions}</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((device) => {
              // Silent: no upload for a day, counting from enrolment when it never sent anything.
              const silent =
                device.revokedAt === null &&
                Date.parse(now) - Date.parse(device.lastSyncAt ?? device.enrolledAt) > STALE_MS;
              return (
                <tr key={device.id} data-device={device.id}>
                  <th scope="row">{device.label}</th>
                  <td>{dateTime(device.enrolledAt, language)}</td>
                  <td className={silent ? 'flagged' : undefined}>
                    {device.lastSyncAt === null
                      ? text.never
                      : dateTime(device.lastSyncAt, language)}
                    {silent && <span className="tag tag-flag">{text.stale}</span>}
                  </td>
                  <td className="number">{device.lastPending ?? '—'}</td>
                  <td>
                    {device.revokedAt === null
                      ? text.active
                      : fill(text.revoked, { time: dateTime(device.revokedAt, language) })}
                  </td>
                  <td>
                    {canManage && (
                      <button
                        type="button"
                        aria-label={fill(text.recoveryLabel, { label: device.label })}
                        onClick={() => void reveal(device.id, device.label)}
                      >
                        {text.recoveryShow}
                      </button>
                    )}{' '}
                    {canManage &&
                      device.revokedAt === null &&
                      (confirming === device.id ? (
                        <span className="inline">
                          <button
                            type="button"
                            className="danger"
                            disabled={busy}
                            onClick={() => void revoke(device.id)}
                          >
                            {fill(text.revokeConfirm, { label: device.label })}
                          </button>
                          <button type="button" onClick={() => setConfirming(undefined)}>
                            {text.cancel}
                          </button>
                        </span>
                      ) : (
                        <button
                          type="button"
                          aria-label={fill(text.revokeLabel, { label: device.label })}
                          onClick={() => setConfirming(device.id)}
                        >
                          {text.revoke}
                        </button>
                      ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {confirming !== undefined && <p className="small">{text.revokeHelp}</p>}
      {recovery !== undefined && (
        <div className="notice" role="status" data-testid="recovery-code">
          <p>
            {fill(text.recoveryCode, { label: recovery.label })} <code>{recovery.secret}</code>
          </p>
          <p className="small">{text.recoveryHelp}</p>
          <button type="button" onClick={() => setRecovery(undefined)}>
            {text.recoveryHide}
          </button>
        </div>
      )}
      {error !== undefined && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
