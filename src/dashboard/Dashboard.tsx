// The dashboard's frame: the interface language, the user's session (kept for the tab's life in
// sessionStorage, refreshed from GET /auth/me on load), the one-time link page, the login, the top
// bar and its pages: the sites (the admin's screen, or the choice of a site, then the site's page
// at `?site=<id>`), the users (admins) and "Mon compte".
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MouseEvent } from 'react';
import type { SiteInfo } from '../core/protocol/index.ts';
import type { Session } from './account.ts';
import { SESSION_KEY, readSession, saveSession, withMe } from './account.ts';
import { ApiError } from './api.ts';
import type { DashboardApi } from './api.ts';
import { AccountPanel } from './components/AccountPanel.tsx';
import { AdminSites } from './components/AdminSites.tsx';
import { AdminUsers } from './components/AdminUsers.tsx';
import { LinkPage } from './components/LinkPage.tsx';
import { LoginForm } from './components/LoginForm.tsx';
import { QuestionnairesPage } from './components/QuestionnairesPage.tsx';
import { SitePicker } from './components/SitePicker.tsx';
import { SiteView } from './components/SiteView.tsx';
import type { Page, Place } from './navigation.ts';
import { hrefOf, placeOf } from './navigation.ts';
import { failureText } from './refusals.ts';
import { rolesText } from './roles.ts';
import type { DashboardLanguage } from './text.ts';
import { DASHBOARD_TEXT, DashboardTextContext, fill } from './text.ts';

const LANGUAGE_KEY = 'smpg-dashboard-language';

