// First run (and enrolling again): the server's address, the one-time code the coordination gives
// (both filled in when the app was opened from the dashboard's link or QR code) and the
// interviewer's code; the site and its settings (the alert's helpline among them) come from the
// server. "Utiliser sans serveur" leads to the offline setup.
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { EnrolInstallGate } from '../components/EnrolInstallGate.tsx';
import { useInstallFirst } from '../pwa/useInstallFirst.ts';
import { requestPersistentStorage } from '../storage/index.ts';
import { normaliseEnrolmentCode, normaliseServerUrl } from '../sync/api.ts';
import type { EnrolmentForm, EnrolmentResult } from '../sync/enrolment.ts';
import { fill, useUiText } from '../ui-text.ts';
import { CODE } from './SetupScreen.tsx';

export const EnrolSchema = z.object({
  serverUrl: z.string().refine((value) => normaliseServerUrl(value) !== undefined),
  code: z
    .string()
    .refine((value) => /^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(normaliseEnrolmentCode(value))),
  interviewer: z.string().trim().regex(CODE),
});

export function EnrolScreen({
  initial,
  fromLink = false,
  onEnrol,
  onWithoutServer,
  onCancel,
}: {
  readonly initial: EnrolmentForm;
  /** The address and code come from an enrolment link. */
  readonly fromLink?: boolean;
  /** Enrols and, when it worked, moves on; returns the result to show a failure. */
  readonly onEnrol: (form: EnrolmentForm) => Promise<EnrolmentResult>;
  /** First run only: set the tablet up without a server. */
  readonly onWithoutServer?: (() => void) | undefined;
  /** Enrolling again: back home without changing anything. */
  readonly onCancel?: (() => void) | undefined;
}) {
  const text = useUiText();
  const [failure, setFailure] = useState<string>();
  const installFirst = useInstallFirst();
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<EnrolmentForm>({ resolver: zodResolver(EnrolSchema), defaultValues: initial });

  const submit = async (form: EnrolmentForm) => {
    setFailure(undefined);
    // A tap: ask for persistent storage now, as the tablet takes on its work (again until granted).
    void requestPersistentStorage();
    const result = await onEnrol({ ...form, code: normaliseEnrolmentCode(form.code) });
    if (result.ok) return;
    switch (result.problem) {
      case 'unreachable':
        setFailure(text.enrolUnreachable);
        break;
      case 'other_origin':
        setFailure(
          fill(text.enrolOtherOrigin, {
            url: normaliseServerUrl(form.serverUrl) ?? form.serverUrl,
            origin: window.location.origin,
          }),
        );
        break;
      case 'bad_address':
        setFailure(text.serverUrlInvalid);
        break;
      case 'bad_code':
        setFailure(text.enrolBadCode);
        break;
      case 'refused':
        setFailure(`${text.enrolFailed} ${result.message}`);
        break;
    }
  };

  const field = (
    name: keyof EnrolmentForm,
    label: string,
    error: string,
    options: { help?: string; className?: string; inputMode?: 'url' | 'text' } = {},
  ) => {
    const described = [
      options.help ? `enrol-${name}-help` : '',
      errors[name] ? `enrol-${name}-error` : '',
    ]
      .filter(Boolean)
      .join(' ');
    return (
      <div className="field">
        <label htmlFor={`enrol-${name}`}>{label}</label>
        <input
          id={`enrol-${name}`}
          autoComplete="off"
          spellCheck={false}
          autoCapitalize={name === 'code' ? 'characters' : 'off'}
          inputMode={options.inputMode}
          className={options.className}
          aria-invalid={errors[name] !== undefined}
          aria-describedby={described || undefined}
          {...register(name)}
        />
        {options.help && (
          <p id={`enrol-${name}-help`} className="small">
            {options.help}
          </p>
        )}
        {errors[name] && (
          <p id={`enrol-${name}-error`} className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
    );
  };

  return (
    <main className="screen setup">
      <h1>{text.enrolTitle}</h1>
      <p>{text.enrolIntro}</p>
      {fromLink && (
        <p className="notice" role="status">
          {text.enrolFromLink}
        </p>
      )}
      <EnrolInstallGate installFirst={installFirst} code={fromLink ? initial.code : undefined} />
      <form onSubmit={handleSubmit(submit)} noValidate hidden={installFirst.waiting}>
        {field('serverUrl', text.serverUrl, text.serverUrlInvalid, { inputMode: 'url' })}
        {field('code', text.enrolCode, text.enrolCodeInvalid, {
          help: text.enrolCodeHelp,
          className: 'code-input',
        })}
        {field('interviewer', text.interviewer, text.codeFormat)}
        {failure && (
          <p className="field-error" role="alert">
            {failure}
          </p>
        )}
        <button type="submit" className="primary" disabled={isSubmitting}>
          {isSubmitting ? text.enrolling : text.enrol}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {text.cancel}
          </button>
        )}
      </form>
      {onWithoutServer && !installFirst.waiting && (
        <section className="card" aria-labelledby="without-server-title">
          <h2 id="without-server-title" className="visually-hidden">
            {text.useWithoutServer}
          </h2>
          <p className="small">{text.useWithoutServerHelp}</p>
          <button type="button" onClick={onWithoutServer}>
            {text.useWithoutServer}
          </button>
        </section>
      )}
    </main>
  );
}
