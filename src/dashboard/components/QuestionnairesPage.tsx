// The admin's "Questionnaires" page: every version published on the server (as published.ts
// reads them), and publishing a new one from an XLSForm workbook (XlsFormPanel).
import { useState } from 'react';
import { compareVersions } from '../../core/questionnaire/index.ts';
import type { DashboardApi } from '../api.ts';
import { dateTime } from '../format.ts';
import { titleOf } from '../published.ts';
import { useText } from '../text.ts';
import { usePublished } from './usePublished.ts';
import { XlsFormPanel } from './XlsFormPanel.tsx';

export function QuestionnairesPage({
  api,
  language,
  explain,
}: {
  readonly api: DashboardApi;
  readonly language: string;
  readonly explain: (failure: unknown) => string;
}) {
  const text = useText();
  const [loads, setLoads] = useState(0);
  const published = usePublished(api, explain, loads);

  let list;
  if (published === undefined) list = <p role="status">{text.loading}</p>;
  else if ('failure' in published)
    list = (
      <p className="field-error" role="alert">
        {published.failure}
      </p>
    );
  else if (published.versions.length === 0) list = <p>{text.questionnairesNone}</p>;
  else {
    // Each questionnaire's versions together, in the order of its newest (SMPG's first), newest
    // version first.
    const order = published.newest.map((entry) => entry.questionnaireId);
    const rows = [...published.versions].sort(
      (a, b) =>
        order.indexOf(a.questionnaireId) - order.indexOf(b.questionnaireId) ||
        a.questionnaireId.localeCompare(b.questionnaireId) ||
        compareVersions(b.version, a.version),
    );
    // Only the newest definitions are read: a title is shown on its own version's row, since an
    // older version may have had another (demo 1's is not demo 2's).
    const titles = new Map(
      published.newest.map((entry) => [
        `${entry.questionnaireId} ${entry.version}`,
        titleOf(entry, language),
      ]),
    );
    list = (
      <div className="table-scroll" tabIndex={0}>
        <table className="data" data-table="questionnaires">
          <caption>{text.questionnairesCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{text.questionnaireColumn}</th>
              <th scope="col">{text.questionnaireVersion}</th>
              <th scope="col">{text.questionnairePublishedAt}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((entry) => (
              <tr
                key={`${entry.questionnaireId} ${entry.version}`}
                data-questionnaire={entry.questionnaireId}
                data-version={entry.version}
              >
                <th scope="row">
                  <VersionName
                    id={entry.questionnaireId}
                    title={titles.get(`${entry.questionnaireId} ${entry.version}`)}
                  />
                </th>
                <td>{entry.version}</td>
                <td>{dateTime(entry.publishedAt, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <main className="screen dashboard">
      <h1>{text.questionnairesTitle}</h1>
      <p>{text.questionnairesIntro}</p>
      {list}
      <section aria-labelledby="xlsform-title" className="dashboard-section">
        <h2 id="xlsform-title">{text.xlsTitle}</h2>
        <XlsFormPanel
          api={api}
          language={language}
          explain={explain}
          onPublished={() => setLoads((n) => n + 1)}
        />
      </section>
    </main>
  );
}

/** A version's title with its id, or the id alone when its own title was not read. */
function VersionName({ id, title }: { id: string; title: string | undefined }) {
  if (title === undefined) return <>{id}</>;
  return (
    <>
      {title} <span className="small">({id})</span>
    </>
  );
}
