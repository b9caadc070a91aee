// First run: the site and the interviewer's code, saved on the tablet. Device enrolment with the
// server (sync issue) will replace this form.
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { useUiText } from '../ui-text.ts';

const CODE = /^[A-Za-z0-9_-]{2,32}$/;

export const SetupSchema = z.object({
  site: z.string().trim().regex(CODE),
  interviewer: z.string().trim().regex(CODE),
  helpline: z.string().trim().min(2).max(32),
});
export type Setup = z.infer<typeof SetupSchema>;

export function SetupScreen({
  initial,
  onSave,
}: {
  readonly initial: Setup;
  readonly onSave: (setup: Setup) => Promise<void>;
}) {
  const text = useUiText();
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<Setup>({ resolver: zodResolver(SetupSchema), defaultValues: initial });
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
        {field('site', text.site, text.codeFormat)}
        {field('interviewer', text.interviewer, text.codeFormat)}
        {field('helpline', text.helpline, text.fieldRequired)}
        <button type="submit" className="primary" disabled={isSubmitting}>
          {text.save}
        </button>
      </form>
    </main>
  );
}
