// The site's quota plan made from the census files INSEE publishes, as downloaded: the
// coordinator uploads them, picks the communes or IRIS of the zone, sees every table of the plan
// (census count, exact share, target of each cell, and every warning with its file, line and
// column) and saves it (PUT /sites/:site/quota-plan); or uploads a plan made by `quota:plan`.
// src/core/quota reads the files and builds the plan, here as in the command.
import { useId, useState } from 'react';
import type { ChangeEvent } from 'react';
import type { SiteSettings } from '../../core/protocol/index.ts';
import type { QuotaIssue, QuotaPlan } from '../../core/quota/index.ts';
import { cellKey } from '../../core/quota/index.ts';
import type {
  CensusFileInfo,
  CensusIssue,
  CensusPlanPreview,
} from '../../core/quota/census-files.ts';
import { planFromCensusFiles, readCensusFile } from '../../core/quota/census-files.ts';
import { cellLabel } from '../../app/components/QuotaTables.tsx';
import type { DashboardApi } from '../api.ts';
import { refusalWords } from '../api.ts';
import type { TextEncoding } from '../census-upload.ts';
import { chosenZone, decodeBytes, matchingZones, readPlanFile, zonesOf } from '../census-upload.ts';
import { MAX_SAMPLE_SIZE, MAX_TOLERANCE_PERCENT, typedNumber } from '../site-settings.ts';
import type { DashboardTexts } from '../text.ts';
import { fill, useText } from '../text.ts';
import { countText } from '../../app/components/plurals.ts';
import { censusIssueText, quotaIssueText } from '../file-issues.ts';
import { FilePicker } from './FilePicker.tsx';

/** The survey's age bands unless the coordinator sets others. */
export const DEFAULT_BANDS = '18-29,30-44,45-59,60-74,75+';
/** Zones shown as boxes to tick at once; a search narrows a longer list. */
const MAX_ZONES_SHOWN = 300;

interface LoadedFile {
  readonly name: string;
  readonly text: string;
  readonly encoding: TextEncoding;
  readonly info: CensusFileInfo;
}

/** The plan ready to be saved, and where it came from. */
type Ready =
  | { readonly from: 'census'; readonly preview: CensusPlanPreview }
  | { readonly from: 'file'; readonly name: string; readonly plan: QuotaPlan };

type PlanFileProblem =
  | { readonly name: string; readonly problem: 'json' }
  | { readonly name: string; readonly problem: 'invalid'; readonly issues: readonly QuotaIssue[] }
  | { readonly name: string; readonly problem: 'site'; readonly site: string };

function where(issue: CensusIssue, text: DashboardTexts): string {
  return fill(text.censusIssueAt, { file: issue.file, line: issue.line, column: issue.column });
}

/** A file's or a plan's problems, each with its place and in the dashboard's language. */
export function IssueList({
  issues,
  language,
}: {
  readonly issues: readonly CensusIssue[];
  readonly language: string;
}) {
  const text = useText();
  if (issues.length === 0) return null;
  return (
    <ul className="census-issues">
      {issues.map((issue, index) => (
        <li key={index} data-severity={issue.severity}>
          <span className={issue.severity === 'error' ? 'tag tag-flag' : 'tag'}>
            {issue.severity === 'error' ? text.censusError : text.censusWarning}
          </span>{' '}
          <span className="small">{where(issue, text)}</span> : {censusIssueText(issue, language)}
        </li>
      ))}
    </ul>
  );
}

