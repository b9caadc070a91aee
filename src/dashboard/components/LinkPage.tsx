// The page a one-time link opens (`/dashboard/#link=<token>`): whose account it is, then the
// password typed twice; once saved, the login form with the user name filled in. A link that is
// unknown, used or expired says so and who to ask for a new one.
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { LinkInfo } from '../../core/protocol/index.ts';
import { passwordProblem } from '../account.ts';
import { ApiError } from '../api.ts';
import type { DashboardApi } from '../api.ts';
import { dateTime } from '../format.ts';
import { failureText } from '../refusals.ts';
import type { DashboardTexts } from '../text.ts';
import { fill, useText } from '../text.ts';
import { NewPasswordFields } from './NewPasswordFields.tsx';

type LinkState =
  | { readonly kind: 'checking' }
  | { readonly kind: 'ready'; readonly info: LinkInfo }
  | { readonly kind: 'bad' }
  | { readonly kind: 'error'; readonly message: string };

/** What the page says of a failed call: a refused link, or any other failure in its words. */
function linkFailure(failure: unknown, text: DashboardTexts, language: string): LinkState {
  if (failure instanceof ApiError && failure.status === 401) return { kind: 'bad' };
  return { kind: 'error', message: failureText(failure, text, { language }) };
}

export function LinkPage({
  api,
  token,
  language,
  onDone,
  onLeave,
}: {
  readonly api: DashboardApi;
  readonly token: string;
  readonly language: string;
  /** The password is saved: go to the login with this user name. */
  readonly onDone: (username: string) => void;
  /** Leave the page for the login form. */
  readonly onLeave: () => void;
}) {
  const text = useText();
  const [state, setState] = useState<LinkState>({ kind: 'checking' });

  useEffect(() => {
    let cancelled = false;
    api.linkInfo(token).then(
      (info) => {
        if (!cancelled) setState({ kind: 'ready', info });
      },
      (failure: unknown) => {
        if (!cancelled) setState(linkFailure(failure, text, language));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, token, text, language]);

  const save = async (password: string) => {
    try {
      await api.setPasswordWithLink(token, password);
    } catch (failure) {
      const next = linkFailure(failure, text, language);
      // A link refused now (used meanwhile, expired) ends the form; anything else stays on it.
      if (next.kind === 'bad') setState(next);
      throw new Error(next.kind === 'error' ? next.message : text.linkBad, { cause: failure });
    }
    if (state.kind === 'ready') onDone(state.info.username);
  };

  return (
    <main className="screen dashboard-login">
      <h1>{text.linkTitle}</h1>
      {state.kind === 'checking' && <p role="status">{text.linkChecking}</p>}
      {state.kind === 'bad' && (
        <>
          <p className="field-error" role="alert">
            {text.linkBad}
          </p>
          <button type="button" onClick={onLeave}>
            {text.goToLogin}
          </button>
        </>
      )}
      {state.kind === 'error' && (
        <>
          <p className="field-error" role="alert">
            {state.message}
          </p>
          <button type="button" onClick={onLeave}>
            {text.goToLogin}
          </button>
        </>
      )}
      {state.kind === 'ready' && (
        <LinkPasswordForm info={state.info} language={language} onSave={save} />
      )}
    </main>
  );
}

/** The form itself: the account's name (for the browser's password manager too) and the password twice. */
export function LinkPasswordForm({
  info,
  language,
  onSave,
}: {
  readonly info: LinkInfo;
  readonly language: string;
  /** Resolves when saved; rejects with the words to show. */
  readonly onSave: (password: string) => Promise<void>;
}) {
  const text = useText();
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [problem, setProblem] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const wrong = passwordProblem(password, confirmation, text);
    setProblem(wrong);
    if (wrong !== undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      await onSave(password);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <p>
        {fill(text.linkIntro, {
          user: info.username,
          time: dateTime(info.expiresAt, language),
        })}
      </p>
      <div className="field">
        <label htmlFor="link-username">{text.username}</label>
        <input
          id="link-username"
          name="username"
          autoComplete="username"
          readOnly
          value={info.username}
        />
      </div>
      <NewPasswordFields
        id="link-password"
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
      <button type="submit" className="primary big" disabled={busy}>
        {text.linkSubmit}
      </button>
    </form>
  );
}
