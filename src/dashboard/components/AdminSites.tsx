// The admin's "Sites" screen: every site of the server with a link to its page, and creating
// (id, name, time zone, helpline; the rest is set on the site's page), renaming, closing and
// reopening, and deleting a site (after typing its id: it erases every record it holds).
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { SiteInfo } from '../../core/protocol/index.ts';
import { DEFAULT_SITE_SETTINGS } from '../../core/protocol/index.ts';
import type { NewSiteDraft, NewSiteProblems } from '../admin-forms.ts';
import { newSiteRequest } from '../admin-forms.ts';
import type { DashboardApi } from '../api.ts';
import { dateTime } from '../format.ts';
import { hrefOf } from '../navigation.ts';
import { COMMON_TIME_ZONES } from '../site-settings.ts';
import { fill, useText } from '../text.ts';

type Editing =
  | { readonly kind: 'rename'; readonly site: string }
  | { readonly kind: 'delete'; readonly site: string };

const EMPTY_SITE: NewSiteDraft = {
  id: '',
  name: '',
  timeZone: DEFAULT_SITE_SETTINGS.timeZone,
  helpline: DEFAULT_SITE_SETTINGS.helpline,
};

/** Every IANA zone the browser knows, the French waves' zones first. */
function timeZones(): string[] {
  let known: string[];
  try {
    known = Intl.supportedValuesOf('timeZone');
  } catch {
    known = [];
  }
  return [...COMMON_TIME_ZONES, ...known.filter((zone) => !COMMON_TIME_ZONES.includes(zone))];
}

