// The home screen's "Nouvel entretien": the questionnaires this tablet offers (new-interview.ts),
// the button, and practice mode; on a revoked tablet the button says why no interview can start
// and what to do, instead of opening one that could never be sent.
import { useState } from 'react';
import { useHomeText } from '../home-text.ts';
import type { InstalledQuestionnaire } from '../storage/index.ts';
import { useUiText } from '../ui-text.ts';

export function StartCard({
  offered,
  selected,
  titleOf,
  onChoose,
  practice,
  onPractice,
  refusal,
  loaded,
  onStart,
  onEnrol,
}: {
  readonly offered: readonly InstalledQuestionnaire[];
  readonly selected: InstalledQuestionnaire | undefined;
  readonly titleOf: (entry: InstalledQuestionnaire) => string;
  readonly onChoose: (questionnaireId: string) => void;
  readonly practice: boolean;
  readonly onPractice: (practice: boolean) => void;
  /** Why no interview may start now (`startRefusal`), or undefined. */
  readonly refusal: 'revoked' | undefined;
  /** The installed questionnaires have been read (before, "none installed" would be premature). */
  readonly loaded: boolean;
  readonly onStart: (questionnaire: InstalledQuestionnaire) => void;
  readonly onEnrol: () => void;
}) {
  const text = useUiText();
  const words = useHomeText();
  const [refusalShown, setRefusalShown] = useState(false);

  return (
    <section aria-labelledby="start-title" className="card">
      <h2 id="start-title">{text.newInterview}</h2>
      {loaded && offered.length === 0 && <p role="alert">{text.noQuestionnaire}</p>}
      {/* A select even for one questionnaire: the same control, in the same place, says which. */}
      {offered.length > 0 && (
        <label className="field">
          {text.questionnaire}
          <select
            value={selected?.questionnaireId}
            onChange={(event) => onChoose(event.target.value)}
          >
            {offered.map((entry) => (
              <option key={entry.questionnaireId} value={entry.questionnaireId}>
                {titleOf(entry)} ({text.version} {entry.version})
              </option>
            ))}
          </select>
        </label>
      )}
      <button
        type="button"
        className="primary big"
        disabled={selected === undefined}
        onClick={() => {
          if (refusal !== undefined) setRefusalShown(true);
          else if (selected !== undefined) onStart(selected);
        }}
      >
        {text.newInterview}
      </button>
      {refusalShown && refusal === 'revoked' && (
        <div className="field-error" role="alert" data-testid="start-refused">
          <p>{words.startRevoked}</p>
          <button type="button" onClick={onEnrol}>
            {text.reenrol}
          </button>
        </div>
      )}
      <label className="switch">
        <input
          type="checkbox"
          checked={practice}
          onChange={(event) => onPractice(event.target.checked)}
        />
        <span>{text.practiceMode}</span>
      </label>
      <p className="small">{text.practiceHelp}</p>
    </section>
  );
}
