// "Sauvegarde" on the home screen: writes the encrypted backup file of the interviews the server
// has not acknowledged (backup/make-backup.ts, loaded on first use) and hands it to the browser's
// download, then says what is in it or why there is nothing to write.
import { useState } from 'react';
import { useHomeText } from '../home-text.ts';
import type { QuestionnaireCache } from '../questionnaires/catalogue.ts';
import type { InterviewStore } from '../storage/index.ts';
import { countText } from './plurals.ts';
import { fill, useUiLanguage } from '../ui-text.ts';
import { saveBlob } from './save-blob.ts';

type Shown =
  | { readonly kind: 'idle' }
  | { readonly kind: 'working' }
  | { readonly kind: 'done'; readonly text: string; readonly skipped?: string }
  | { readonly kind: 'problem'; readonly text: string };

export function BackupButton({
  store,
  cache,
}: {
  readonly store: InterviewStore;
  readonly cache: QuestionnaireCache;
}) {
  const words = useHomeText();
  const language = useUiLanguage();
  const [shown, setShown] = useState<Shown>({ kind: 'idle' });

  const backUp = async () => {
    setShown({ kind: 'working' });
    try {
      const { makeBackup } = await import('../backup/make-backup.ts');
      const result = await makeBackup(store, cache, new Date());
      if (!result.ok) {
        const text =
          result.problem === 'unbuildable'
            ? countText(words.backupSkipped, result.reasons.length, language, {
                reasons: [...new Set(result.reasons)].join(' ; '),
              })
            : result.problem === 'no_key'
              ? words.backupNoKey
              : result.problem === 'not_enrolled'
                ? words.backupNotEnrolled
                : words.backupNothing;
        setShown({ kind: 'problem', text });
        return;
      }
      saveBlob(new Blob([JSON.stringify(result.file)], { type: 'application/json' }), result.name);
      setShown({
        kind: 'done',
        text: countText(words.backupDone, result.file.count, language, { file: result.name }),
        ...(result.skipped.length === 0
          ? {}
          : {
              skipped: countText(words.backupSkipped, result.skipped.length, language, {
                reasons: [...new Set(result.skipped)].join(' ; '),
              }),
            }),
      });
    } catch (error) {
      setShown({
        kind: 'problem',
        text: fill(words.backupFailed, {
          message: error instanceof Error ? error.message : String(error),
        }),
      });
    }
  };

  return (
    <div className="field" data-testid="backup">
      <button type="button" disabled={shown.kind === 'working'} onClick={() => void backUp()}>
        {words.backupButton}
      </button>
      <p className="small">{words.backupHelp}</p>
      {shown.kind === 'working' && <p role="status">{words.backupWorking}</p>}
      {shown.kind === 'done' && (
        <>
          <p role="status" data-testid="backup-done">
            {shown.text}
          </p>
          {shown.skipped !== undefined && (
            <p className="field-error" role="alert">
              {shown.skipped}
            </p>
          )}
        </>
      )}
      {shown.kind === 'problem' && (
        <p className="field-error" role="alert" data-testid="backup-problem">
          {shown.text}
        </p>
      )}
    </div>
  );
}
