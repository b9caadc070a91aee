// The lock screen drawn before the device database is open (as the lock hint kept in localStorage
// guesses it), and what corrects a wrong guess: a key is never made over an existing one.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FIRST_START, readLockHint, writeLockHint } from '../../../../src/app/lock-hint.ts';
import type { LockHint } from '../../../../src/app/lock-hint.ts';
import { LOCK_TEXT } from '../../../../src/app/lock-text.ts';
import type { OpenedDevice } from '../../../../src/app/screens/LockScreen.tsx';
import { LockScreen, screenFits } from '../../../../src/app/screens/LockScreen.tsx';
import { createKeyRing } from '../../../../src/app/storage/vault.ts';
import { memoryStorage } from '../../../helpers/memory-storage.ts';

/** The database still opening: the screen must not wait for it. */
const neverOpened = new Promise<OpenedDevice>(() => {});

function render(hint: LockHint): string {
  return renderToStaticMarkup(
    <LockScreen opening={neverOpened} hint={hint} onUnlocked={() => {}} />,
  );
}

describe('LockScreen before the database is open', () => {
  it('asks for the PIN at once on a tablet that has a key, in the language it last used', () => {
    const html = render({ hasKey: true, language: 'en' });
    expect(html).toContain('data-lock="unlock"');
    expect(html).toContain(`<h1>${LOCK_TEXT.en.lockedTitle}</h1>`);
    expect(html).toMatch(/<input type="password" inputMode="numeric"[^>]*name="pin"/);
    // Typed and sent at once: nothing waits for the database to be usable.
    expect(html).not.toContain('disabled');
  });

  it('asks for a PIN to choose at a first start, in French', () => {
    const html = render(FIRST_START);
    expect(html).toContain('data-lock="create"');
    expect(html).toContain(`<h1>${LOCK_TEXT.fr.createTitle}</h1>`);
    expect(html).toContain('name="pinAgain"');
  });
});

describe('screenFits', () => {
  it('never lets a key be chosen on a tablet that has one, nor a PIN be typed on one without', async () => {
    const { ring } = await createKeyRing('246810');
    expect(screenFits(ring, 'create')).toBe(false);
    expect(screenFits(ring, 'unlock')).toBe(true);
    expect(screenFits(ring, 'recover')).toBe(true);
    expect(screenFits(undefined, 'create')).toBe(true);
    expect(screenFits(undefined, 'unlock')).toBe(false);
    expect(screenFits(undefined, 'recover')).toBe(false);
  });
});

describe('the lock hint', () => {
  it('is read back as written, and a first start when missing or unreadable', () => {
    const storage = memoryStorage();
    expect(readLockHint(storage)).toEqual(FIRST_START);
    writeLockHint(storage, { hasKey: true, language: 'en' });
    expect(readLockHint(storage)).toEqual({ hasKey: true, language: 'en' });
    for (const bad of ['{', '"unlock"', '{"hasKey":"yes","language":"de"}']) {
      storage.items.set('smpg-lock-hint', bad);
      expect(readLockHint(storage), bad).toEqual(FIRST_START);
    }
  });

  it('keeps nothing but whether there is a key and the language', () => {
    const storage = memoryStorage();
    writeLockHint(storage, { hasKey: true, language: 'fr' });
    expect([...storage.items.values()]).toEqual(['{"hasKey":true,"language":"fr"}']);
  });

  it('does not throw when storage refuses', () => {
    const refusing = {
      getItem: (): string | null => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(readLockHint(refusing)).toEqual(FIRST_START);
    expect(() => writeLockHint(refusing, FIRST_START)).not.toThrow();
  });
});