export function AdminSites({
  api,
  sites,
  language,
  explain,
  onChanged,
}: {
  readonly api: DashboardApi;
  readonly sites: readonly SiteInfo[];
  readonly language: string;
  readonly explain: (failure: unknown) => string;
  /** A site was created, renamed, closed, reopened or deleted: read the list again. */
  readonly onChanged: () => void;
}) {
  const text = useText();
  const [editing, setEditing] = useState<Editing>();
  const [newName, setNewName] = useState('');
  const [typedId, setTypedId] = useState('');
  const [notice, setNotice] = useState<{ readonly text: string; readonly site?: string }>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const act = async (work: () => Promise<void>, done: () => void) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await work();
      done();
      setEditing(undefined);
      onChanged();
    } catch (failure) {
      setError(explain(failure));
    } finally {
      setBusy(false);
    }
  };

  const startRename = (site: SiteInfo) => {
    setNewName(site.name);
    setEditing({ kind: 'rename', site: site.id });
  };

  const rename = (event: FormEvent, site: string) => {
    event.preventDefault();
    const name = newName.trim();
    if (name === '') return;
    // The settings are replaced as a whole: the server's current ones, with the new name.
    void act(
      async () => {
        const detail = await api.site(site);
        await api.setSiteSettings(site, { ...detail.settings, name });
      },
      () => setNotice({ text: fill(text.siteRenamed, { site, name }) }),
    );
  };

  const setClosed = (site: string, closed: boolean) =>
    void act(
      () => api.setSiteClosed(site, closed),
      () => undefined,
    );

  const remove = (event: FormEvent, site: string) => {
    event.preventDefault();
    if (typedId !== site) return;
    void act(
      () => api.deleteSite(site, typedId),
      () => setNotice({ text: fill(text.siteDeleted, { site }) }),
    );
  };

  return (
    <main className="screen dashboard">
      <h1>{text.sitesTitle}</h1>
      <p>{text.adminSitesIntro}</p>
      {notice !== undefined && (
        <p className="notice" role="status">
          {notice.text}{' '}
          {notice.site !== undefined && (
            <a href={hrefOf({ page: 'sites', site: notice.site })}>{text.siteOpenPage}</a>
          )}
        </p>
      )}
      {error !== undefined && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {sites.length === 0 ? (
        <p>{text.noSites}</p>
      ) : (
        <div className="table-scroll" tabIndex={0}>
          <table className="data" data-table="sites">
            <caption>{text.sitesCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{text.siteName}</th>
                <th scope="col">{text.siteTimeZone}</th>
                <th scope="col">{text.sitePlan}</th>
                <th scope="col">{text.state}</th>
                <th scope="col">{text.actions}</th>
              </tr>
            </thead>
            <tbody>
              {sites.map((site) => (
                <SiteRows
                  key={site.id}
                  site={site}
                  editing={editing?.site === site.id ? editing.kind : undefined}
                  busy={busy}
                  language={language}
                  newName={newName}
                  typedId={typedId}
                  onNewName={setNewName}
                  onTypedId={setTypedId}
                  onRename={() => startRename(site)}
                  onDelete={() => {
                    setTypedId('');
                    setEditing({ kind: 'delete', site: site.id });
                  }}
                  onCancel={() => setEditing(undefined)}
                  onSubmitRename={(event) => rename(event, site.id)}
                  onSubmitDelete={(event) => remove(event, site.id)}
                  onClosed={(closed) => setClosed(site.id, closed)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="small">{text.siteCloseHelp}</p>
      <NewSiteForm
        api={api}
        explain={explain}
        onCreated={(id, name) => {
          setError(undefined);
          setNotice({ text: fill(text.siteCreated, { name }), site: id });
          onChanged();
        }}
      />
    </main>
  );
}

export function SiteRows({
  site,
  editing,
  busy,
  language,
  newName,
  typedId,
  onNewName,
  onTypedId,
  onRename,
  onDelete,
  onCancel,
  onSubmitRename,
  onSubmitDelete,
  onClosed,
}: {
  readonly site: SiteInfo;
  readonly editing: Editing['kind'] | undefined;
  readonly busy: boolean;
  readonly language: string;
  readonly newName: string;
  readonly typedId: string;
  readonly onNewName: (name: string) => void;
  readonly onTypedId: (id: string) => void;
  readonly onRename: () => void;
  readonly onDelete: () => void;
  readonly onCancel: () => void;
  readonly onSubmitRename: (event: FormEvent) => void;
  readonly onSubmitDelete: (event: FormEvent) => void;
  readonly onClosed: (closed: boolean) => void;
}) {
  const text = useText();
  const closed = site.closedAt !== null;
  return (
    <>
      <tr data-site={site.id}>
        <th scope="row">
          <a className="site-link" href={hrefOf({ page: 'sites', site: site.id })}>
            <strong>{site.name}</strong> <span className="small">({site.id})</span>
          </a>
        </th>
        <td>{site.timeZone}</td>
        <td>{site.hasPlan ? text.yes : text.no}</td>
        <td>
          {site.closedAt === null ? (
            text.siteOpen
          ) : (
            <span className="tag">
              {fill(text.siteClosedAt, { time: dateTime(site.closedAt, language) })}
            </span>
          )}
        </td>
        <td className="actions">
          <button
            type="button"
            disabled={busy}
            aria-label={fill(text.siteRenameLabel, { site: site.id })}
            onClick={onRename}
          >
            {text.siteRename}
          </button>
          <button
            type="button"
            disabled={busy}
            aria-label={fill(closed ? text.siteReopenLabel : text.siteCloseLabel, {
              site: site.id,
            })}
            onClick={() => onClosed(!closed)}
          >
            {closed ? text.siteReopen : text.siteClose}
          </button>
          <button
            type="button"
            className="danger"
            disabled={busy}
            aria-label={fill(text.siteDeleteLabel, { site: site.id })}
            onClick={onDelete}
          >
            {text.siteDelete}
          </button>
        </td>
      </tr>
      {editing === 'rename' && (
        <tr>
          <td colSpan={5}>
            <form className="inline-form" onSubmit={onSubmitRename}>
              <div className="field">
                <label htmlFor={`rename-${site.id}`}>
                  {fill(text.siteNewName, { site: site.id })}
                </label>
                <input
                  id={`rename-${site.id}`}
                  value={newName}
                  maxLength={100}
                  onChange={(event) => onNewName(event.target.value)}
                />
              </div>
              <button type="submit" className="primary" disabled={busy || newName.trim() === ''}>
                {text.save}
              </button>
              <button type="button" onClick={onCancel}>
                {text.cancel}
              </button>
            </form>
          </td>
        </tr>
      )}
      {editing === 'delete' && (
        <tr>
          <td colSpan={5}>
            <form className="inline-form danger-zone" onSubmit={onSubmitDelete}>
              <p className="field-error" id={`delete-${site.id}-warning`}>
                {text.siteDeleteWarning}
              </p>
              <div className="field">
                <label htmlFor={`delete-${site.id}`}>
                  {fill(text.siteDeleteConfirm, { site: site.id })}
                </label>
                <input
                  id={`delete-${site.id}`}
                  value={typedId}
                  autoComplete="off"
                  spellCheck={false}
                  aria-describedby={`delete-${site.id}-warning`}
                  onChange={(event) => onTypedId(event.target.value)}
                />
              </div>
              <button type="submit" className="danger" disabled={busy || typedId !== site.id}>
                {text.siteDeleteSubmit}
              </button>
              <button type="button" onClick={onCancel}>
                {text.cancel}
              </button>
            </form>
          </td>
        </tr>
      )}
    </>
  );
}

/** Creating a site: what a tablet needs from the first day; the rest on the site's page. */
export function NewSiteForm({
  api,
  explain,
  onCreated,
}: {
  readonly api: DashboardApi;
  readonly explain: (failure: unknown) => string;
  readonly onCreated: (id: string, name: string) => void;
}) {
  const text = useText();
  const [draft, setDraft] = useState<NewSiteDraft>(EMPTY_SITE);
  const [problems, setProblems] = useState<NewSiteProblems>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [zones] = useState(timeZones);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = newSiteRequest(draft, text);
    setProblems(checked.ok ? {} : checked.problems);
    if (!checked.ok) return;
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.createSite(checked.request);
      setDraft(EMPTY_SITE);
      onCreated(created.id, created.settings.name);
    } catch (failure) {
      setError(explain(failure));
    } finally {
      setBusy(false);
    }
  };

  const field = (
    key: keyof NewSiteDraft,
    label: string,
    hint: string | undefined,
    extra: { list?: string; inputMode?: 'tel'; autoComplete?: string } = {},
  ) => {
    const id = `new-site-${key}`;
    const problem = problems[key];
    const described = [
      hint === undefined ? '' : `${id}-hint`,
      problem === undefined ? '' : `${id}-error`,
    ]
      .filter((part) => part !== '')
      .join(' ');
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          name={key}
          value={draft[key]}
          onChange={(event) => setDraft({ ...draft, [key]: event.target.value })}
          aria-invalid={problem !== undefined}
          aria-describedby={described === '' ? undefined : described}
          autoComplete={extra.autoComplete ?? 'off'}
          {...(extra.list === undefined ? {} : { list: extra.list })}
          {...(extra.inputMode === undefined ? {} : { inputMode: extra.inputMode })}
        />
        {hint !== undefined && (
          <span id={`${id}-hint`} className="small">
            {hint}
          </span>
        )}
        {problem !== undefined && (
          <span id={`${id}-error`} className="field-error">
            {problem}
          </span>
        )}
      </div>
    );
  };

  return (
    <section aria-labelledby="new-site-title" className="dashboard-section">
      <h2 id="new-site-title">{text.siteCreateTitle}</h2>
      <form
        className="narrow-form"
        aria-labelledby="new-site-title"
        onSubmit={(event) => void submit(event)}
        noValidate
      >
        {field('id', text.siteId, text.siteIdHint)}
        {field('name', text.siteName, undefined)}
        {field('timeZone', text.siteTimeZone, text.siteTimeZoneHint, { list: 'time-zones' })}
        <datalist id="time-zones">
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        {field('helpline', text.siteHelpline, text.siteHelplineHint, { inputMode: 'tel' })}
        {error !== undefined && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {text.siteCreate}
        </button>
      </form>
    </section>
  );
}
