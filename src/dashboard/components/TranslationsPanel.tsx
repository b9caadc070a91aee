// "Traductions": a coordinator (or an admin) gives the site's tablets a language of their own. Pick
// a published version and a language code, download its translation sheet (made in this browser,
// the site's latest translation filled in), import it filled, read what is missing or doubtful,
// send it as the site's label pack; the site's packs are listed below. The logic is in
// translation-packs.ts; the sheet's code loads on the first download or import only.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { saveBlob } from '../../app/components/save-blob.ts';
import type { SitePackSummary } from '../../core/protocol/index.ts';
import { compareVersions } from '../../core/questionnaire/index.ts';
import { refusalWords } from '../api.ts';
import type { DashboardApi } from '../api.ts';
import { titleOf } from '../published.ts';
import { languageName } from '../site-settings.ts';
import { fill, useText } from '../text.ts';
import type { SentPack, SheetCheck, SheetChoice, SheetReading } from '../translation-packs.ts';
import {
  canSend,
  downloadSheet,
  downloadWords,
  languageCodeProblem,
  packIssues,
  packOf,
  readFilledSheet,
  sendPack,
  sentWords,
} from '../translation-packs.ts';
import { FilePicker } from './FilePicker.tsx';
import { SheetReport } from './SheetReport.tsx';
import { SitePacksTable } from './SitePacksTable.tsx';
import type { PublishedState } from './usePublished.ts';

type Work =
  | { readonly kind: 'idle' }
  | { readonly kind: 'working' }
  | { readonly kind: 'done'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string };

type Sending =
  | { readonly kind: 'idle' }
  | { readonly kind: 'working' }
  | { readonly kind: 'sent'; readonly sent: SentPack }
  | {
      readonly kind: 'refused';
      readonly message: string;
      /** The loader's issues of a 422 `invalid_pack`: `path: message`. */
      readonly issues: readonly string[];
    };

