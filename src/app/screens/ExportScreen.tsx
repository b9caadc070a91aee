// The tablet's own export, a fallback when there is no network for days: the completed interviews
// of this tablet as CSV (anonymised, exactly as the server would export them), the codebook and
// the screen-outs. The work runs in a worker, with a progress bar.
import { useEffect, useMemo, useState } from 'react';
import type { ExportOptions } from '../../core/export/index.ts';
import { saveBlob } from '../components/save-blob.ts';
import type { DeviceExportKind } from '../export/device-export.ts';
import { exportOnDevice } from '../export/export-client.ts';
import type { QuestionnaireCache } from '../questionnaires/catalogue.ts';
import { newestVersions } from '../questionnaires/catalogue.ts';
import type { InstalledQuestionnaire, InterviewRecord, InterviewStore } from '../storage/index.ts';
import { useHomeText } from '../home-text.ts';
import { countText } from '../components/plurals.ts';
import { dayIn } from '../site-settings.ts';
import { fill, useUiText } from '../ui-text.ts';

type Format = 'excel_fr' | 'standard';

/** The progress bar is drawn again at most this often: each step of the export would redraw it. */
const PROGRESS_EVERY_MS = 250;

function languagesOf(installed: InstalledQuestionnaire | undefined): string[] {
  const definition = installed?.definition as { languages?: unknown } | undefined;
  return Array.isArray(definition?.languages)
    ? definition.languages.filter((language): language is string => typeof language === 'string')
    : [];
}

