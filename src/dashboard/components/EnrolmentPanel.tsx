// Enrolling a tablet: the coordinator creates a one-time code (valid 72 h), with a short label if
// they wish, and shows it as a QR code of the enrolment link (the tablet's camera opens the app
// with the server and the code filled in), as the link, and in large type to read out. The codes
// not used yet are listed by label and time to the second (the server keeps only their hashes, so
// a code is never shown again) and can be cancelled, each button named apart.
import { useCallback, useEffect, useId, useState } from 'react';
import type { EnrolmentCodeInfo, EnrolmentCodeResponse } from '../../core/protocol/index.ts';
import { MAX_ENROLMENT_LABEL, enrolmentLink } from '../../core/protocol/index.ts';
import type { DashboardApi } from '../api.ts';
import { dateTime, dateTimeToSecond } from '../format.ts';
import type { DashboardTexts } from '../text.ts';
import { fill, useText } from '../text.ts';
import { EnrolmentQr } from './EnrolmentQr.tsx';

/**
 * Each code's cancel button's name ("Annuler le code « Tablette 3 » créé le 23/11/2026 14:05:09"),
 * numbered when two codes would still share one (same label, same second).
 */
export function cancelNames(
  codes: readonly EnrolmentCodeInfo[],
  text: DashboardTexts,
  language: string,
): string[] {
  const names = codes.map((entry) => {
    const time = dateTimeToSecond(entry.createdAt, language);
    return entry.label === undefined
      ? fill(text.codeCancelLabel, { time })
      : fill(text.codeCancelNamedLabel, { time, label: entry.label });
  });
  return names.map((name, i) =>
    names.filter((other) => other === name).length > 1
      ? `${name} (${names.slice(0, i + 1).filter((other) => other === name).length})`
      : name,
  );
}

/** The codes still usable, oldest first, each with its cancel button. */
export function PendingCodes({
  codes,
  shown,
  language,
  busy,
  onCancel,
}: {
  readonly codes: readonly EnrolmentCodeInfo[];
  /** The creation time of the code shown above, marked in the list. */
  readonly shown: string | undefined;
  readonly language: string;
  readonly busy: boolean;
  readonly onCancel: (createdAt: string) => void;
}) {
  const text = useText();
  if (codes.length === 0) return <p className="small">{text.codesNone}</p>;
  const names = cancelNames(codes, text, language);
  return (
    <>
      <div className="table-scroll" tabIndex={0}>
        <table className="data" data-table="enrolment-codes">
          <caption>{text.codesCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{text.codeCreatedAt}</th>
              <th scope="col">{text.codeLabel}</th>
              <th scope="col">{text.codeCreatedBy}</th>
              <th scope="col">{text.codeExpiresAt}</th>
              <th scope="col">{text.actions}</th>
            </tr>
          </thead>
          <tbody>
            {codes.map((entry, i) => (
              <tr key={`${entry.createdAt}/${i}`} data-created-at={entry.createdAt}>
                <th scope="row">
                  {dateTimeToSecond(entry.createdAt, language)}
                  {entry.createdAt === shown && <span className="tag">{text.codeShown}</span>}
                </th>
                <td>{entry.label ?? text.noShare}</td>
                <td>{entry.createdBy}</td>
                <td>{dateTime(entry.expiresAt, language)}</td>
                <td>
                  <button
                    type="button"
                    disabled={busy}
                    aria-label={names[i]}
                    onClick={() => onCancel(entry.createdAt)}
                  >
                    {text.codeCancel}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="small">{text.codesHelp}</p>
    </>
  );
}

export function EnrolmentPanel({
  api,
  site,
  language,
  explain,
}: {
  readonly api: DashboardApi;
  readonly site: string;
  readonly language: string;
  readonly explain: (failure: unknown) => string;
}) {
  const text = useText();
  const id = useId();
  const [label, setLabel] = useState('');
  const [code, setCode] = useState<EnrolmentCodeResponse>();
  const [codes, setCodes] = useState<EnrolmentCodeInfo[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState(false);
  const [loads, setLoads] = useState(0);
  const reload = useCallback(() => setLoads((n) => n + 1), []);

  useEffect(() => {
    let cancelled = false;
    api.enrolmentCodes(site).then(
      (list) => {
        if (!cancelled) setCodes(list);
      },
      (failure: unknown) => {
        if (!cancelled) setError(explain(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, site, explain, loads]);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError(explain(failure));
    } finally {
      setBusy(false);
      reload();
    }
  };

  const create = () =>
    act(async () => {
      setCopied(false);
      setCode(await api.enrolmentCode(site, label.trim()));
      setLabel('');
    });

  const cancel = (createdAt: string) =>
    act(async () => {
      await api.cancelEnrolmentCode(site, createdAt);
      if (code?.createdAt === createdAt) setCode(undefined);
    });

  const link = code === undefined ? undefined : enrolmentLink(window.location.origin, code.code);

  const copy = async () => {
    if (link === undefined) return;
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      // No clipboard (an insecure origin, a refusal): the link stays selectable in its field.
      setCopied(false);
    }
  };

  return (
    <div className="card enrolment" role="group" aria-labelledby="enrol-title">
      <h3 id="enrol-title">{text.enrolTitle}</h3>
      <p>{text.enrolIntro}</p>
      <div className="field">
        <label htmlFor={`${id}-label`}>{text.enrolLabel}</label>
        <input
          id={`${id}-label`}
          type="text"
          autoComplete="off"
          maxLength={MAX_ENROLMENT_LABEL}
          aria-describedby={`${id}-label-hint`}
          value={label}
          onChange={(event) => setLabel(event.target.value)}
        />
        <p className="small" id={`${id}-label-hint`}>
          {text.enrolLabelHint}
        </p>
      </div>
      <button type="button" className="primary" disabled={busy} onClick={() => void create()}>
        {text.enrolCreate}
      </button>
      {error !== undefined && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {code !== undefined && link !== undefined && (
        <div role="status" className="enrolment-result">
          <EnrolmentQr
            link={link}
            label={fill(text.enrolQr, { code: code.code })}
            tooLong={text.enrolQrTooLong}
          />
          <div>
            <p className="small">
              {code.label === undefined
                ? text.enrolCode
                : fill(text.enrolCodeNamed, { label: code.label })}
            </p>
            <p className="enrolment-code" data-code={code.code}>
              {code.code}
            </p>
            <p>{fill(text.enrolExpires, { time: dateTime(code.expiresAt, language) })}</p>
            <p className="small">{fill(text.enrolServer, { url: window.location.origin })}</p>
            <div className="field enrolment-link">
              <label htmlFor="enrol-link">{text.enrolLink}</label>
              <input
                id="enrol-link"
                readOnly
                value={link}
                onFocus={(event) => event.target.select()}
              />
              <span className="inline">
                <button type="button" onClick={() => void copy()}>
                  {text.enrolCopy}
                </button>
                {copied && <span className="small">{text.enrolCopied}</span>}
              </span>
            </div>
          </div>
        </div>
      )}
      {codes !== undefined && (
        <PendingCodes
          codes={codes}
          shown={code?.createdAt}
          language={language}
          busy={busy}
          onCancel={(createdAt) => void cancel(createdAt)}
        />
      )}
    </div>
  );
}