export function TranslationsPanel({
  api,
  site,
  published,
  language,
  explain,
}: {
  readonly api: DashboardApi;
  readonly site: string;
  readonly published: PublishedState;
  readonly language: string;
  readonly explain: (failure: unknown) => string;
}) {
  const text = useText();
  const id = useId();
  const read = published === undefined || 'failure' in published ? undefined : published;
  // Every published version, each questionnaire's newest first (SMPG's first).
  const versions = useMemo(() => {
    if (read === undefined) return [];
    const order = read.newest.map((entry) => entry.questionnaireId);
    return [...read.versions].sort(
      (a, b) =>
        order.indexOf(a.questionnaireId) - order.indexOf(b.questionnaireId) ||
        a.questionnaireId.localeCompare(b.questionnaireId) ||
        compareVersions(b.version, a.version),
    );
  }, [read]);
  const titles = useMemo(
    () =>
      new Map(
        (read?.newest ?? []).map((entry) => [entry.questionnaireId, titleOf(entry, language)]),
      ),
    [read, language],
  );

  const [versionKey, setVersionKey] = useState<string>();
  const [code, setCode] = useState('');
  const [codeChecked, setCodeChecked] = useState(false);
  const [download, setDownload] = useState<Work>({ kind: 'idle' });
  const [fileName, setFileName] = useState<string>();
  const [reading, setReading] = useState<SheetReading | 'reading'>();
  const [sending, setSending] = useState<Sending>({ kind: 'idle' });
  const [packs, setPacks] = useState<SitePackSummary[] | { readonly failure: string }>();
  const [packLoads, setPackLoads] = useState(0);
  // The latest file chosen: a slow read of an earlier file must not replace it.
  const latest = useRef<File>(undefined);

  useEffect(() => {
    let cancelled = false;
    api.sitePacks(site).then(
      (list) => {
        if (!cancelled) setPacks(list);
      },
      (failure: unknown) => {
        if (!cancelled) setPacks({ failure: explain(failure) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, site, explain, packLoads]);

  const version =
    versions.find((entry) => `${entry.questionnaireId} ${entry.version}` === versionKey) ??
    versions[0];
  const problem = languageCodeProblem(code);
  const choice: SheetChoice | undefined =
    version === undefined || problem !== undefined
      ? undefined
      : {
          questionnaireId: version.questionnaireId,
          version: version.version,
          language: code.trim(),
        };

  /** Another version or language: what was read or sent belonged to the former one. */
  const changed = () => {
    latest.current = undefined;
    setDownload({ kind: 'idle' });
    setFileName(undefined);
    setReading(undefined);
    setSending({ kind: 'idle' });
  };

  /** Why a choice cannot be used, as a message for the code's field; none when it can. */
  const codeError =
    !codeChecked || problem === undefined
      ? undefined
      : problem === 'empty'
        ? text.trLanguageEmpty
        : fill(text.trLanguagePattern, { code: code.trim() });

  const sourceLanguage = (chosen: SheetChoice) =>
    fill(text.trSourceLanguage, { language: languageName(chosen.language, language) });

  const makeSheet = async () => {
    setCodeChecked(true);
    if (choice === undefined) return;
    setDownload({ kind: 'working' });
    try {
      const sheet = await downloadSheet(api, site, choice);
      if (sheet.status === 'not_loadable')
        return setDownload({ kind: 'failed', message: text.trNotLoadable });
      if (sheet.status === 'source_language')
        return setDownload({ kind: 'failed', message: sourceLanguage(choice) });
      saveBlob(sheet.file, sheet.fileName);
      setDownload({ kind: 'done', message: downloadWords(sheet, text, language) });
    } catch (failure) {
      setDownload({ kind: 'failed', message: explain(failure) });
    }
  };

  const choose = async (file: File | undefined) => {
    latest.current = file;
    setFileName(file?.name);
    setSending({ kind: 'idle' });
    setCodeChecked(true);
    if (file === undefined || choice === undefined) return setReading(undefined);
    setReading('reading');
    let result: SheetReading;
    try {
      result = await readFilledSheet(choice, file, api);
    } catch (failure) {
      // The definition could not be fetched, or the reader's chunk not loaded.
      result = { status: 'unreadable', problem: explain(failure) };
    }
    if (latest.current === file) setReading(result);
  };

  const listed = packs === undefined || 'failure' in packs ? [] : packs;

  const send = async (check: SheetCheck) => {
    if (!canSend(check)) return;
    setSending({ kind: 'working' });
    try {
      const sent = await sendPack(
        api,
        site,
        check.pack,
        packOf(listed, {
          questionnaireId: check.pack.questionnaire,
          version: check.pack.version,
          language: check.pack.language,
        }),
      );
      setSending({ kind: 'sent', sent });
      setPackLoads((n) => n + 1);
    } catch (failure) {
      const issues = packIssues(failure);
      setSending({
        kind: 'refused',
        message:
          issues.length > 0 ? text.trRefused : refusalWords(failure, text.trRefused, explain),
        issues,
      });
    }
  };

  const result = reading === undefined || reading === 'reading' ? undefined : reading;
  const check = result?.status === 'read' ? result.check : undefined;

  return (
    <div className="translations-panel" data-panel="translations">
      <p>{text.trIntro}</p>
      <h3>{text.trSheetTitle}</h3>
      {published !== undefined && 'failure' in published ? (
        <p className="field-error" role="alert">
          {published.failure}
        </p>
      ) : published === undefined ? (
        <p>{text.loading}</p>
      ) : versions.length === 0 ? (
        <p>{text.trNoVersion}</p>
      ) : (
        <>
          <div className="translation-choice">
            <div className="field">
              <label htmlFor={`${id}-version`}>{text.trVersion}</label>
              <select
                id={`${id}-version`}
                value={version === undefined ? '' : `${version.questionnaireId} ${version.version}`}
                onChange={(event) => {
                  setVersionKey(event.target.value);
                  changed();
                }}
              >
                {versions.map((entry) => (
                  <option
                    key={`${entry.questionnaireId} ${entry.version}`}
                    value={`${entry.questionnaireId} ${entry.version}`}
                  >
                    {`${titles.get(entry.questionnaireId) ?? entry.questionnaireId} – ${entry.version}`}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-language`}>{text.trLanguage}</label>
              <input
                id={`${id}-language`}
                type="text"
                autoComplete="off"
                spellCheck={false}
                maxLength={40}
                value={code}
                onChange={(event) => {
                  setCode(event.target.value);
                  setCodeChecked(false);
                  changed();
                }}
                aria-invalid={codeError === undefined ? undefined : true}
                aria-describedby={`${id}-language-help${codeError === undefined ? '' : ` ${id}-language-error`}`}
              />
              <p className="small" id={`${id}-language-help`}>
                {text.trLanguageHelp}
              </p>
              {codeError !== undefined && (
                <p className="field-error" id={`${id}-language-error`} role="alert">
                  {codeError}
                </p>
              )}
            </div>
          </div>
          <p>
            <button
              type="button"
              disabled={download.kind === 'working'}
              onClick={() => void makeSheet()}
            >
              {download.kind === 'working' ? text.trPreparing : text.trDownload}
            </button>
          </p>
          {download.kind === 'done' && (
            <p className="notice" role="status">
              {download.message}
            </p>
          )}
          {download.kind === 'failed' && (
            <p className="field-error" role="alert">
              {download.message}
            </p>
          )}
          <FilePicker
            id={`${id}-file`}
            label={text.trFile}
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            disabled={reading === 'reading' || sending.kind === 'working'}
            chosen={fileName === undefined ? [] : [fileName]}
            onChange={(event) => {
              void choose(event.target.files?.[0]);
              // The same file chosen again (after a correction) is read again.
              event.target.value = '';
            }}
          />
          {reading === 'reading' && <p role="status">{text.trReading}</p>}
          {result?.status === 'unreadable' && (
            <p className="field-error" role="alert">
              {fill(text.trUnreadable, { problem: result.problem })}
            </p>
          )}
          {result?.status === 'too_large' && (
            <p className="field-error" role="alert">
              {text.trTooLarge}
            </p>
          )}
          {result?.status === 'not_loadable' && (
            <p className="field-error" role="alert">
              {text.trNotLoadable}
            </p>
          )}
          {result?.status === 'source_language' && choice !== undefined && (
            <p className="field-error" role="alert">
              {sourceLanguage(choice)}
            </p>
          )}
          {check !== undefined && <SheetReport check={check} language={language} />}
          {check !== undefined && canSend(check) && sending.kind !== 'sent' && (
            <button
              type="button"
              className="primary"
              disabled={sending.kind === 'working'}
              onClick={() => void send(check)}
            >
              {sending.kind === 'working' ? text.trSending : text.trSend}
            </button>
          )}
          {sending.kind === 'refused' && (
            <div className="field-error" role="alert">
              <p>{sending.message}</p>
              {sending.issues.length > 0 && (
                <ul>
                  {sending.issues.map((issue, index) => (
                    // The loader's own (English) words.
                    <li key={index} lang="en">
                      {issue}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          {sending.kind === 'sent' && (
            <p className="notice" role="status">
              {sentWords(sending.sent, text, language)}
            </p>
          )}
        </>
      )}
      <h3>{text.trListTitle}</h3>
      {packs === undefined ? (
        <p>{text.loading}</p>
      ) : 'failure' in packs ? (
        <p className="field-error" role="alert">
          {packs.failure}
        </p>
      ) : (
        <SitePacksTable packs={packs} titles={titles} language={language} />
      )}
    </div>
  );
}
