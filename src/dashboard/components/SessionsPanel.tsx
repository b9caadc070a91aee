// A user's open sessions (when opened, until when), each with a button that ends it: "Mon compte"
// shows the user's own (all but the current one can be ended), the users' screen anyone's.
import { useCallback, useEffect, useState } from 'react';
import type { SessionInfo } from '../../core/protocol/index.ts';
import type { DashboardApi } from '../api.ts';
import { dateTime } from '../format.ts';
import { fill, useText } from '../text.ts';

export function SessionsPanel({
  api,
  username,
  mine,
  language,
  explain,
  refresh = 0,
}: {
  readonly api: DashboardApi;
  readonly username: string;
  /** The logged-in user's own sessions: the current one stays, "end all" spares it. */
  readonly mine: boolean;
  readonly language: string;
  readonly explain: (failure: unknown) => string;
  /** Changes when the list must be read again (a password changed elsewhere on the page). */
  readonly refresh?: number;
}) {
  const text = useText();
  const [sessions, setSessions] = useState<SessionInfo[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [loads, setLoads] = useState(0);
  const reload = useCallback(() => setLoads((n) => n + 1), []);

  useEffect(() => {
    let cancelled = false;
    api.sessions(username).then(
      (list) => {
        if (!cancelled) setSessions(list);
      },
      (failure: unknown) => {
        if (!cancelled) setError(explain(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, username, explain, loads, refresh]);

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

  const endOne = (id: string) => act(() => api.endSessions(username, id));
  // Mine: every session but this one, one by one (the route that ends all would end this too).
  const endAll = () =>
    act(async () => {
      if (!mine) return api.endSessions(username);
      for (const session of sessions ?? [])
        if (!session.current) await api.endSessions(username, session.id);
    });

  const others = (sessions ?? []).filter((session) => !(mine && session.current));
  return (
    <div className="sessions" data-username={username}>
      {error !== undefined && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {sessions === undefined ? (
        error === undefined && <p>{text.loading}</p>
      ) : sessions.length === 0 ? (
        <p className="small">{text.sessionsNone}</p>
      ) : (
        <>
          <div className="table-scroll" tabIndex={0}>
            <table className="data" data-table="sessions">
              <caption>{text.sessionsCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{text.sessionCreatedAt}</th>
                  <th scope="col">{text.sessionExpiresAt}</th>
                  <th scope="col">{text.actions}</th>
                </tr>
              </thead>
              <tbody>
                {sessions.map((session) => {
                  const opened =
                    session.createdAt === null
                      ? text.sessionUnknown
                      : dateTime(session.createdAt, language);
                  return (
                    <tr key={session.id} data-session={session.id}>
                      <th scope="row">
                        {opened}
                        {session.current && <span className="tag">{text.sessionCurrent}</span>}
                      </th>
                      <td>{dateTime(session.expiresAt, language)}</td>
                      <td>
                        {!(mine && session.current) && (
                          <button
                            type="button"
                            disabled={busy}
                            aria-label={fill(text.sessionEndLabel, { time: opened })}
                            onClick={() => void endOne(session.id)}
                          >
                            {text.sessionEnd}
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {others.length > 0 && (
            <button type="button" disabled={busy} onClick={() => void endAll()}>
              {mine ? text.sessionsEndOthers : text.userEndAll}
            </button>
          )}
        </>
      )}
    </div>
  );
}
