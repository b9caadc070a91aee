// The first screen at every start, and after some minutes without use: nothing of the interviews
// is read before it. It makes the tablet's key on first use (the PIN chosen twice), opens it with
// the PIN, or with the recovery code the coordinator reads out. It is drawn before the database is
// open (as the lock hint guesses: a PIN to type or to choose) and a PIN typed meanwhile waits for
// it. Its fields are read on submit (no state per keystroke): a PIN is never kept longer than its
// check.
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { LockHint } from '../lock-hint.ts';
import type { LockText } from '../lock-text.ts';
import { LOCK_TEXT } from '../lock-text.ts';
import type { SmpgDatabase } from '../storage/dexie-schema.ts';
import type { KeyRing, Vault } from '../storage/vault.ts';
import { MIN_PIN_LENGTH, derivePinKey } from '../storage/vault.ts';
import { createLock, recoverDevice, unlockDevice } from '../storage/lock.ts';
import { fill } from '../ui-text.ts';

export interface Unlocked {
  readonly vault: Vault;
  /** The tablet's key was made just now. */
  readonly created: boolean;
}

/** The device database, open, and what the lock reads of it (nothing of the interviews). */
export interface OpenedDevice {
  readonly db: SmpgDatabase;
  readonly ring: KeyRing | undefined;
  readonly language: 'fr' | 'en';
  /** The tablet as its coordinator knows it (device id and site), for the recovery code. */
  readonly device: string | undefined;
}

interface LockScreenProps {
  /** The database being opened; its failure is the caller's to report. */
  readonly opening: Promise<OpenedDevice>;
  /** What to show until it is open. */
  readonly hint: LockHint;
  readonly onUnlocked: (unlocked: Unlocked) => void;
}

export type LockMode = 'create' | 'unlock' | 'recover';

/**
 * Whether the screen shown, as the hint guessed it, is the one the open database asks for: a key
 * is chosen only on a tablet that has none (never a second key over the first), a PIN typed only
 * on one that has one.
 */
export function screenFits(ring: KeyRing | undefined, mode: LockMode): boolean {
  return (ring !== undefined) === (mode !== 'create');
}

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

export function LockScreen({ opening, hint, onUnlocked }: LockScreenProps) {
  const [opened, setOpened] = useState<OpenedDevice>();
  const [recovering, setRecovering] = useState(false);
  const [message, setMessage] = useState<string>();
  const [working, setWorking] = useState(false);
  useEffect(() => {
    let shown = true;
    opening.then(
      (device) => {
        if (shown) setOpened(device);
      },
      () => undefined,
    );
    return () => {
      shown = false;
    };
  }, [opening]);
  const language = opened?.language ?? hint.language;
  const text: LockText = LOCK_TEXT[language];
  const hasKey = opened === undefined ? hint.hasKey : opened.ring !== undefined;
  const mode: LockMode = !hasKey ? 'create' : recovering ? 'recover' : 'unlock';

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
    /**
     * The open database, or undefined when the screen shown was the hint's wrong guess (a key to
     * choose on a tablet that has one, or the reverse): the right screen replaces it, empty.
     */
    const openedAsShown = async () => {
      const device = await opening;
      return screenFits(device.ring, mode) ? device.db : undefined;
    };
    if (mode === 'create') {
      void run(form, async () => {
        const problem = newPinProblem(text, pin, field(form, 'pinAgain'));
        if (problem !== undefined) return problem;
        const db = await openedAsShown();
        if (db === undefined) return undefined;
        const { vault } = await createLock(db, pin);
        onUnlocked({ vault, created: true });
        return undefined;
      });
    } else if (mode === 'unlock') {
      // Derived from now on under the salt the ring had when last read: PBKDF2 runs on WebCrypto's
      // thread while the database opens and the app's code loads.
      const pinKey = derivePinKey(pin, opened?.ring?.pin ?? hint.pin);
      void run(form, async () => {
        const db = await openedAsShown();
        if (db === undefined) return undefined;
        const result = await unlockDevice(db, pinKey);
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
        const db = await openedAsShown();
        if (db === undefined) return undefined;
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
          {opened?.device !== undefined && <p>{fill(text.device, { device: opened.device })}</p>}
        </>
      )}
      {/* One form per screen: a screen replaced (the hint's guess corrected) starts empty. */}
      <form key={mode} onSubmit={submit} noValidate aria-busy={working}>
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
        <button type="button" onClick={() => setRecovering(true)}>
          {text.forgot}
        </button>
      )}
      {mode === 'recover' && (
        <button type="button" onClick={() => setRecovering(false)}>
          {text.back}
        </button>
      )}
    </main>
  );
}
