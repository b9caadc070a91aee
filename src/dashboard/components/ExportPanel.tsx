// Exports for analysts and coordinators: the site's interviews as CSV (or every site's), the
// codebook, the screen-outs, the interviews broken off, the paradata, the quota margins, and the
// scripts that load the interviews labelled in R, Stata and SPSS; in the format of French
// spreadsheets or the standard one, codes or labels, text safe to open in a spreadsheet or as
// typed. The file is streamed by the server; the panel shows how much has arrived. Questionnaires
// are offered by their titles and the labels' languages by their names.
import { useMemo, useState } from 'react';
import { compareVersions } from '../../core/questionnaire/index.ts';
import { saveBlob } from '../../app/components/save-blob.ts';
import type { DashboardApi } from '../api.ts';
import type { ExportChoices, ExportFile, ExportFormat } from '../export-query.ts';
import { exportButtons, exportFileName, exportPath, isScript } from '../export-query.ts';
import { capitalised, nameOfLanguage } from '../format.ts';
import type { Published } from '../published.ts';
import { definitionLanguages, titleOf } from '../published.ts';
import { fill, useText } from '../text.ts';

export interface ExportChoice {
  readonly id: string;
  /** The questionnaire's title in the interface's language (its id when it has none). */
  readonly title: string;
  /** Newest first. */
  readonly versions: readonly string[];
  /** The languages of the newest version's labels. */
  readonly languages: readonly string[];
}

/** The published questionnaires as the export offers them, SMPG first, then by title. */
export function exportChoices(published: Published, language: string): ExportChoice[] {
  const byId = new Map<string, string[]>();
  for (const entry of published.versions) {
    byId.set(entry.questionnaireId, [...(byId.get(entry.questionnaireId) ?? []), entry.version]);
  }
  return [...byId.entries()]
    .map(([id, versions]) => {
      const newest = published.newest.find((entry) => entry.questionnaireId === id);
      return {
        id,
        title: newest === undefined ? id : titleOf(newest, language),
        versions: versions.sort((a, b) => compareVersions(b, a)),
        languages: newest === undefined ? [] : definitionLanguages(newest),
      };
    })
    .sort((a, b) =>
      a.id === 'smpg' ? -1 : b.id === 'smpg' ? 1 : a.title.localeCompare(b.title, language),
    );
}

/**
 * A label language as a choice: its own name, as people who read it write it ("Français",
 * "English"), or its code when the browser has no name for it.
 */
export function labelLanguageName(code: string): string {
  const name = nameOfLanguage(code, code);
  return name === code ? code : capitalised(name, code);
}

function megabytes(bytes: number, language: string): string {
  return (bytes / 1_000_000).toLocaleString(language, { maximumFractionDigits: 1 });
}

