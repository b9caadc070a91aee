// The two fields of a new password (typed twice, at least MIN_PASSWORD_LENGTH characters, said
// beside them), shared by the one-time link page and "Mon compte".
import { MIN_PASSWORD_LENGTH } from '../../core/protocol/index.ts';
import { fill, useText } from '../text.ts';

export function NewPasswordFields({
  id,
  password,
  confirmation,
  onPassword,
  onConfirmation,
  problem,
}: {
  /** Prefix of the fields' ids, unique on the page. */
  readonly id: string;
  readonly password: string;
  readonly confirmation: string;
  readonly onPassword: (value: string) => void;
  readonly onConfirmation: (value: string) => void;
  /** Why the pair cannot be sent, shown under the confirmation. */
  readonly problem: string | undefined;
}) {
  const text = useText();
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-new`}>{text.newPassword}</label>
        <input
          id={`${id}-new`}
          name="new-password"
          type="password"
          autoComplete="new-password"
          minLength={MIN_PASSWORD_LENGTH}
          value={password}
          onChange={(event) => onPassword(event.target.value)}
          aria-describedby={`${id}-hint`}
          aria-invalid={problem !== undefined}
        />
        <span id={`${id}-hint`} className="small">
          {fill(text.passwordHint, { min: MIN_PASSWORD_LENGTH })}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-confirm`}>{text.confirmPassword}</label>
        <input
          id={`${id}-confirm`}
          name="confirm-password"
          type="password"
          autoComplete="new-password"
          value={confirmation}
          onChange={(event) => onConfirmation(event.target.value)}
          aria-invalid={problem !== undefined}
          aria-describedby={problem === undefined ? undefined : `${id}-problem`}
        />
        {problem !== undefined && (
          <span id={`${id}-problem`} className="field-error">
            {problem}
          </span>
        )}
      </div>
    </>
  );
}
