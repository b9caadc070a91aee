// The interviews the server refused for a site (refused is not lost): each waiting one with its
// reason in the server's words, accepted with the server's recomputed values or dismissed (after
// confirming), the record as sent on request, and below the ones already handled.
import { useEffect, useState } from 'react';
import type { SyntheticEvent } from 'react';
import type { DeviceInfo, RefusedRecordInfo } from '../../core/protocol/index.ts';
import type { DashboardApi } from '../api.ts';
import { ApiError } from '../api.ts';
import { dateTime } from '../format.ts';
import { readRecordReason } from '../../core/record/problems.ts';
import { recordProblemText } from '../record-problems.ts';
import { refusalText } from '../refusals.ts';
import type { DashboardTexts } from '../text.ts';
import { fill, useText } from '../text.ts';
import { countText } from '../../app/components/plurals.ts';

/** What became of an accept or dismiss asked for in this page. */
type Outcome =
  | { readonly kind: 'stored'; readonly duplicate: boolean }
  | { readonly kind: 'problem'; readonly message: string };

/** The record as sent, once asked for. */
type Sent = { readonly record: unknown } | { readonly error: string } | 'loading';

/**
 * A refusal of accept or dismiss in words a coordinator can act on (409: still refused, with the
 * server's reason; another interview with the same id; already resolved), or undefined for a
 * failure that is not such a refusal (the dashboard explains those alike everywhere).
 */
export function refusalWords(
  failure: unknown,
  text: DashboardTexts,
  language: string,
): string | undefined {
  if (!(failure instanceof ApiError) || failure.status !== 409) return undefined;
  return refusalText(failure, text, { language });
}

/**
 * The server's reason, field by field, in the dashboard's language; a problem core cannot read
 * back keeps the server's English words, marked as English.
 */
export function RefusedReason({
  reason,
  language,
}: {
  readonly reason: string;
  readonly language: string;
}) {
  const problems = readRecordReason(reason);
  return (
    <ul className="refused-problems">
      {problems.map((problem, index) => (
        <li key={index} lang={problem.code === 'unknown' ? 'en' : undefined}>
          {recordProblemText(problem, language)}
        </li>
      ))}
    </ul>
  );
}

