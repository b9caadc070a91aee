// The install state for the screens: the platform, whether the app runs installed (followed as the
// display mode changes), and the install prompt kept since the app started.
import { useSyncExternalStore } from 'react';
import type { InstallPlatform, InstallPromptState } from './install.ts';
import { detectPlatform, isInstalled } from './install.ts';
import { installPrompt } from './install-prompt.ts';

export interface InstallState {
  readonly platform: InstallPlatform;
  readonly installed: boolean;
  readonly prompt: InstallPromptState;
  /** Shows the browser's install dialog; call it from a tap. */
  readonly showPrompt: () => Promise<'accepted' | 'dismissed' | 'unavailable'>;
}

const STANDALONE = '(display-mode: standalone)';

function installedNow(): boolean {
  return isInstalled(navigator, (query) => window.matchMedia(query).matches);
}

function subscribeDisplayMode(listener: () => void): () => void {
  const query = window.matchMedia(STANDALONE);
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}

const showPrompt = () => installPrompt.prompt();

export function useInstall(): InstallState {
  const installed = useSyncExternalStore(subscribeDisplayMode, installedNow);
  const prompt = useSyncExternalStore(installPrompt.subscribe, installPrompt.getState);
  return { platform: detectPlatform(navigator), installed, prompt, showPrompt };
}
