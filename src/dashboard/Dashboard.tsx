// The dashboard's frame: the interface language, the coordinator's session (kept for the tab's
// life in sessionStorage), the login, the choice of a site and the site's page (`?site=<id>`).
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { LoginResponse, SiteInfo } from '../core/protocol/index.ts';
import { ApiError } from './api.ts';
import type { DashboardApi } from './api.ts';
import { LoginForm } from './components/LoginForm.tsx';
import { SitePicker } from './components/SitePicker.tsx';
import { SiteView } from './components/SiteView.tsx';
import type { DashboardLanguage } from './text.ts';
import { DASHBOARD_TEXT, DashboardTextContext, fill } from './text.ts';

const SESSION_KEY = 'smpg-dashboard-session';
const LANGUAGE_KEY = 'smpg-dashboard-language';

interface Session extends LoginResponse {
  readonly username: string;
}

function readSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    if (raw === null) return undefined;
    const value = JSON.parse(raw) as Partial<Session>;
    return typeof value.token === 'string' &&
      typeof value.username === 'string' &&
      (value.role === 'admin' || value.role === 'coordinator' || value.role === 'analyst') &&
      Array.isArray(value.sites)
      ? { token: value.token, username: value.username, role: value.role, sites: value.sites }
      : undefined;
  } catch {
    return undefined;
  }
}

function siteInQuery(): string | undefined {
  return new URLSearchParams(window.location.search).get('site') ?? undefined;
}

export function Dashboard({ api }: { readonly api: DashboardApi }) {
  const [language, setLanguage] = useState<DashboardLanguage>(() =>
    localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'fr',
  );
  const text = DASHBOARD_TEXT[language];
  const [session, setSession] = useState<Session | undefined>(readSession);
  const [notice, setNotice] = useState<string>();
  const [sites, setSites] = useState<SiteInfo[]>();
  const [error, setError] = useState<string>();
  const [siteId] = useState<string | undefined>(siteInQuery);
  const authed = useMemo(
    () => (session === undefined ? undefined : api.withToken(session.token)),
    [api, session],
  );

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = text.title;
    localStorage.setItem(LANGUAGE_KEY, language);
  }, [language, text.title]);

  /** Forgets the session; with a notice when the server ended it. */
  const endSession = useCallback((why?: string) => {
    sessionStorage.removeItem(SESSION_KEY);
    setSession(undefined);
    setSites(undefined);
    setNotice(why);
  }, []);

  /** What to tell the coordinator about a failed call; an expired session logs out. */
  const explain = useCallback(
    (failure: unknown): string => {
      if (failure instanceof ApiError && failure.status === 401) {
        endSession(text.sessionExpired);
        return text.sessionExpired;
      }
      if (failure instanceof ApiError && failure.status === 0) return text.networkError;
      return failure instanceof Error ? failure.message : String(failure);
    },
    [endSession, text],
  );

  useEffect(() => {
    if (authed === undefined) return;
    let cancelled = false;
    authed.sites().then(
      (list) => {
        if (!cancelled) setSites(list);
      },
      (failure: unknown) => {
        if (!cancelled) setError(explain(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [authed, explain]);

  const login = async (username: string, password: string) => {
    try {
      const answer = await api.login(username, password);
      const next: Session = { ...answer, username };
      sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
      setNotice(undefined);
      setError(undefined);
      setSession(next);
    } catch (failure) {
      throw new Error(
        failure instanceof ApiError && failure.status === 401
          ? text.wrongLogin
          : failure instanceof ApiError && failure.status === 0
            ? text.networkError
            : failure instanceof Error
              ? failure.message
              : String(failure),
        { cause: failure },
      );
    }
  };

  const logout = async () => {
    await authed?.logout().catch(() => undefined);
    endSession();
  };

  const chosen =
    sites === undefined
      ? undefined
      : (sites.find((site) => site.id === siteId) ?? (sites.length === 1 ? sites[0] : undefined));

  let body;
  if (session === undefined || authed === undefined) {
    body = <LoginForm onLogin={login} notice={notice} />;
  } else if (error !== undefined) {
    body = (
      <main className="screen">
        <h1>{text.error}</h1>
        <p className="field-error" role="alert">
          {error}
        </p>
      </main>
    );
  } else if (sites === undefined) {
    body = (
      <main className="screen">
        <h1>{text.loading}</h1>
      </main>
    );
  } else if (chosen === undefined) {
    body = <SitePicker sites={sites} />;
  } else {
    body = (
      <SiteView
        key={chosen.id}
        api={authed}
        site={chosen}
        role={session.role}
        language={language}
        explain={explain}
        canChangeSite={sites.length > 1}
      />
    );
  }

  return (
    <DashboardTextContext.Provider value={text}>
      <header className="dashboard-header">
        <p className="dashboard-brand">{text.title}</p>
        <div className="dashboard-tools">
          {session !== undefined && (
            <span className="small">
              {fill(text.loggedInAs, { user: session.username, role: text.roles[session.role] })}
            </span>
          )}
          <label className="inline">
            {text.interfaceLanguage}
            <select
              value={language}
              onChange={(event) => setLanguage(event.target.value === 'en' ? 'en' : 'fr')}
            >
              <option value="fr">Français</option>
              <option value="en">English</option>
            </select>
          </label>
          {session !== undefined && (
            <button type="button" className="quiet" onClick={() => void logout()}>
              {text.logOut}
            </button>
          )}
        </div>
      </header>
      {body}
    </DashboardTextContext.Provider>
  );
}
