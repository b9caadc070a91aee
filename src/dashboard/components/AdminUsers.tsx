// The admin's "Utilisateurs" screen: every account with its roles, whether its password is chosen
// and its open sessions; creating an account (its one-time link shown once, with its QR code),
// a new link for a forgotten password, changing roles, ending sessions, deleting an account.
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { OneTimeLink, SiteInfo, UserInfo } from '../../core/protocol/index.ts';
import { newUserRequest } from '../admin-forms.ts';
import type { DashboardApi } from '../api.ts';
import { dateTime } from '../format.ts';
import type { RoleChoice } from '../roles.ts';
import { NO_ROLE, accessOf, choiceOf, rolesText } from '../roles.ts';
import { fill, useText } from '../text.ts';
import { OneTimeLinkCard } from './OneTimeLinkCard.tsx';
import { RoleFields } from './RoleFields.tsx';
import { SessionsPanel } from './SessionsPanel.tsx';

type Open = 'roles' | 'sessions' | 'delete' | 'link';

export function AdminUsers({
  api,
  me,
  sites,
  origin,
  language,
  explain,
  onSelfChanged,
}: {
  readonly api: DashboardApi;
  /** The admin using the screen: they cannot delete themself. */
  readonly me: string;
  readonly sites: readonly SiteInfo[];
  /** Where one-time links point (`location.origin`). */
  readonly origin: string;
  readonly language: string;
  readonly explain: (failure: unknown) => string;
  /** The admin changed their own roles: read who they are again. */
  readonly onSelfChanged: () => void;
}) {
  const text = useText();
  const [users, setUsers] = useState<UserInfo[]>();
  const [open, setOpen] = useState<{ readonly user: string; readonly what: Open }>();
  const [link, setLink] = useState<OneTimeLink>();
  const [editing, setEditing] = useState<RoleChoice>(NO_ROLE);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [loads, setLoads] = useState(0);
  const reload = useCallback(() => setLoads((n) => n + 1), []);

  useEffect(() => {
    let cancelled = false;
    api.users().then(
      (list) => {
        if (!cancelled) setUsers(list);
      },
      (failure: unknown) => {
        if (!cancelled) setError(explain(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, explain, loads]);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await work();
    } catch (failure) {
      setError(explain(failure));
    } finally {
      setBusy(false);
      reload();
    }
  };

  const toggle = (user: UserInfo, what: Open) => {
    setError(undefined);
    if (open?.user === user.username && open.what === what) return setOpen(undefined);
    if (what === 'roles') setEditing(choiceOf(user));
    setOpen({ user: user.username, what });
  };

  const saveRoles = (event: FormEvent, username: string) => {
    event.preventDefault();
    void act(async () => {
      await api.setAccess(username, accessOf(editing));
      setOpen(undefined);
      setNotice(fill(text.rolesSaved, { user: username }));
      if (username === me) onSelfChanged();
    });
  };

  const reset = (username: string) =>
    void act(async () => {
      setLink(await api.resetUser(username));
      setOpen({ user: username, what: 'link' });
    });

  const remove = (username: string) =>
    void act(async () => {
      await api.deleteUser(username);
      setOpen(undefined);
      setNotice(fill(text.userDeleted, { user: username }));
    });

  const linkCard = (username: string) =>
    link !== undefined && link.username === username ? (
      <OneTimeLinkCard
        link={link}
        origin={origin}
        language={language}
        onDone={() => {
          setLink(undefined);
          setOpen(undefined);
        }}
      />
    ) : undefined;

  return (
    <main className="screen dashboard">
      <h1>{text.usersTitle}</h1>
      <p>{text.usersIntro}</p>
      {notice !== undefined && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {error !== undefined && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {users === undefined ? (
        error === undefined && <p>{text.loading}</p>
      ) : (
        <div className="table-scroll" tabIndex={0}>
          <table className="data" data-table="users">
            <caption>{text.usersCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{text.username}</th>
                <th scope="col">{text.userRoles}</th>
                <th scope="col">{text.userPassword}</th>
                <th scope="col">{text.userSessions}</th>
                <th scope="col">{text.userCreatedAt}</th>
                <th scope="col">{text.actions}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => {
                const u = user.username;
                const what = open?.user === u ? open.what : undefined;
                return (
                  <UserRows
                    key={u}
                    user={user}
                    self={u === me}
                    what={what}
                    busy={busy}
                    sites={sites}
                    language={language}
                    onToggle={(next) => toggle(user, next)}
                    onReset={() => reset(u)}
                  >
                    {what === 'roles' && (
                      <form className="inline-form" onSubmit={(event) => saveRoles(event, u)}>
                        <RoleFields
                          id={`roles-${u}`}
                          sites={sites}
                          choice={editing}
                          onChange={setEditing}
                        />
                        <button type="submit" className="primary" disabled={busy}>
                          {text.rolesSave}
                        </button>
                        <button type="button" onClick={() => setOpen(undefined)}>
                          {text.cancel}
                        </button>
                      </form>
                    )}
                    {what === 'sessions' && (
                      <div role="group" aria-label={fill(text.userSessionsTitle, { user: u })}>
                        <SessionsPanel
                          api={api}
                          username={u}
                          mine={u === me}
                          language={language}
                          explain={explain}
                        />
                      </div>
                    )}
                    {what === 'delete' && (
                      <div className="danger-zone">
                        <p>{text.userDeleteHelp}</p>
                        <button
                          type="button"
                          className="danger"
                          disabled={busy}
                          onClick={() => remove(u)}
                        >
                          {fill(text.userDeleteConfirm, { user: u })}
                        </button>{' '}
                        <button type="button" onClick={() => setOpen(undefined)}>
                          {text.cancel}
                        </button>
                      </div>
                    )}
                    {what === 'link' && linkCard(u)}
                  </UserRows>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p className="small">{text.userResetHelp}</p>
      <NewUserForm
        api={api}
        sites={sites}
        explain={explain}
        onCreated={(created) => {
          setError(undefined);
          setOpen(undefined);
          setLink(created);
          reload();
        }}
      />
      {link !== undefined && open === undefined && linkCard(link.username)}
    </main>
  );
}

function UserRows({
  user,
  self,
  what,
  busy,
  sites,
  language,
  onToggle,
  onReset,
  children,
}: {
  readonly user: UserInfo;
  readonly self: boolean;
  readonly what: Open | undefined;
  readonly busy: boolean;
  readonly sites: readonly SiteInfo[];
  readonly language: string;
  readonly onToggle: (what: Open) => void;
  readonly onReset: () => void;
  readonly children: ReactNode;
}) {
  const text = useText();
  const u = user.username;
  return (
    <>
      <tr data-username={u}>
        <th scope="row">
          {u} {self && <span className="small">{text.userYou}</span>}
        </th>
        <td>{rolesText(user, text, sites)}</td>
        <td>{user.hasPassword ? text.passwordSet : text.passwordPending}</td>
        <td className="number">{user.sessions}</td>
        <td>{dateTime(user.createdAt, language)}</td>
        <td className="actions">
          <button
            type="button"
            disabled={busy}
            aria-expanded={what === 'roles'}
            aria-label={fill(text.userEditRolesLabel, { user: u })}
            onClick={() => onToggle('roles')}
          >
            {text.userEditRoles}
          </button>
          <button
            type="button"
            disabled={busy}
            aria-label={fill(text.userResetLabel, { user: u })}
            onClick={onReset}
          >
            {text.userReset}
          </button>
          <button
            type="button"
            disabled={busy}
            aria-expanded={what === 'sessions'}
            aria-label={fill(text.userShowSessionsLabel, { user: u })}
            onClick={() => onToggle('sessions')}
          >
            {text.userShowSessions}
          </button>
          {!self && (
            <button
              type="button"
              className="danger"
              disabled={busy}
              aria-expanded={what === 'delete'}
              aria-label={fill(text.userDeleteLabel, { user: u })}
              onClick={() => onToggle('delete')}
            >
              {text.userDelete}
            </button>
          )}
        </td>
      </tr>
      {what !== undefined && (
        <tr>
          <td colSpan={6}>{children}</td>
        </tr>
      )}
    </>
  );
}

/** Creating an account: its name and roles; the answer's link is shown once, by the caller. */
export function NewUserForm({
  api,
  sites,
  explain,
  onCreated,
}: {
  readonly api: DashboardApi;
  readonly sites: readonly SiteInfo[];
  readonly explain: (failure: unknown) => string;
  readonly onCreated: (link: OneTimeLink) => void;
}) {
  const text = useText();
  const [username, setUsername] = useState('');
  const [choice, setChoice] = useState<RoleChoice>(NO_ROLE);
  const [problem, setProblem] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = newUserRequest(username, choice, text);
    setProblem(checked.ok ? undefined : checked.problems.username);
    if (!checked.ok) return;
    setBusy(true);
    setError(undefined);
    try {
      const link = await api.createUser(checked.request);
      setUsername('');
      setChoice(NO_ROLE);
      onCreated(link);
    } catch (failure) {
      setError(explain(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="new-user-title" className="dashboard-section">
      <h2 id="new-user-title">{text.userCreateTitle}</h2>
      <form
        className="narrow-form"
        aria-labelledby="new-user-title"
        onSubmit={(event) => void submit(event)}
        noValidate
      >
        <div className="field">
          <label htmlFor="new-user-username">{text.username}</label>
          <input
            id="new-user-username"
            name="new-username"
            autoComplete="off"
            spellCheck={false}
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            aria-invalid={problem !== undefined}
            aria-describedby={
              problem === undefined ? 'new-user-hint' : 'new-user-hint new-user-error'
            }
          />
          <span id="new-user-hint" className="small">
            {text.usernameHint}
          </span>
          {problem !== undefined && (
            <span id="new-user-error" className="field-error">
              {problem}
            </span>
          )}
        </div>
        <RoleFields id="new-user-role" sites={sites} choice={choice} onChange={setChoice} />
        {error !== undefined && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {text.userCreate}
        </button>
      </form>
    </section>
  );
}
