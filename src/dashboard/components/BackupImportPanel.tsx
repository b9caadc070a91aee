// "Importer une sauvegarde de tablette" on a site's page: the coordinator picks the file a tablet
// wrote offline ("Sauvegarde"), sees what its labels say, imports it, and reads the server's
// report (added, already received, refused with why). Only the server can decrypt the file.
import { useId, useState } from 'react';
import type { BackupFile, BackupReport } from '../../core/protocol/index.ts';
import { BackupFileSchema } from '../../core/protocol/index.ts';
import type { DashboardApi } from '../api.ts';
import { refusalWords } from '../api.ts';
import { dateTime } from '../format.ts';
import { fill, useText } from '../text.ts';
import { FilePicker } from './FilePicker.tsx';

type State =
  | { readonly kind: 'empty' }
  | { readonly kind: 'not_a_file' }
  | { readonly kind: 'chosen'; readonly file: BackupFile }
  | { readonly kind: 'working'; readonly file: BackupFile }
  | { readonly kind: 'done'; readonly report: BackupReport }
  | { readonly kind: 'refused'; readonly file: BackupFile; readonly message: string };

export function BackupImportPanel({
  api,
  site,
  language,
  explain,
  onImported,
}: {
  readonly api: DashboardApi;
  readonly site: string;
  readonly language: string;
  readonly explain: (failure: unknown) => string;
  /** The site's figures changed: its page reloads them. */
  readonly onImported: () => void;
}) {
  const text = useText();
  const id = useId();
  const [state, setState] = useState<State>({ kind: 'empty' });
  const [name, setName] = useState<string>();

  const choose = async (chosen: File | undefined) => {
    setName(chosen?.name);
    if (chosen === undefined) return setState({ kind: 'empty' });
    let json: unknown;
    try {
      json = JSON.parse(await chosen.text()) as unknown;
    } catch {
      return setState({ kind: 'not_a_file' });
    }
    // Read here only to show its labels; the server decides what the file really holds.
    const parsed = BackupFileSchema.safeParse(json);
    return setState(
      parsed.success ? { kind: 'chosen', file: parsed.data } : { kind: 'not_a_file' },
    );
  };

  const importFile = async (file: BackupFile) => {
    setState({ kind: 'working', file });
    try {
      const report = await api.importBackup(site, file);
      setState({ kind: 'done', report });
      if (report.added > 0 || report.refused.length > 0) onImported();
    } catch (failure) {
      setState({
        kind: 'refused',
        file,
        message: refusalWords(failure, text.backupRefused, explain),
      });
    }
  };

  const file =
    state.kind === 'chosen' || state.kind === 'working' || state.kind === 'refused'
      ? state.file
      : undefined;
  return (
    <div data-panel="backup-import">
      <p>{text.backupIntro}</p>
      <FilePicker
        id={`${id}-file`}
        label={text.backupFile}
        accept=".json,application/json"
        disabled={state.kind === 'working'}
        chosen={name === undefined ? [] : [name]}
        onChange={(event) => void choose(event.target.files?.[0])}
      />
      {state.kind === 'not_a_file' && (
        <p className="field-error" role="alert">
          {text.backupNotAFile}
        </p>
      )}
      {file !== undefined && (
        <p>
          {fill(text.backupSummary, {
            device: file.deviceId,
            site: file.site,
            count: file.count,
            time: dateTime(file.createdAt, language),
          })}
        </p>
      )}
      {file !== undefined && (
        <button
          type="button"
          className="primary"
          disabled={state.kind === 'working'}
          onClick={() => void importFile(file)}
        >
          {text.backupImport}
        </button>
      )}
      {state.kind === 'working' && <p role="status">{text.backupWorking}</p>}
      {state.kind === 'refused' && (
        <p className="field-error" role="alert">
          {state.message}
        </p>
      )}
      {state.kind === 'done' && (
        <div role="status" data-testid="backup-report">
          <p>
            {fill(text.backupReport, {
              device: state.report.deviceLabel,
              added: state.report.added,
              duplicates: state.report.duplicates,
              refused: state.report.refused.length,
            })}
          </p>
          {state.report.refused.length > 0 && (
            <>
              <p>{text.backupRefusedList}</p>
              <ul className="small">
                {state.report.refused.map((entry, index) => (
                  <li key={`${entry.id}-${index}`}>
                    {/* The server's check of the record, in its own (English) words. */}
                    {entry.id} : <span lang="en">{entry.reason}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </div>
  );
}
