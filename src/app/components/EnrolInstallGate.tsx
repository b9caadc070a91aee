// Installation first, at enrolment: on iPad and iPhone the installed app's storage is not Safari's,
// so the tablet is enrolled inside the installed app, and the forms wait behind these steps unless
// the interviewer chooses to go on anyway. Elsewhere the steps are advice above the forms.
import { useHomeText } from '../home-text.ts';
import type { InstallFirst } from '../pwa/useInstallFirst.ts';
import { InstallGuide } from './InstallGuide.tsx';

export function EnrolInstallGate({
  installFirst,
  code,
}: {
  readonly installFirst: InstallFirst;
  /** The enrolment code of the link the app was opened from: the installed app will not have it. */
  readonly code?: string | undefined;
}) {
  const words = useHomeText();
  if (!installFirst.waiting) return <InstallGuide where="enrol" />;
  return (
    <section data-testid="install-first" aria-label={words.installTitle}>
      <p className="field-error">{words.enrolInstallFirst}</p>
      {code !== undefined && code !== '' && (
        <p>
          {words.enrolNoteCode} <strong className="install-code">{code}</strong>
        </p>
      )}
      <InstallGuide where="enrol" />
      <button type="button" onClick={installFirst.goOnAnyway}>
        {words.enrolContinueAnyway}
      </button>
      <p className="small">{words.enrolContinueAnywayHelp}</p>
    </section>
  );
}
