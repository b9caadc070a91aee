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
import { REQUIRED, typedCode } from './SetupScreen.tsx';

/** Something typed: "Obligatoire" when empty, then the field's own check. */
const typed = () => z.string().trim().min(1, { error: REQUIRED, abort: true });

export const EnrolSchema = z.object({
  serverUrl: typed().refine((value) => normaliseServerUrl(value) !== undefined),
  code: typed().refine((value) => /^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(normaliseEnrolmentCode(value))),
  interviewer: typedCode(),
});

type Problem = Extract<EnrolmentResult, { ok: false }>['problem'];

/**
 * The fields a failed enrolment is about: editing one of them clears the message, which no longer
 * describes the form (a server's other refusals may be about anything).
 */
const FAILURE_FIELDS: Readonly<Record<Problem, readonly (keyof EnrolmentForm)[]>> = {
  bad_address: ['serverUrl'],
  unreachable: ['serverUrl'],
  other_origin: ['serverUrl'],
  bad_code: ['code'],
  refused: ['serverUrl', 'code', 'interviewer'],
};

interface Failure {
  readonly message: string;
  readonly fields: readonly (keyof EnrolmentForm)[];
}

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
  const [failure, setFailure] = useState<Failure>();
  const installFirst = useInstallFirst();
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<EnrolmentForm>({ resolver: zodResolver(EnrolSchema), defaultValues: initial });

  const failureMessage = (problem: Problem, message: string, form: EnrolmentForm): string => {
    switch (problem) {
      case 'unreachable':
        return text.enrolUnreachable;
      case 'other_origin':
        return fill(text.enrolOtherOrigin, {
          url: normaliseServerUrl(form.serverUrl) ?? form.serverUrl,
          origin: window.location.origin,
        });
      case 'bad_address':
        return text.serverUrlInvalid;
      case 'bad_code':
        return text.enrolBadCode;
      case 'refused':
        return `${text.enrolFailed} ${message}`;
    }
  };

  const submit = async (form: EnrolmentForm) => {
    setFailure(undefined);
    // A tap: ask for persistent storage now, as the tablet takes on its work (again until granted).
    void requestPersistentStorage();
    const result = await onEnrol({ ...form, code: normaliseEnrolmentCode(form.code) });
    if (result.ok) return;
    setFailure({
      message: failureMessage(result.problem, result.message, form),
      fields: FAILURE_FIELDS[result.problem],
    });
  };

  /** An edit of a field the failure is about: the message goes. */
  const edited = (name: keyof EnrolmentForm) => () =>
    setFailure((shown) => (shown?.fields.includes(name) ? undefined : shown));

  const field = (
    name: keyof EnrolmentForm,
    label: string,
    invalid: string,
    options: { help?: string; className?: string; inputMode?: 'url' | 'text' } = {},
  ) => {
    const error = errors[name];
    const described = [options.help ? `enrol-${name}-help` : '', error ? `enrol-${name}-error` : '']
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
          aria-invalid={error !== undefined}
          aria-describedby={described || undefined}
          {...register(name, { onChange: edited(name) })}
        />
        {options.help && (
          <p id={`enrol-${name}-help`} className="small">
            {options.help}
          </p>
        )}
        {error && (
          <p id={`enrol-${name}-error`} className="field-error" role="alert">
            {error.message === REQUIRED ? text.fieldRequired : invalid}
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
        {field('interviewer', text.interviewer, text.codeFormat, { help: text.interviewerHint })}
        {failure && (
          <p className="field-error" role="alert" data-testid="enrol-failure">
            {failure.message}
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
