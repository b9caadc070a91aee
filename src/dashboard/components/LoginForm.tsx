// The coordinator's login: user name and password, sent to POST /auth/login; the server's refusal
// is shown as it says it.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useText } from '../text.ts';

export function LoginForm({
  onLogin,
  notice,
}: {
  /** Resolves when logged in; rejects with the message to show. */
  readonly onLogin: (username: string, password: string) => Promise<void>;
  /** Shown above the form (e.g. "the session has expired"). */
  readonly notice?: string | undefined;
}) {
  const text = useText();
  const [username, setUsername] = useState('');
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
      setError(failure instanceof Error ? failure.message : String(failure));
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
