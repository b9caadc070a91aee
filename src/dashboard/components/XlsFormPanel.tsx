// "Publier un questionnaire (XLSForm)": the admin picks a workbook, it is read in the browser and
// converted as `npm run questionnaires:from-xlsform` does; each issue shows its sheet, row and
// column; warnings do not block, errors do; a clean workbook is summed up and published.
import { useId, useRef, useState } from 'react';
import { countText } from '../../app/components/plurals.ts';
import type { Definition } from '../../core/questionnaire/index.ts';
import type { SheetIssue } from '../../core/xlsform/index.ts';
import type { DashboardApi } from '../api.ts';
import { fill, useText } from '../text.ts';
import type { XlsFormReading } from '../xlsform-upload.ts';
import { contentText, sheetIssuePlace, summaryOf } from '../xlsform-upload.ts';
import { FilePicker } from './FilePicker.tsx';

type Publishing =
  | { readonly kind: 'idle' }
  | { readonly kind: 'working' }
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'done'; readonly id: string; readonly version: string };

/** Reads a chosen file: the .xlsx library and the conversion load on the first file only. */
async function readFile(file: File): Promise<XlsFormReading> {
  const { readXlsFormFile } = await import('../dashboard-xlsform-reader.ts');
  return readXlsFormFile(file, file.name);
}

function IssueList({
  issues,
  label,
  kind,
}: {
  readonly issues: readonly SheetIssue[];
  readonly label: string;
  readonly kind: 'error' | 'warning';
}) {
  const text = useText();
  const labelId = useId();
  return (
    <div className={kind === 'error' ? 'field-error' : 'warning-notice'} data-issues={kind}>
      <p id={labelId}>{label}</p>
      <ul aria-labelledby={labelId}>
        {issues.map((issue, index) => (
          <li key={index}>
            {fill(text.xlsIssue, { place: sheetIssuePlace(issue, text), message: '' })}
            {/* The conversion's own (English) words, as the command line prints them. */}
            <span lang="en">{issue.message}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function XlsFormPanel({
  api,
  language,
  explain,
  onPublished,
}: {
  readonly api: DashboardApi;
  readonly language: string;
  readonly explain: (failure: unknown) => string;
  /** A version was published: the list of published versions is read again. */
  readonly onPublished: () => void;
}) {
  const text = useText();
  const id = useId();
  const [name, setName] = useState<string>();
  const [reading, setReading] = useState<XlsFormReading | 'reading'>();
  const [publishing, setPublishing] = useState<Publishing>({ kind: 'idle' });
  // The latest file chosen: a slow read of an earlier file must not replace it.
  const latest = useRef<File>(undefined);

  const choose = async (file: File | undefined) => {
    latest.current = file;
    setName(file?.name);
    setPublishing({ kind: 'idle' });
    if (file === undefined) return setReading(undefined);
    setReading('reading');
    let read: XlsFormReading;
    try {
      read = await readFile(file);
    } catch (failure) {
      // The reader's chunk could not be loaded (the server went away, a new build).
      read = { status: 'unreadable', problem: explain(failure) };
    }
    if (latest.current === file) setReading(read);
  };

  const publish = async (definition: Definition) => {
    setPublishing({ kind: 'working' });
    try {
      await api.publishQuestionnaire(definition);
      setPublishing({ kind: 'done', id: definition.id, version: definition.version });
      onPublished();
    } catch (failure) {
      setPublishing({ kind: 'refused', message: explain(failure) });
    }
  };

  const read = reading === undefined || reading === 'reading' ? undefined : reading;
  const issues = read?.status === 'read' ? read.issues : [];
  const errors = issues.filter((issue) => issue.severity === 'error');
  const warnings = issues.filter((issue) => issue.severity !== 'error');
  const definition = read?.status === 'read' && errors.length === 0 ? read.definition : undefined;
  const summary = definition === undefined ? undefined : summaryOf(definition, language);

  return (
    <div data-panel="xlsform">
      <p>{text.xlsIntro}</p>
      <FilePicker
        id={`${id}-file`}
        label={text.xlsFile}
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        disabled={reading === 'reading' || publishing.kind === 'working'}
        chosen={name === undefined ? [] : [name]}
        onChange={(event) => {
          void choose(event.target.files?.[0]);
          // The same file chosen again (after a correction) is read again.
          event.target.value = '';
        }}
      />
      {reading === 'reading' && <p role="status">{text.xlsReading}</p>}
      {read?.status === 'unreadable' && (
        <p className="field-error" role="alert">
          {fill(text.xlsUnreadable, { problem: read.problem })}
        </p>
      )}
      {read?.status === 'too_large' && (
        <p className="field-error" role="alert">
          {text.xlsTooLarge}
        </p>
      )}
      {errors.length > 0 && (
        <>
          <IssueList
            kind="error"
            issues={errors}
            label={countText(text.xlsErrors, errors.length, language)}
          />
          <p role="alert">{text.xlsFixAndRetry}</p>
        </>
      )}
      {warnings.length > 0 && (
        <IssueList
          kind="warning"
          issues={warnings}
          label={countText(text.xlsWarnings, warnings.length, language)}
        />
      )}
      {definition !== undefined && summary !== undefined && (
        <div data-testid="xlsform-summary">
          <p>{text.xlsReady}</p>
          <dl>
            <dt>{text.xlsSummaryId}</dt>
            <dd>{summary.id}</dd>
            <dt>{text.xlsSummaryVersion}</dt>
            <dd>{summary.version}</dd>
            <dt>{text.xlsSummaryTitle}</dt>
            <dd>{summary.title}</dd>
            <dt>{text.xlsSummaryContent}</dt>
            <dd>{contentText(summary, text, language)}</dd>
            <dt>{text.xlsSummaryLanguages}</dt>
            <dd>{summary.languages.join(', ')}</dd>
          </dl>
          {publishing.kind !== 'done' && (
            <button
              type="button"
              className="primary"
              disabled={publishing.kind === 'working'}
              onClick={() => void publish(definition)}
            >
              {publishing.kind === 'working' ? text.xlsPublishing : text.xlsPublish}
            </button>
          )}
        </div>
      )}
      {publishing.kind === 'refused' && (
        <p className="field-error" role="alert">
          {publishing.message}
        </p>
      )}
      {publishing.kind === 'done' && (
        <p className="notice" role="status">
          {fill(text.xlsPublished, { id: publishing.id, version: publishing.version })}
        </p>
      )}
    </div>
  );
}
