// Whether enrolment waits for the app to be installed: on iPad and iPhone the installed app's
// storage is not Safari's, so the tablet is enrolled inside it, unless the interviewer goes on anyway.
import { useState } from 'react';
import { mustInstallBeforeEnrolling } from './install.ts';
import { useInstall } from './useInstall.ts';

export interface InstallFirst {
  /** The enrolment forms wait behind the installation steps. */
  readonly waiting: boolean;
  /** The interviewer's explicit choice to enrol in the browser all the same. */
  readonly goOnAnyway: () => void;
}

export function useInstallFirst(): InstallFirst {
  const { platform, installed } = useInstall();
  const [goneOn, setGoneOn] = useState(false);
  return {
    waiting: mustInstallBeforeEnrolling(platform, installed) && !goneOn,
    goOnAnyway: () => setGoneOn(true),
  };
}
