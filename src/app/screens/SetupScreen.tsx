// The tablet's settings typed in: site, interviewer code and helpline. On first run it is the
// "Utiliser sans serveur" path (demonstration, training); on an enrolled tablet the site comes
// from the server and only the interviewer and the helpline change here.
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { useUiText } from '../ui-text.ts';

export const CODE = /^[A-Za-z0-9_-]{2,32}$/;

export const SetupSchema = z.object({
  site: z.string().trim().regex(CODE),
  interviewer: z.string().trim().regex(CODE),
  helpline: z.string().trim().min(2).max(32),
});
export type Setup = z.infer<typeof SetupSchema>;

/** On an enrolled tablet the site is the server's, whatever its form: it is not checked here. */
const EnrolledSetupSchema = SetupSchema.extend({ site: z.string() });

export function SetupScreen({
  initial,
  onSave,
  siteLocked = false,
  onEnrol,
}: {
  readonly initial: Setup;
  readonly onSave: (setup: Setup) => Promise<void>;
  /** The tablet is enrolled: the site is shown, not edited. */
  readonly siteLocked?: boolean;
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
            {text.site} : <strong>{initial.site}</strong>
            <br />
            <span className="small">{text.siteFromServer}</span>
          </p>
        ) : (
          field('site', text.site, text.codeFormat)
        )}
        {field('interviewer', text.interviewer, text.codeFormat)}
        {field('helpline', text.helpline, text.fieldRequired)}
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
