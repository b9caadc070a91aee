// The tablet's settings typed in: site and interviewer code. On first run it is the "Utiliser sans
// serveur" path (demonstration, training); afterwards it is the home screen's "Réglages", where on
// an enrolled tablet the site and its settings come from the server and only the interviewer
// changes. The alert's helpline is never typed: the screen says which number the alert gives (the
// site's, or 3114 without a server).
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { fill, useUiText } from '../ui-text.ts';

/** A site or interviewer code typed on the tablet (the server's interviewer codes fit it too). */
export const CODE = /^[A-Za-z0-9_-]{2,32}$/;

/** The message of a field's error when nothing was typed; any other error is about the form. */
export const REQUIRED = 'required';

/** A code typed in: trimmed, then "Obligatoire" if empty, else checked against CODE. */
export const typedCode = () =>
  z.string().trim().min(1, { error: REQUIRED, abort: true }).regex(CODE);

export const SetupSchema = z.object({
  site: typedCode(),
  interviewer: typedCode(),
});
export type Setup = z.infer<typeof SetupSchema>;

/** On an enrolled tablet the site is the server's, whatever its form: it is not checked here. */
const EnrolledSetupSchema = SetupSchema.extend({ site: z.string() });

export function SetupScreen({
  initial,
  onSave,
  siteLocked = false,
  siteName,
  helpline,
  onEnrol,
}: {
  /** The settings so far: no site yet means the tablet's first start. */
  readonly initial: Setup;
  readonly onSave: (setup: Setup) => Promise<void>;
  /** The tablet is enrolled: the site is shown, not edited. */
  readonly siteLocked?: boolean;
  /** The enrolled tablet's site by name, when its settings have come. */
  readonly siteName?: string | undefined;
  /** The number the enrolled tablet's alert gives (the site's). */
  readonly helpline?: string | undefined;
  /** Leads to enrolment with a server. */
  readonly onEnrol?: (() => void) | undefined;
}) {
  const text = useUiText();
  // The app's first run is a tablet with no site: any later visit comes from "Réglages".
  const firstStart = initial.site === '';
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<Setup>({
    resolver: zodResolver(siteLocked ? EnrolledSetupSchema : SetupSchema),
    defaultValues: initial,
  });
  const field = (name: keyof Setup, label: string, hint: string) => {
    const error = errors[name];
    return (
      <div className="field">
        <label htmlFor={`setup-${name}`}>{label}</label>
        <input
          id={`setup-${name}`}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error !== undefined}
          aria-describedby={error ? `setup-${name}-hint setup-${name}-error` : `setup-${name}-hint`}
          {...register(name)}
        />
        <p id={`setup-${name}-hint`} className="small">
          {hint}
        </p>
        {error && (
          <p id={`setup-${name}-error`} className="field-error" role="alert">
            {error.message === REQUIRED ? text.fieldRequired : text.codeFormat}
          </p>
        )}
      </div>
    );
  };
  return (
    <main className="screen setup">
      <h1>{firstStart ? text.setupTitle : text.settings}</h1>
      <p>{siteLocked ? text.settingsIntro : text.setupIntro}</p>
      <form onSubmit={handleSubmit(onSave)} noValidate>
        {siteLocked ? (
          <p>
            {text.site} : <strong>{siteName ?? initial.site}</strong>
            {siteName !== undefined && siteName !== initial.site && ` (${initial.site})`}
            <br />
            <span className="small">{text.siteFromServer}</span>
          </p>
        ) : (
          field('site', text.site, text.siteHint)
        )}
        {field('interviewer', text.interviewer, text.interviewerHint)}
        <p className="small" data-testid="setup-helpline">
          {siteLocked
            ? fill(text.setupSiteHelpline, { helpline: helpline ?? '' })
            : text.setupNoServerHelpline}
        </p>
        <button type="submit" className="primary" disabled={isSubmitting}>
          {text.save}
        </button>
      </form>
      {onEnrol && (
        <p>
          <button type="button" className="link" onClick={onEnrol}>
            {siteLocked ? text.reenrol : text.enrolInstead}
          </button>
        </p>
      )}
    </main>
  );
}
