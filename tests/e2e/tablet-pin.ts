// The tablet's PIN in browser tests and benchmarks: an init script types it on the lock screen
// whenever one is shown (a first start makes it, every later page load asks for it), as an
// interviewer would, so that tests about other things need not. The lock's own tests turn it off.
import type { BrowserContext } from 'playwright-core';

export const TABLET_PIN = '246810';

/** In the page: fills the lock screen's PIN fields once per screen shown, and submits. */
function typePinWhenLocked(pin: string): void {
  const fill = () => {
    const form = document.querySelector<HTMLFormElement>(
      'main[data-lock="create"] form, main[data-lock="unlock"] form',
    );
    if (form === null || form.dataset['typed'] === 'yes') return;
    form.dataset['typed'] = 'yes';
    for (const input of form.querySelectorAll<HTMLInputElement>('input[name^="pin"]'))
      input.value = pin;
    form.requestSubmit();
  };
  new MutationObserver(fill).observe(document, { childList: true, subtree: true });
}

export async function typePinOnLock(context: BrowserContext, pin = TABLET_PIN): Promise<void> {
  await context.addInitScript(typePinWhenLocked, pin);
}