export function CensusPlanPanel({
  api,
  site,
  settings,
  hasPlan,
  questionnaires,
  language,
  explain,
  onSaved,
}: {
  readonly api: DashboardApi;
  readonly site: string;
  /** The site's settings: the sample size and tolerance the plan starts from. */
  readonly settings: SiteSettings;
  /** The site has a plan already: saving replaces it, after a confirmation. */
  readonly hasPlan: boolean;
  /** The published questionnaires (id and title), the one to use first. */
  readonly questionnaires: readonly { readonly id: string; readonly title: string }[];
  readonly language: string;
  readonly explain: (failure: unknown) => string;
  readonly onSaved: () => void;
}) {
  const text = useText();
  const id = useId();
  const [files, setFiles] = useState<readonly LoadedFile[]>([]);
  const [reading, setReading] = useState(false);
  const [search, setSearch] = useState('');
  const [ticked, setTicked] = useState<readonly string[]>([]);
  const [typed, setTyped] = useState('');
  const [bands, setBands] = useState(DEFAULT_BANDS);
  const [size, setSize] = useState(String(settings.sampleSize));
  const [tolerance, setTolerance] = useState(String(Math.round(settings.tolerance * 10_000) / 100));
  const [picked, setQuestionnaire] = useState<string>();
  // The list arrives after the panel: until one is picked, the first published (SMPG's) is used.
  const questionnaire = picked ?? questionnaires[0]?.id ?? 'smpg';
  const [problem, setProblem] = useState<string>();
  const [ready, setReady] = useState<Ready>();
  const [planFile, setPlanFile] = useState<PlanFileProblem>();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const [saved, setSaved] = useState(false);

  /** Any change of the inputs: the plan shown no longer matches them. */
  const stale = () => {
    setReady(undefined);
    setConfirming(false);
    setSaved(false);
    setRefusal(undefined);
    setProblem(undefined);
  };

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = [...(event.target.files ?? [])];
    event.target.value = '';
    if (chosen.length === 0) return;
    stale();
    setReading(true);
    try {
      const loaded = await Promise.all(
        chosen.map(async (file): Promise<LoadedFile> => {
          const { text: content, encoding } = decodeBytes(new Uint8Array(await file.arrayBuffer()));
          return {
            name: file.name,
            text: content,
            encoding,
            info: readCensusFile(file.name, content),
          };
        }),
      );
      // A file given again under the same name replaces the one read before.
      setFiles((current) => [
        ...current.filter((file) => !loaded.some((entry) => entry.name === file.name)),
        ...loaded,
      ]);
    } catch (failure) {
      setProblem(explain(failure));
    } finally {
      setReading(false);
    }
  };

  const uploadPlan = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file === undefined) return;
    stale();
    setPlanFile(undefined);
    const { text: content } = decodeBytes(new Uint8Array(await file.arrayBuffer()));
    const result = readPlanFile(content, site);
    if ('plan' in result) setReady({ from: 'file', name: file.name, plan: result.plan });
    else setPlanFile({ ...result, name: file.name });
  };

  const zones = zonesOf(files.map((file) => file.info));
  const shown = matchingZones(zones, search);
  const zone = chosenZone(ticked, typed);

  const preview = () => {
    stale();
    setPlanFile(undefined);
    const sampleSize = typedNumber(size);
    const percent = typedNumber(tolerance);
    const invalid =
      files.length === 0
        ? text.censusNoFiles
        : sampleSize === undefined ||
            !Number.isInteger(sampleSize) ||
            sampleSize < 1 ||
            sampleSize > MAX_SAMPLE_SIZE
          ? fill(text.settingsSizeInvalid, { max: MAX_SAMPLE_SIZE })
          : percent === undefined || percent < 0 || percent > MAX_TOLERANCE_PERCENT
            ? fill(text.settingsToleranceInvalid, { max: MAX_TOLERANCE_PERCENT })
            : bands.trim() === ''
              ? text.censusBandsEmpty
              : undefined;
    if (invalid !== undefined || sampleSize === undefined || percent === undefined) {
      setProblem(invalid);
      return;
    }
    setReady({
      from: 'census',
      preview: planFromCensusFiles({
        files: files.map((file) => ({ name: file.name, text: file.text })),
        zone,
        bands: bands.trim(),
        size: sampleSize,
        tolerance: Math.round(percent * 100) / 10_000,
        site,
        questionnaire,
      }),
    });
  };

  const plan =
    ready === undefined ? undefined : ready.from === 'file' ? ready.plan : ready.preview.plan;

  const save = async () => {
    if (plan === undefined) return;
    if (hasPlan && !confirming) {
      setConfirming(true);
      return;
    }
    setBusy(true);
    setRefusal(undefined);
    try {
      await api.setQuotaPlan(site, plan);
      setConfirming(false);
      setSaved(true);
      onSaved();
    } catch (failure) {
      setRefusal(refusalWords(failure, text.censusRefused, explain));
    } finally {
      setBusy(false);
    }
  };

  const number = (value: number, digits: number) =>
    value.toLocaleString(language, { maximumFractionDigits: digits });

  return (
    <div className="census-panel">
      <p>{text.censusIntro}</p>
      <FilePicker
        id={`${id}-files`}
        label={text.censusFiles}
        multiple
        accept=".csv,.txt,text/csv,text/plain"
        disabled={reading}
        chosen={files.map((file) => file.name)}
        onChange={(event) => void upload(event)}
      />

      {files.length > 0 && (
        <div className="table-scroll" tabIndex={0}>
          <table className="data" data-table="census-files">
            <caption>{text.censusFilesCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{text.censusFile}</th>
                <th scope="col">{text.censusLayout}</th>
                <th scope="col">{text.censusEncoding}</th>
                <th scope="col">{text.censusZones}</th>
                <th scope="col">{text.censusIssues}</th>
                <th scope="col">{text.actions}</th>
              </tr>
            </thead>
            <tbody>
              {files.map((file) => (
                <tr key={file.name} data-file={file.name}>
                  <th scope="row">{file.name}</th>
                  <td className={file.info.layout === undefined ? 'flagged' : undefined}>
                    {file.info.layout === undefined
                      ? text.censusLayoutUnknown
                      : (text.censusLayouts[file.info.layout] ?? file.info.layout)}
                  </td>
                  <td>{file.encoding}</td>
                  <td className="number">{file.info.zones.length}</td>
                  <td>
                    {file.info.issues.length === 0 ? (
                      '—'
                    ) : (
                      <IssueList issues={file.info.issues} language={language} />
                    )}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="quiet"
                      aria-label={fill(text.censusFileRemoveLabel, { file: file.name })}
                      onClick={() => {
                        stale();
                        setFiles((current) => current.filter((entry) => entry !== file));
                      }}
                    >
                      {text.censusFileRemove}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <fieldset className="census-zone">
        <legend>{text.censusZoneTitle}</legend>
        <p className="small">{text.censusZoneHelp}</p>
        {zones.length > 0 && (
          <>
            <div className="field">
              <label htmlFor={`${id}-search`}>{text.censusZoneSearch}</label>
              <input
                id={`${id}-search`}
                type="search"
                autoComplete="off"
                value={search}
                onChange={(event) => setSearch(event.target.value)}
              />
            </div>
            <ul className="census-zones" data-testid="census-zones">
              {shown.slice(0, MAX_ZONES_SHOWN).map((entry) => (
                <li key={entry.code}>
                  <label className="inline">
                    <input
                      type="checkbox"
                      value={entry.code}
                      checked={ticked.includes(entry.code)}
                      onChange={(event) => {
                        stale();
                        setTicked((current) =>
                          event.target.checked
                            ? [...current, entry.code]
                            : current.filter((code) => code !== entry.code),
                        );
                      }}
                    />
                    {entry.name === '' || entry.name === entry.code
                      ? entry.code
                      : `${entry.name} (${entry.code})`}
                    {entry.commune !== '' && entry.commune !== entry.code && (
                      <span className="small"> · {entry.commune}</span>
                    )}
                  </label>
                </li>
              ))}
            </ul>
            {shown.length > MAX_ZONES_SHOWN && (
              <p className="small">
                {fill(text.censusZoneMore, { count: shown.length - MAX_ZONES_SHOWN })}
              </p>
            )}
          </>
        )}
        <div className="field">
          <label htmlFor={`${id}-codes`}>{text.censusZoneCodes}</label>
          <input
            id={`${id}-codes`}
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(event) => {
              stale();
              setTyped(event.target.value);
            }}
          />
        </div>
        <p className="small" role="status">
          {zone.length === 0
            ? text.censusZoneAll
            : countText(text.censusZoneChosen, zone.length, language, { codes: zone.join(', ') })}
        </p>
      </fieldset>

      <div className="move-fields">
        {questionnaires.length > 1 && (
          <div className="field">
            <label htmlFor={`${id}-questionnaire`}>{text.exportQuestionnaire}</label>
            <select
              id={`${id}-questionnaire`}
              value={questionnaire}
              onChange={(event) => {
                stale();
                setQuestionnaire(event.target.value);
              }}
            >
              {questionnaires.map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.title}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-bands`}>{text.censusBands}</label>
          <input
            id={`${id}-bands`}
            type="text"
            autoComplete="off"
            spellCheck={false}
            value={bands}
            onChange={(event) => {
              stale();
              setBands(event.target.value);
            }}
          />
          <p className="small">{text.censusBandsHelp}</p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-size`}>{text.censusSize}</label>
          <input
            id={`${id}-size`}
            type="text"
            inputMode="numeric"
            value={size}
            onChange={(event) => {
              stale();
              setSize(event.target.value);
            }}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-tolerance`}>{text.censusTolerance}</label>
          <input
            id={`${id}-tolerance`}
            type="text"
            inputMode="decimal"
            value={tolerance}
            onChange={(event) => {
              stale();
              setTolerance(event.target.value);
            }}
          />
        </div>
      </div>
      <button type="button" disabled={reading} onClick={preview}>
        {text.censusPreview}
      </button>

      <FilePicker
        id={`${id}-plan-file`}
        label={text.planFileLabel}
        accept=".json,application/json"
        chosen={
          ready?.from === 'file' ? [ready.name] : planFile === undefined ? [] : [planFile.name]
        }
        onChange={(event) => void uploadPlan(event)}
      />
      {planFile !== undefined && (
        <div className="field-error" role="alert">
          {planFile.problem === 'json' ? (
            <p>{fill(text.planFileJson, { file: planFile.name })}</p>
          ) : planFile.problem === 'site' ? (
            <p>{fill(text.planFileSite, { file: planFile.name, site: planFile.site })}</p>
          ) : (
            <>
              <p>{fill(text.planFileInvalid, { file: planFile.name })}</p>
              <ul>
                {planFile.issues.slice(0, 20).map((issue, index) => (
                  <li key={index}>
                    {issue.path} : {quotaIssueText(issue, language)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}

      {problem !== undefined && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}

      {ready?.from === 'census' && (
        <div className="census-preview" data-testid="census-preview">
          {ready.preview.issues.length > 0 && (
            <>
              <h3>{text.censusIssuesTitle}</h3>
              <IssueList issues={ready.preview.issues} language={language} />
            </>
          )}
          {ready.preview.tables.map((table) => (
            <div key={table.id} className="table-scroll" tabIndex={0}>
              <table className="data" data-table={`census-plan-${table.id}`}>
                <caption>
                  {fill(text.censusTableCaption, {
                    table: table.id,
                    variables: table.variables
                      .map(
                        (variable) =>
                          text.quotaVariables[variable as keyof typeof text.quotaVariables] ??
                          variable,
                      )
                      .join(' × '),
                  })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{text.moveCell}</th>
                    <th scope="col">{text.censusCount}</th>
                    <th scope="col">{text.censusShare}</th>
                    <th scope="col">{text.censusTarget}</th>
                  </tr>
                </thead>
                <tbody>
                  {table.cells.map((cell) => (
                    <tr key={cellKey(cell.key)} data-cell={`${table.id}/${cellKey(cell.key)}`}>
                      <th scope="row">{cell.labels.join(' · ')}</th>
                      <td className="number">{number(cell.census, 1)}</td>
                      <td className="number">{number(cell.share * 100, 2)}</td>
                      <td className="number">{cell.target}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">{text.censusTotal}</th>
                    <td className="number">
                      {number(
                        table.cells.reduce((sum, cell) => sum + cell.census, 0),
                        1,
                      )}
                    </td>
                    <td className="number">
                      {number(
                        table.cells.reduce((sum, cell) => sum + cell.share * 100, 0),
                        2,
                      )}
                    </td>
                    <td className="number">
                      {table.cells.reduce((sum, cell) => sum + cell.target, 0)}
                    </td>
                  </tr>
                </tfoot>
              </table>
            </div>
          ))}
          {ready.preview.plan === undefined && (
            <p className="field-error" role="alert">
              {text.censusHasErrors}
            </p>
          )}
        </div>
      )}

      {ready?.from === 'file' && (
        <div className="census-preview" data-testid="plan-file-preview">
          <p role="status">
            {fill(text.planFileRead, {
              file: ready.name,
              tables: countText(text.planFileTables, ready.plan.tables.length, language),
              size: ready.plan.sampleSize,
              tolerance: Math.round(ready.plan.tolerance * 10_000) / 100,
            })}
          </p>
          {ready.plan.tables.map((table) => (
            <div key={table.id} className="table-scroll" tabIndex={0}>
              <table className="data" data-table={`plan-file-${table.id}`}>
                <caption>
                  {fill(text.censusTableCaption, {
                    table: table.id,
                    variables: table.variables.join(' × '),
                  })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{text.moveCell}</th>
                    <th scope="col">{text.censusTarget}</th>
                  </tr>
                </thead>
                <tbody>
                  {table.cells.map((cell) => (
                    <tr key={cellKey(cell.key)}>
                      <th scope="row">
                        {cellLabel(ready.plan, table.id, cellKey(cell.key), language)}
                      </th>
                      <td className="number">{cell.target}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </div>
      )}

      {plan !== undefined && (
        <div className="census-save">
          {confirming && (
            <p className="notice" role="alert">
              {text.censusReplace}
            </p>
          )}
          <span className="inline">
            <button
              type="button"
              className={confirming ? 'danger' : 'primary'}
              disabled={busy || saved}
              onClick={() => void save()}
            >
              {confirming ? text.censusReplaceConfirm : text.censusSave}
            </button>
            {confirming && (
              <button type="button" onClick={() => setConfirming(false)}>
                {text.cancel}
              </button>
            )}
          </span>
        </div>
      )}
      {refusal !== undefined && (
        <p className="field-error" role="alert">
          {refusal}
        </p>
      )}
      {saved && (
        <p className="notice" role="status">
          {text.censusSaved}
        </p>
      )}
    </div>
  );
}