export function RefusedPanel({
  api,
  site,
  devices,
  language,
  explain,
  refresh,
  canManage = true,
  onAccepted,
}: {
  readonly api: DashboardApi;
  readonly site: string;
  /** The site's tablets, to name them by their label rather than their id. */
  readonly devices: readonly DeviceInfo[] | undefined;
  readonly language: string;
  readonly explain: (failure: unknown) => string;
  /** Changes when the site's page is refreshed: the list is fetched again. */
  readonly refresh: number;
  /** False for a user who only reads the site: no accept nor dismiss. */
  readonly canManage?: boolean;
  /** An interview was stored: the site's figures have changed. */
  readonly onAccepted: () => void;
}) {
  const text = useText();
  const [items, setItems] = useState<RefusedRecordInfo[]>();
  const [loadError, setLoadError] = useState<string>();
  const [loads, setLoads] = useState(0);
  const [outcomes, setOutcomes] = useState<Readonly<Record<string, Outcome>>>({});
  const [sent, setSent] = useState<Readonly<Record<string, Sent>>>({});
  const [busy, setBusy] = useState<string>();
  const [confirming, setConfirming] = useState<string>();
  const [notice, setNotice] = useState('');

  useEffect(() => {
    let cancelled = false;
    api.refusedRecords(site).then(
      (list) => {
        if (cancelled) return;
        setLoadError(undefined);
        setItems(list);
      },
      (failure: unknown) => {
        if (!cancelled) setLoadError(explain(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, site, explain, refresh, loads]);

  const which = (item: RefusedRecordInfo): string =>
    item.recordId ?? fill(text.refusedNoId, { time: dateTime(item.receivedAt, language) });
  const tablet = (deviceId: string): string =>
    devices?.find((device) => device.id === deviceId)?.label ?? deviceId;
  const outcome = (key: string, value: Outcome) =>
    setOutcomes((previous) => ({ ...previous, [key]: value }));
  const markResolved = (key: string, state: 'accepted' | 'dismissed') =>
    setItems((previous) => previous?.map((item) => (item.key === key ? { ...item, state } : item)));

  const failed = (key: string, failure: unknown) => {
    const message = refusalWords(failure, text, language) ?? explain(failure);
    if (failure instanceof ApiError && failure.status === 409 && failure.code === 'resolved') {
      // Resolved by someone else meanwhile: its card leaves for the handled list, which the fresh
      // list fills with by whom, so the words go above the list rather than on the card.
      setConfirming(undefined);
      setNotice(message);
      setLoads((n) => n + 1);
    } else outcome(key, { kind: 'problem', message });
  };

  const accept = async (item: RefusedRecordInfo) => {
    setBusy(item.key);
    setNotice('');
    try {
      const answer = await api.acceptRefused(site, item.key);
      outcome(item.key, { kind: 'stored', duplicate: answer.status === 'duplicate' });
      markResolved(item.key, 'accepted');
      onAccepted();
    } catch (failure) {
      failed(item.key, failure);
    } finally {
      setBusy(undefined);
    }
  };

  const dismiss = async (item: RefusedRecordInfo) => {
    setBusy(item.key);
    setNotice('');
    try {
      await api.dismissRefused(site, item.key);
      setConfirming(undefined);
      markResolved(item.key, 'dismissed');
      setNotice(fill(text.refusedDismissedNotice, { which: which(item) }));
      // Who dismissed it and when come from the server.
      setLoads((n) => n + 1);
    } catch (failure) {
      failed(item.key, failure);
    } finally {
      setBusy(undefined);
    }
  };

  const showSent = (key: string, event: SyntheticEvent<HTMLDetailsElement>) => {
    if (!event.currentTarget.open || sent[key] !== undefined) return;
    setSent((previous) => ({ ...previous, [key]: 'loading' }));
    api.refusedRecord(site, key).then(
      (detail) => setSent((previous) => ({ ...previous, [key]: { record: detail.record } })),
      (failure: unknown) =>
        setSent((previous) => ({ ...previous, [key]: { error: explain(failure) } })),
    );
  };

  if (items === undefined)
    return loadError === undefined ? (
      <p>{text.loading}</p>
    ) : (
      <p className="field-error" role="alert">
        {loadError}
      </p>
    );

  // An interview stored from this page stays in place, saying so, until the page is left.
  const waiting = items.filter(
    (item) => item.state === 'refused' || outcomes[item.key]?.kind === 'stored',
  );
  const resolved = items.filter(
    (item) => item.state !== 'refused' && outcomes[item.key]?.kind !== 'stored',
  );
  const pending = items.filter((item) => item.state === 'refused').length;

  return (
    <div className="refused-panel">
      <p>{text.refusedIntro}</p>
      {loadError !== undefined && (
        <p className="field-error" role="alert">
          {loadError}
        </p>
      )}
      <p className="notice-slot" role="status">
        {notice}
      </p>
      {waiting.length === 0 ? (
        <p>{text.refusedNone}</p>
      ) : (
        <>
          {pending > 0 && (
            <p className="small">{countText(text.refusedWaiting, pending, language)}</p>
          )}
          <ul className="refused-list">
            {waiting.map((item) => {
              const name = which(item);
              const done = outcomes[item.key];
              const record = sent[item.key];
              return (
                <li key={item.key} className="card refused-card" data-refused={item.key}>
                  <h3>{fill(text.refusedHeading, { which: name })}</h3>
                  <dl className="refused-facts">
                    <div>
                      <dt>{text.refusedReceivedAt}</dt>
                      <dd>{dateTime(item.receivedAt, language)}</dd>
                    </div>
                    <div>
                      <dt>{text.interviewer}</dt>
                      <dd>{item.interviewer ?? text.refusedUnknown}</dd>
                    </div>
                    <div>
                      <dt>{text.device}</dt>
                      <dd>{tablet(item.deviceId)}</dd>
                    </div>
                    <div>
                      <dt>{text.interviewId}</dt>
                      <dd className="refused-id">{item.recordId ?? text.refusedUnknown}</dd>
                    </div>
                    <div className="refused-reason">
                      <dt>{text.refusedReason}</dt>
                      <dd>
                        <RefusedReason reason={item.reason} language={language} />
                      </dd>
                    </div>
                  </dl>
                  {canManage && item.state === 'refused' && (
                    <div className="refused-actions">
                      <button
                        type="button"
                        className="primary"
                        disabled={busy !== undefined}
                        aria-label={fill(text.refusedAcceptLabel, { which: name })}
                        onClick={() => void accept(item)}
                      >
                        {text.refusedAccept}
                      </button>
                      {confirming === item.key ? (
                        <>
                          <button
                            type="button"
                            className="danger"
                            disabled={busy !== undefined}
                            aria-label={fill(text.refusedDismissConfirmLabel, { which: name })}
                            onClick={() => void dismiss(item)}
                          >
                            {text.refusedDismissConfirm}
                          </button>
                          <button
                            type="button"
                            aria-label={fill(text.refusedKeepLabel, { which: name })}
                            onClick={() => setConfirming(undefined)}
                          >
                            {text.cancel}
                          </button>
                        </>
                      ) : (
                        <button
                          type="button"
                          className="quiet"
                          disabled={busy !== undefined}
                          aria-label={fill(text.refusedDismissLabel, { which: name })}
                          onClick={() => setConfirming(item.key)}
                        >
                          {text.refusedDismiss}
                        </button>
                      )}
                    </div>
                  )}
                  {confirming === item.key && item.state === 'refused' && (
                    <p className="small">{text.refusedDismissHelp}</p>
                  )}
                  <p className="refused-outcome" role="status">
                    {done?.kind === 'stored' &&
                      (done.duplicate ? text.refusedStoredAlready : text.refusedStored)}
                  </p>
                  {done?.kind === 'problem' && (
                    <p className="field-error" role="alert">
                      {done.message}
                    </p>
                  )}
                  <details onToggle={(event) => showSent(item.key, event)}>
                    <summary>
                      {text.refusedShow}
                      <span className="visually-hidden"> {name}</span>
                    </summary>
                    {record === undefined || record === 'loading' ? (
                      <p>{text.loading}</p>
                    ) : 'error' in record ? (
                      <p className="field-error" role="alert">
                        {record.error}
                      </p>
                    ) : (
                      <pre
                        className="refused-json"
                        // Scrollable, so reachable from the keyboard; a group, so it can be named.
                        role="group"
                        tabIndex={0}
                        aria-label={fill(text.refusedSent, { which: name })}
                      >
                        {typeof record.record === 'string'
                          ? record.record
                          : JSON.stringify(record.record, null, 2)}
                      </pre>
                    )}
                  </details>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {resolved.length > 0 && (
        <details className="refused-resolved">
          <summary>{fill(text.refusedResolved, { count: resolved.length })}</summary>
          <div className="table-scroll" tabIndex={0}>
            <table className="data" data-table="refused-resolved">
              <caption>{text.refusedResolvedCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{text.interviewId}</th>
                  <th scope="col">{text.refusedReceivedAt}</th>
                  <th scope="col">{text.interviewer}</th>
                  <th scope="col">{text.device}</th>
                  <th scope="col">{text.refusedDecision}</th>
                  <th scope="col">{text.refusedResolvedBy}</th>
                  <th scope="col">{text.refusedResolvedAt}</th>
                </tr>
              </thead>
              <tbody>
                {resolved.map((item) => (
                  <tr key={item.key} data-refused={item.key}>
                    <th scope="row" className="refused-id">
                      {item.recordId ?? text.refusedUnknown}
                    </th>
                    <td>{dateTime(item.receivedAt, language)}</td>
                    <td>{item.interviewer ?? text.refusedUnknown}</td>
                    <td>{tablet(item.deviceId)}</td>
                    <td>
                      {item.state === 'accepted' ? text.refusedStored : text.refusedDismissed}
                    </td>
                    <td>{item.resolvedBy ?? '—'}</td>
                    <td>{item.resolvedAt === null ? '—' : dateTime(item.resolvedAt, language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </div>
  );
}
