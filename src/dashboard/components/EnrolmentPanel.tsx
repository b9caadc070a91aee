// Enrolling a tablet: the coordinator creates a one-time code (valid 72 h) and reads it out or
// shows it; the tablet types it with the server's address and receives its own token.
import { useState } from 'react';
import type { EnrolmentCodeResponse } from '../../core/protocol/index.ts';
import type { DashboardApi } from '../api.ts';
import { dateTime } from '../format.ts';
import { fill, useText } from '../text.ts';

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
  const [code, setCode] = useState<EnrolmentCodeResponse>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setCode(await api.enrolmentCode(site));
    } catch (failure) {
      setError(explain(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card enrolment" role="group" aria-labelledby="enrol-title">
      <h3 id="enrol-title">{text.enrolTitle}</h3>
      <p>{text.enrolIntro}</p>
      <button type="button" className="primary" disabled={busy} onClick={() => void create()}>
        {text.enrolCreate}
      </button>
      {error !== undefined && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {code !== undefined && (
        <div role="status" className="enrolment-result">
          <p className="small">{text.enrolCode}</p>
          <p className="enrolment-code" data-code={code.code}>
            {code.code}
          </p>
          <p>{fill(text.enrolExpires, { time: dateTime(code.expiresAt, language) })}</p>
          <p className="small">{fill(text.enrolServer, { url: window.location.origin })}</p>
        </div>
      )}
    </div>
  );
}