export function ExportScreen({
  store,
  cache,
  site,
  timeZone,
  language,
  onBack,
}: {
  readonly store: InterviewStore;
  readonly cache: QuestionnaireCache;
  readonly site: string;
  /** The site's time zone, for the day in the file's name (undefined: the tablet's). */
  readonly timeZone?: string | undefined;
  readonly language: 'fr' | 'en';
  readonly onBack: () => void;
}) {
  const text = useUiText();
  const words = useHomeText();
  const [interviews, setInterviews] = useState<InterviewRecord[]>();
  const [installed, setInstalled] = useState<InstalledQuestionnaire[]>([]);
  const [questionnaire, setQuestionnaire] = useState('');
  const [format, setFormat] = useState<Format>(language === 'fr' ? 'excel_fr' : 'standard');
  const [values, setValues] = useState<'codes' | 'labels'>('codes');
  const [labelLanguage, setLabelLanguage] = useState<string>(language);
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();

  useEffect(() => {
    let cancelled = false;
    void Promise.all([store.listInterviews(), store.listQuestionnaires()]).then(
      ([records, questionnaires]) => {
        if (cancelled) return;
        setInterviews(records.filter((record) => !record.practice));
        const newest = newestVersions(questionnaires);
        setInstalled(newest);
        // The questionnaire with the most completed interviews first.
        const done = (id: string) =>
          records.filter(
            (record) =>
              !record.practice && record.status === 'completed' && record.questionnaireId === id,
          ).length;
        const first = [...newest].sort(
          (a, b) => done(b.questionnaireId) - done(a.questionnaireId),
        )[0];
        setQuestionnaire((current) => current || (first?.questionnaireId ?? ''));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [store]);

  const chosen = installed.find((entry) => entry.questionnaireId === questionnaire);
  const languages = languagesOf(chosen);
  const effectiveLanguage = languages.includes(labelLanguage)
    ? labelLanguage
    : (languages[0] ?? language);
  const counts = useMemo(() => {
    const of = (status: InterviewRecord['status']) =>
      (interviews ?? []).filter(
        (record) => record.status === status && record.questionnaireId === questionnaire,
      ).length;
    return { completed: of('completed'), screenedOut: of('screened_out') };
  }, [interviews, questionnaire]);

  const run = async (kind: DeviceExportKind) => {
    setOutcome(undefined);
    setProgress({ done: 0, total: kind === 'codebook' ? 0 : counts.completed });
    const options: ExportOptions = {
      values,
      language: effectiveLanguage,
      decimalComma: format === 'excel_fr',
    };
    let drawnAt = performance.now();
    const onProgress = (done: number, total: number) => {
      const at = performance.now();
      if (done < total && at - drawnAt < PROGRESS_EVERY_MS) return;
      drawnAt = at;
      setProgress({ done, total });
    };
    try {
      const file = await exportOnDevice(
        {
          kind,
          questionnaireId: questionnaire,
          separator: format === 'excel_fr' ? ';' : ',',
          bom: format === 'excel_fr',
          options,
        },
        onProgress,
        { store, cache },
      );
      const date = dayIn(new Date(), timeZone);
      const name = `${questionnaire}_${site || 'tablette'}_${kind}_${date}.csv`;
      saveBlob(file.blob, name);
      const reasons = [...new Set(file.skipped.map((entry) => entry.problem))].join(' ; ');
      const done = countText(words.exportDone, file.rows, language, { file: name });
      setOutcome(
        file.skipped.length === 0
          ? { ok: true, text: done }
          : {
              ok: false,
              text: `${done} ${countText(words.exportSkipped, file.skipped.length, language, { reasons })}`,
            },
      );
    } catch (error) {
      setOutcome({
        ok: false,
        text: fill(words.exportFailed, {
          message: error instanceof Error ? error.message : String(error),
        }),
      });
    } finally {
      setProgress(undefined);
    }
  };

  const busy = progress !== undefined;
  const progressText =
    progress === undefined
      ? ''
      : countText(words.exportProgress, progress.total, language, { done: progress.done });
  return (
    <main className="screen export">
      <h1>{words.exportTitle}</h1>
      <p>{words.exportIntro}</p>
      {interviews === undefined ? (
        <p aria-live="polite">{text.loading}</p>
      ) : installed.length === 0 ? (
        <p>{text.noQuestionnaire}</p>
      ) : (
        <>
          <p data-testid="export-counts">
            {fill(words.exportCounts, {
              completed: countText(words.exportCompleted, counts.completed, language),
              screenedOut: countText(words.exportScreenedOut, counts.screenedOut, language),
            })}
          </p>
          <div className="field">
            <label htmlFor="export-questionnaire">{words.exportQuestionnaire}</label>
            <select
              id="export-questionnaire"
              value={questionnaire}
              onChange={(event) => setQuestionnaire(event.target.value)}
            >
              {installed.map((entry) => (
                <option key={entry.questionnaireId} value={entry.questionnaireId}>
                  {entry.questionnaireId}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="export-format">{words.exportFormat}</label>
            <select
              id="export-format"
              value={format}
              onChange={(event) => setFormat(event.target.value as Format)}
            >
              <option value="excel_fr">{words.exportFormatExcel}</option>
              <option value="standard">{words.exportFormatStandard}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="export-values">{words.exportValues}</label>
            <select
              id="export-values"
              value={values}
              onChange={(event) => setValues(event.target.value as 'codes' | 'labels')}
            >
              <option value="codes">{words.exportCodes}</option>
              <option value="labels">{words.exportLabels}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="export-language">{words.exportLanguage}</label>
            <select
              id="export-language"
              value={effectiveLanguage}
              onChange={(event) => setLabelLanguage(event.target.value)}
            >
              {languages.map((entry) => (
                <option key={entry} value={entry}>
                  {entry}
                </option>
              ))}
            </select>
          </div>
          <div className="export-buttons">
            <button
              type="button"
              className="primary"
              disabled={busy}
              onClick={() => void run('interviews')}
            >
              {words.exportInterviews}
            </button>
            <button type="button" disabled={busy} onClick={() => void run('codebook')}>
              {words.exportCodebook}
            </button>
            <button type="button" disabled={busy} onClick={() => void run('screen-outs')}>
              {words.exportScreenOuts}
            </button>
          </div>
        </>
      )}
      {progress !== undefined && (
        <div role="status" data-testid="export-progress">
          <progress
            max={Math.max(progress.total, 1)}
            value={progress.done}
            aria-label={progressText}
          />
          <p>{progressText}</p>
        </div>
      )}
      {outcome !== undefined && (
        <p
          className={outcome.ok ? '' : 'field-error'}
          role={outcome.ok ? 'status' : 'alert'}
          data-testid="export-outcome"
        >
          {outcome.text}
        </p>
      )}
      <button type="button" onClick={onBack}>
        {text.backHome}
      </button>
    </main>
  );
}
