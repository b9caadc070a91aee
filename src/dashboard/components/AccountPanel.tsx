// "Mon compte": who is logged in and with which roles, a new password (the user's other sessions
// then end), the user's sessions with a button to end each, and logging out here or everywhere.
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { Me, SiteInfo } from '../../core/protocol/index.ts';
import { passwordProblem } from '../account.ts';
import { ApiError } from '../api.ts';
import type { DashboardApi } from '../api.ts';
import { rolesText } from '../roles.ts';
import { fill, useText } from '../text.ts';
import { NewPasswordFields } from './NewPasswordFields.tsx';
import { SessionsPanel } from './SessionsPanel.tsx';

export function AccountPanel({
  api,
  me,
  sites,
  language,
  explain,
  onLogoutEverywhere,
}: {
  readonly api: DashboardApi;
  readonly me: Me;
  readonly sites: readonly SiteInfo[];
  readonly language: string;
  readonly explain: (failure: unknown) => string;
  /** Ends every session of the user, this one too. */
  readonly onLogoutEverywhere: () => Promise<void>;
}) {
  const text = useText();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [missing, setMissing] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [error, setError] = useState<string>();
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [changes, setChanges] = useState(0);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    setMissing(current === '');
    const wrong = passwordProblem(password, confirmation, text);
    setProblem(wrong);
    if (current === '' || wrong !== undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.changePassword(current, password);
      setCurrent('');
      setPassword('');
      setConfirmation('');
      setDone(true);
      setChanges((n) => n + 1);
    } catch (failure) {
      setError(await refusalWords(failure));
    } finally {
      setBusy(false);
    }
  };

  /**
   * A 401 here may be a wrong current password rather than an ended session: asking who is
   * logged in tells them apart, so that a typo does not log the user out.
   */
  const refusalWords = async (failure: unknown): Promise<string> => {
    if (!(failure instanceof ApiError) || failure.status !== 401) return explain(failure);
    try {
      await api.me();
      return text.refusals.wrongPassword;
    } catch (again) {
      return explain(again);
    }
  };

  return (
    <main className="screen dashboard">
      <h1>{text.accountTitle}</h1>
      <p>
        <strong>{me.username}</strong>
        {' · '}
        {fill(text.accountRoles, { roles: rolesText(me, text, sites) })}
      </p>

      <section aria-labelledby="password-title" className="dashboard-section">
        <h2 id="password-title">{text.passwordTitle}</h2>
        <form
          className="narrow-form"
          aria-labelledby="password-title"
          onSubmit={(event) => void submit(event)}
          noValidate
        >
          {/* For the browser's password manager: whose password this is. */}
          <input
            type="text"
            name="username"
            autoComplete="username"
            value={me.username}
            readOnly
            hidden
          />
          <div className="field">
            <label htmlFor="account-current">{text.currentPassword}</label>
            <input
              id="account-current"
              name="current-password"
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(event) => setCurrent(event.target.value)}
              aria-invalid={missing}
              aria-describedby={missing ? 'account-current-error' : undefined}
            />
            {missing && (
              <span id="account-current-error" className="field-error">
                {text.fieldRequired}
              </span>
            )}
          </div>
          <NewPasswordFields
            id="account-password"
            password={password}
            confirmation={confirmation}
            onPassword={setPassword}
            onConfirmation={setConfirmation}
            problem={problem}
          />
          {error !== undefined && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          {done && (
            <p className="notice" role="status">
              {text.passwordChanged}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {text.passwordSubmit}
          </button>
        </form>
      </section>

      <section aria-labelledby="sessions-title" className="dashboard-section">
        <h2 id="sessions-title">{text.sessionsTitle}</h2>
        <p>{text.sessionsIntro}</p>
        <SessionsPanel
          api={api}
          username={me.username}
          mine
          language={language}
          explain={explain}
          refresh={changes}
        />
        {/* "Se déconnecter" (this session only) is in the top bar. */}
        <button type="button" onClick={() => void onLogoutEverywhere()}>
          {text.logOutEverywhere}
        </button>
      </section>
    </main>
  );
}
