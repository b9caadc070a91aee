// The app's one capture of the browser's install prompt, made as the app's code first runs (main.tsx
// imports this file): the browser offers the prompt once per page, maybe before any screen is shown.
import { captureInstallPrompt } from './install.ts';

export const installPrompt = captureInstallPrompt(
  typeof window === 'undefined' ? new EventTarget() : window,
);