export function ExportPanel({
  api,
  published,
  site,
  allSites,
  language,
  explain,
}: {
  readonly api: DashboardApi;
  /** The published questionnaires as the site's page read them (or why it could not). */
  readonly published: Published | { readonly failure: string } | undefined;
  readonly site: string;
  /** Whether the user sees several sites (then "every site" is offered). */
  readonly allSites: boolean;
  readonly language: string;
  readonly explain: (failure: unknown) => string;
}) {
  const text = useText();
  const questionnaires = useMemo(
    () =>
      published === undefined || 'failure' in published
        ? undefined
        : exportChoices(published, language),
    [published, language],
  );
  const [picked, setQuestionnaire] = useState<string>();
  // Until one is picked, the first offered (SMPG's).
  const questionnaire = picked ?? questionnaires?.[0]?.id ?? '';
  const [version, setVersion] = useState('');
  const [format, setFormat] = useState<ExportFormat>(language === 'fr' ? 'excel_fr' : 'standard');
  const [values, setValues] = useState<'codes' | 'labels'>('codes');
  const [labelLanguage, setLabelLanguage] = useState(language);
  // Off unless asked: a text that starts like a formula would run when the file is opened.
  const [rawText, setRawText] = useState(false);
  const [progress, setProgress] = useState<{ what: ExportFile; bytes: number }>();
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<string>();

  const chosen = questionnaires?.find((entry) => entry.id === questionnaire);
  // The languages of labels are those of the newest version of the chosen questionnaire.
  const languages = chosen?.languages ?? [];
  const effectiveLanguage = languages.includes(labelLanguage)
    ? labelLanguage
    : (languages[0] ?? language);

  const download = async (what: ExportFile, scope: string | undefined) => {
    const choices: ExportChoices = {
      questionnaire,
      version,
      format,
      values,
      language: effectiveLanguage,
      formulas: rawText ? 'raw' : 'escaped',
    };
    setError(undefined);
    setDone(undefined);
    setProgress({ what, bytes: 0 });
    try {
      const blob = await api.download(exportPath(what, scope, choices), (bytes) =>
        setProgress({ what, bytes }),
      );
      const date = new Date().toISOString().slice(0, 10);
      const name = exportFileName(what, questionnaire, scope, date);
      saveBlob(blob, name);
      setDone(fill(text.exportDone, { file: name, size: megabytes(blob.size, language) }));
    } catch (failure) {
      setError(explain(failure));
    } finally {
      setProgress(undefined);
    }
  };

  if (published !== undefined && 'failure' in published)
    return (
      <p className="field-error" role="alert">
        {published.failure}
      </p>
    );
  if (questionnaires === undefined) return <p>{text.loading}</p>;
  if (questionnaires.length === 0) return <p>{text.exportNothing}</p>;
  const busy = progress !== undefined;

  return (
    <div className="export-panel">
      <p>{text.exportIntro}</p>
      <div className="export-options">
        <label>
          {text.exportQuestionnaire}
          <select value={questionnaire} onChange={(event) => setQuestionnaire(event.target.value)}>
            {questionnaires.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          {text.exportVersion}
          <select value={version} onChange={(event) => setVersion(event.target.value)}>
            <option value="">{text.exportAllVersions}</option>
            {(chosen?.versions ?? []).map((entry) => (
              <option key={entry} value={entry}>
                {entry}
              </option>
            ))}
          </select>
        </label>
        <label>
          {text.exportFormat}
          <select
            value={format}
            onChange={(event) => setFormat(event.target.value as ExportFormat)}
          >
            <option value="excel_fr">{text.exportFormatExcel}</option>
            <option value="standard">{text.exportFormatStandard}</option>
          </select>
        </label>
        <label>
          {text.exportValues}
          <select
            value={values}
            onChange={(event) => setValues(event.target.value as 'codes' | 'labels')}
          >
            <option value="codes">{text.exportCodes}</option>
            <option value="labels">{text.exportLabels}</option>
          </select>
        </label>
        <label>
          {text.exportLanguage}
          <select
            value={effectiveLanguage}
            onChange={(event) => setLabelLanguage(event.target.value)}
          >
            {languages.map((entry) => (
              <option key={entry} value={entry} lang={entry}>
                {labelLanguageName(entry)}
              </option>
            ))}
          </select>
        </label>
        <label className="export-check">
          <input
            type="checkbox"
            checked={rawText}
            onChange={(event) => setRawText(event.target.checked)}
          />
          {text.exportFormulasRaw}
        </label>
      </div>
      {exportButtons(allSites).map((row) => (
        <div
          key={`${row[0]?.everySite === true ? 'every-site' : 'site'}/${String(isScript(row[0]?.what ?? 'interviews'))}`}
          className="export-buttons"
        >
          {row.map((button) => (
            <button
              key={`${button.what}/${String(button.everySite)}`}
              type="button"
              // The site's interviews are what most people come for.
              className={button.what === 'interviews' && !button.everySite ? 'primary' : undefined}
              // The scripts label the codes export: with labels chosen they would not match it.
              disabled={busy || (isScript(button.what) && values === 'labels')}
              title={isScript(button.what) ? text.exportScriptsHint : undefined}
              onClick={() => void download(button.what, button.everySite ? undefined : site)}
            >
              {text[button.label]}
            </button>
          ))}
        </div>
      ))}
      {progress !== undefined && (
        <p role="status" data-testid="export-progress">
          {fill(text.exportProgress, { size: megabytes(progress.bytes, language) })}
        </p>
      )}
      {done !== undefined && (
        <p role="status" data-testid="export-done">
          {done}
        </p>
      )}
      {error !== undefined && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
