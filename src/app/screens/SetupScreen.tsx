// The tablet's settings typed in: site and interviewer code. On first run it is the "Utiliser sans
// serveur" path (demonstration, training); on an enrolled tablet the site and its settings come
// from the server and only the interviewer changes here. The alert's helpline is never typed: the
// screen says which number the alert gives (the site's, or 3114 without a server).
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { fill, useUiText } from '../ui-text.ts';

export const CODE = /^[A-Za-z0-9_-]{2,32}$/;

export const SetupSchema = z.object({
  site: z.string().trim().regex(CODE),
  interviewer: z.string().trim().regex(CODE),
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
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<Setup>({
    resolver: zodResolver(siteLocked ? EnrolledSetupSchema : SetupSchema),
    defaultValues: initial,
  });
  const field = (name: keyof Setup, label: string, help: string) => (
    <div className="field">
      <label htmlFor={`setup-${name}`}>{label}</label>
      <input
        id={`setup-${name}`}
        autoComplete="off"
        aria-invalid={errors[name] !== undefined}
        aria-describedby={errors[name] ? `setup-${name}-error` : undefined}
        {...register(name)}
      />
      {errors[name] && (
        <p id={`setup-${name}-error`} className="field-error" role="alert">
          {help}
        </p>
      )}
    </div>
  );
  return (
    <main className="screen setup">
      <h1>{text.setupTitle}</h1>
      <p>{text.setupIntro}</p>
      <form onSubmit={handleSubmit(onSave)} noValidate>
        {siteLocked ? (
          <p>
            {text.site} : <strong>{siteName ?? initial.site}</strong>
            {siteName !== undefined && siteName !== initial.site && ` (${initial.site})`}
            <br />
            <span className="small">{text.siteFromServer}</span>
          </p>
        ) : (
          field('site', text.site, text.codeFormat)
        )}
        {field('interviewer', text.interviewer, text.codeFormat)}
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
            {text.enrolInstead}
          </button>
        </p>
      )}
    </main>
  );
}
