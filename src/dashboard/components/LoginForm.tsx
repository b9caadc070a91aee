// The dashboard's login: user name and password, sent to POST /auth/login; the server's refusal
// is shown as it says it, and too many attempts or a locked account with the time left to wait.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../api.ts';
import { waitText } from '../refusals.ts';
import type { DashboardTexts } from '../text.ts';
import { fill, useText } from '../text.ts';

/**
 * What the form says of a failed login (`failure`, or the ApiError it was made from): a locked
 * account or too many attempts (429) in the dashboard's words with the time left, anything else
 * as the dashboard put it.
 */
export function loginRefusalText(failure: unknown, text: DashboardTexts): string {
  const refusal =
    failure instanceof ApiError
      ? failure
      : failure instanceof Error && failure.cause instanceof ApiError
        ? failure.cause
        : undefined;
  if (refusal?.status === 429) {
    const wait = waitText(refusal.retryAfterSeconds);
    return fill(refusal.code === 'locked' ? text.loginLocked : text.loginRateLimited, { wait });
  }
  return failure instanceof Error ? failure.message : String(failure);
}

export function LoginForm({
  onLogin,
  notice,
  initialUsername = '',
}: {
  /** Resolves when logged in; rejects with the message to show. */
  readonly onLogin: (username: string, password: string) => Promise<void>;
  /** Shown above the form (e.g. "the session has expired"). */
  readonly notice?: string | undefined;
  /** The name filled in (just after choosing a password through a one-time link). */
  readonly initialUsername?: string | undefined;
}) {
  const text = useText();
  const [username, setUsername] = useState(initialUsername);
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ username: boolean; password: boolean }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const check = { username: username.trim() === '', password: password === '' };
    setMissing(check);
    if (check.username || check.password) return;
    setBusy(true);
    setError(undefined);
    try {
      await onLogin(username.trim(), password);
    } catch (failure) {
      setError(loginRefusalText(failure, text));
      setBusy(false);
    }
  };

  return (
    <main className="screen dashboard-login">
      <h1>{text.loginTitle}</h1>
      <p>{text.loginIntro}</p>
      {notice !== undefined && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <div className="field">
          <label htmlFor="login-username">{text.username}</label>
          <input
            id="login-username"
            name="username"
            autoComplete="username"
            value={username}
            onChange={(event) => setUsername(event.target.value)}
            aria-invalid={missing?.username === true}
            aria-describedby={missing?.username === true ? 'login-username-error' : undefined}
          />
          {missing?.username === true && (
            <span id="login-username-error" className="field-error">
              {text.fieldRequired}
            </span>
          )}
        </div>
        <div className="field">
          <label htmlFor="login-password">{text.password}</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            // With the name filled in, the password is all that is left to type.
            autoFocus={initialUsername !== ''}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            aria-invalid={missing?.password === true}
            aria-describedby={missing?.password === true ? 'login-password-error' : undefined}
          />
          {missing?.password === true && (
            <span id="login-password-error" className="field-error">
              {text.fieldRequired}
            </span>
          )}
        </div>
        {error !== undefined && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary big" disabled={busy}>
          {text.logIn}
        </button>
      </form>
    </main>
  );
}