export function Dashboard({
  api,
  linkToken: linkTokenAtStart,
}: {
  readonly api: DashboardApi;
  /** The token of the one-time link the page was opened with (already out of the address). */
  readonly linkToken?: string | undefined;
}) {
  const [language, setLanguage] = useState<DashboardLanguage>(() =>
    localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'fr',
  );
  const text = DASHBOARD_TEXT[language];
  const [session, setSession] = useState<Session | undefined>(() => readSession(sessionStorage));
  const [linkToken, setLinkToken] = useState(linkTokenAtStart);
  const [loginName, setLoginName] = useState('');
  const [notice, setNotice] = useState<string>();
  const [sites, setSites] = useState<SiteInfo[]>();
  const [error, setError] = useState<string>();
  const [place, setPlace] = useState<Place>(() => placeOf(window.location.search));
  const [siteLoads, setSiteLoads] = useState(0);
  const [meLoads, setMeLoads] = useState(0);
  const token = session?.token;
  // Keyed on the token alone: refreshing who the user is must not read everything again.
  const authed = useMemo(
    () => (token === undefined ? undefined : api.withToken(token)),
    [api, token],
  );

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = text.title;
    localStorage.setItem(LANGUAGE_KEY, language);
  }, [language, text.title]);

  useEffect(() => {
    const back = () => setPlace(placeOf(window.location.search));
    window.addEventListener('popstate', back);
    return () => window.removeEventListener('popstate', back);
  }, []);

  /** Forgets the session; with a notice when the server ended it. */
  const endSession = useCallback((why?: string) => {
    sessionStorage.removeItem(SESSION_KEY);
    setSession(undefined);
    setSites(undefined);
    setError(undefined);
    setNotice(why);
  }, []);

  /** What to tell the user about a failed call; an expired session logs out. */
  const explain = useCallback(
    (failure: unknown): string => {
      if (failure instanceof ApiError && failure.status === 401) {
        endSession(text.sessionExpired);
        return text.sessionExpired;
      }
      return failureText(failure, text, { language });
    },
    [endSession, text, language],
  );

  // Who the user is now: an admin may have changed their roles since they logged in.
  useEffect(() => {
    if (authed === undefined) return;
    let cancelled = false;
    authed.me().then(
      (me) => {
        if (cancelled) return;
        setSession((current) => {
          if (current === undefined) return current;
          const next = withMe(current, me);
          saveSession(sessionStorage, next);
          return next;
        });
      },
      (failure: unknown) => {
        if (!cancelled) setError(explain(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [authed, explain, meLoads]);

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
  }, [authed, explain, siteLoads]);

  const reloadSites = useCallback(() => setSiteLoads((n) => n + 1), []);
  const reloadMe = useCallback(() => setMeLoads((n) => n + 1), []);

  const go = (next: Place) => {
    window.history.pushState(null, '', hrefOf(next));
    setPlace(next);
    window.scrollTo(0, 0);
  };

  /** A top-bar link: the page changes in place; a middle click or Ctrl+click opens a tab. */
  const follow = (event: MouseEvent<HTMLAnchorElement>, next: Place) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    event.preventDefault();
    go(next);
  };

  const login = async (username: string, password: string) => {
    try {
      const answer = await api.login(username, password);
      saveSession(sessionStorage, answer);
      setNotice(undefined);
      setError(undefined);
      setSession(answer);
    } catch (failure) {
      throw new Error(
        failure instanceof ApiError && failure.status === 401
          ? text.wrongLogin
          : failureText(failure, text, { language }),
        { cause: failure },
      );
    }
  };

  const logout = async (everywhere = false) => {
    await authed?.logout(everywhere).catch(() => undefined);
    endSession();
  };

  let body;
  if (linkToken !== undefined) {
    body = (
      <LinkPage
        api={api}
        token={linkToken}
        language={language}
        onDone={(username) => {
          setLinkToken(undefined);
          // The tab may hold someone else's session: it ends, and the link's owner logs in.
          void authed?.logout().catch(() => undefined);
          endSession(text.linkDone);
          setLoginName(username);
        }}
        onLeave={() => setLinkToken(undefined)}
      />
    );
  } else if (session === undefined || authed === undefined) {
    body = (
      <LoginForm key={loginName} onLogin={login} notice={notice} initialUsername={loginName} />
    );
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
  } else if (place.page === 'account') {
    body = (
      <AccountPanel
        api={authed}
        me={session}
        sites={sites}
        language={language}
        explain={explain}
        onLogoutEverywhere={() => logout(true)}
      />
    );
  } else if (place.page === 'users' && session.admin) {
    body = (
      <AdminUsers
        api={authed}
        me={session.username}
        sites={sites}
        origin={window.location.origin}
        language={language}
        explain={explain}
        onSelfChanged={reloadMe}
      />
    );
  } else if (place.page === 'questionnaires' && session.admin) {
    body = <QuestionnairesPage api={authed} language={language} explain={explain} />;
  } else {
    const chosen =
      sites.find((site) => site.id === place.site) ??
      (!session.admin && sites.length === 1 ? sites[0] : undefined);
    if (chosen !== undefined)
      body = (
        <SiteView
          key={chosen.id}
          api={authed}
          site={chosen}
          access={session}
          language={language}
          explain={explain}
          canChangeSite={session.admin || sites.length > 1}
        />
      );
    else if (session.admin)
      body = (
        <AdminSites
          api={authed}
          sites={sites}
          language={language}
          explain={explain}
          onChanged={reloadSites}
        />
      );
    else body = <SitePicker sites={sites} />;
  }

  const menu: (readonly [Page, string])[] = [];
  if (session !== undefined && linkToken === undefined) {
    menu.push(['sites', text.navSites]);
    if (session.admin)
      menu.push(['users', text.navUsers], ['questionnaires', text.navQuestionnaires]);
    menu.push(['account', text.navAccount]);
  }

  return (
    <DashboardTextContext.Provider value={text}>
      <header className="dashboard-header">
        <p className="dashboard-brand">{text.title}</p>
        {menu.length > 0 && (
          <nav aria-label={text.navLabel} className="dashboard-menu">
            <ul>
              {menu.map(([page, label]) => {
                const target: Place = { page, site: undefined };
                return (
                  <li key={page}>
                    <a
                      href={hrefOf(target)}
                      aria-current={place.page === page ? 'page' : undefined}
                      onClick={(event) => follow(event, target)}
                    >
                      {label}
                    </a>
                  </li>
                );
              })}
            </ul>
          </nav>
        )}
        <div className="dashboard-tools">
          {session !== undefined && linkToken === undefined && (
            <span className="small">
              {fill(text.loggedInAs, {
                user: session.username,
                roles: rolesText(session, text, sites ?? []),
              })}
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
          {session !== undefined && linkToken === undefined && (
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
