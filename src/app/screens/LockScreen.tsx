// The first screen at every start, and after some minutes without use: nothing of the interviews
// is read before it. It makes the tablet's key on first use (the PIN chosen twice), opens it with
// the PIN, or with the recovery code the coordinator reads out. Its fields are read on submit
// (no state per keystroke): a PIN is never kept longer than its check.
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { LockText } from '../lock-text.ts';
import { LOCK_TEXT } from '../lock-text.ts';
import type { SmpgDatabase } from '../storage/dexie-schema.ts';
import type { KeyRing, Vault } from '../storage/vault.ts';
import { MIN_PIN_LENGTH } from '../storage/vault.ts';
import { createLock, recoverDevice, unlockDevice } from '../storage/lock.ts';
import { fill } from '../ui-text.ts';

export interface Unlocked {
  readonly vault: Vault;
  /** The tablet's key was made just now. */
  readonly created: boolean;
}

interface LockScreenProps {
  readonly db: SmpgDatabase;
  readonly ring: KeyRing | undefined;
  readonly language: 'fr' | 'en';
  /** The tablet as its coordinator knows it (device id and site), for the recovery code. */
  readonly device: string | undefined;
  readonly onUnlocked: (unlocked: Unlocked) => void;
}

type Mode = 'create' | 'unlock' | 'recover';

function field(form: HTMLFormElement, name: string): string {
  const value = new FormData(form).get(name);
  return typeof value === 'string' ? value : '';
}

/** A new PIN typed twice: the message saying what is wrong, or undefined. */
function newPinProblem(text: LockText, pin: string, again: string): string | undefined {
  if (pin.length < MIN_PIN_LENGTH) return text.tooShort;
  if (pin !== again) return text.mismatch;
  return undefined;
}

export function LockScreen({ db, ring, language, device, onUnlocked }: LockScreenProps) {
  const text: LockText = LOCK_TEXT[language];
  const [mode, setMode] = useState<Mode>(ring === undefined ? 'create' : 'unlock');
  const [message, setMessage] = useState<string>();
  const [working, setWorking] = useState(false);

  async function run(form: HTMLFormElement, action: () => Promise<string | undefined>) {
    setWorking(true);
    setMessage(undefined);
    try {
      const problem = await action();
      if (problem !== undefined) {
        setMessage(problem);
        form.reset();
      }
    } catch (error) {
      setMessage(
        fill(text.failed, { error: error instanceof Error ? error.message : String(error) }),
      );
    } finally {
      setWorking(false);
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (working) return;
    const form = event.currentTarget;
    const pin = field(form, 'pin');
    if (mode === 'create') {
      void run(form, async () => {
        const problem = newPinProblem(text, pin, field(form, 'pinAgain'));
        if (problem !== undefined) return problem;
        const { vault } = await createLock(db, pin);
        onUnlocked({ vault, created: true });
        return undefined;
      });
    } else if (mode === 'unlock') {
      void run(form, async () => {
        const result = await unlockDevice(db, pin);
        if (result.kind === 'unlocked') {
          onUnlocked({ vault: result.vault, created: false });
          return undefined;
        }
        if (result.kind === 'wait') {
          const time = new Date(result.notBefore).toLocaleTimeString(language);
          return fill(text.wait, { time });
        }
        return result.erased
          ? `${text.wrong} ${text.erased}`
          : `${text.wrong} ${fill(result.left === 1 ? text.leftOne : text.left, { n: result.left })}`;
      });
    } else {
      void run(form, async () => {
        const problem = newPinProblem(text, pin, field(form, 'pinAgain'));
        if (problem !== undefined) return problem;
        const vault = await recoverDevice(db, field(form, 'recoveryCode'), pin);
        if (vault === undefined) return text.wrongRecovery;
        onUnlocked({ vault, created: false });
        return undefined;
      });
    }
  }

  const title =
    mode === 'create' ? text.createTitle : mode === 'unlock' ? text.lockedTitle : text.recoverTitle;
  const pinLabel = mode === 'unlock' ? text.pin : mode === 'create' ? text.pin : text.newPin;
  return (
    <main className="screen lock" data-lock={mode}>
      <h1>{title}</h1>
      {mode === 'create' && (
        <>
          <p>{text.createHelp}</p>
          <p>{text.createForgot}</p>
        </>
      )}
      {mode === 'unlock' && <p>{text.lockedHelp}</p>}
      {mode === 'recover' && (
        <>
          <p>{text.recoverHelp}</p>
          {device !== undefined && <p>{fill(text.device, { device })}</p>}
        </>
      )}
      <form onSubmit={submit} noValidate aria-busy={working}>
        {mode === 'recover' && (
          <label>
            {text.recoveryCode}
            <input
              name="recoveryCode"
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              required
            />
          </label>
        )}
        <label>
          {pinLabel}
          <input
            name="pin"
            type="password"
            inputMode={mode === 'unlock' ? 'numeric' : undefined}
            autoComplete="off"
            // The lock is the first thing the interviewer does at each start.
            autoFocus={mode !== 'recover'}
            required
          />
        </label>
        {mode !== 'unlock' && (
          <label>
            {text.pinAgain}
            <input name="pinAgain" type="password" autoComplete="off" required />
          </label>
        )}
        {message !== undefined && (
          <p role="alert" className="error">
            {message}
          </p>
        )}
        <button type="submit" className="primary" disabled={working}>
          {working
            ? text.working
            : mode === 'create'
              ? text.create
              : mode === 'unlock'
                ? text.unlock
                : text.recover}
        </button>
      </form>
      {mode === 'unlock' && (
        <button type="button" onClick={() => setMode('recover')}>
          {text.forgot}
        </button>
      )}
      {mode === 'recover' && (
        <button type="button" onClick={() => setMode('unlock')}>
          {text.back}
        </button>
      )}
    </main>
  );
}
