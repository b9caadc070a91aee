// The site's own label packs as the server lists them: each version and language with its latest
// revision, when it was sent and by whom.
import type { SitePackSummary } from '../../core/protocol/index.ts';
import { compareVersions } from '../../core/questionnaire/index.ts';
import { dateTime } from '../format.ts';
import { languageName } from '../site-settings.ts';
import { useText } from '../text.ts';

export function SitePacksTable({
  packs,
  titles,
  language,
}: {
  readonly packs: readonly SitePackSummary[];
  /** Questionnaires' titles by id, in the interface's language (the id where none is known). */
  readonly titles: ReadonlyMap<string, string>;
  readonly language: string;
}) {
  const text = useText();
  if (packs.length === 0) return <p>{text.trListNone}</p>;
  const rows = [...packs].sort(
    (a, b) =>
      a.questionnaireId.localeCompare(b.questionnaireId) ||
      compareVersions(b.version, a.version) ||
      a.language.localeCompare(b.language),
  );
  return (
    <div className="table-scroll" tabIndex={0}>
      <table className="data" data-table="label-packs">
        <caption>{text.trListCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{text.trColumnQuestionnaire}</th>
            <th scope="col">{text.trColumnVersion}</th>
            <th scope="col">{text.trColumnLanguage}</th>
            <th scope="col">{text.trColumnRevision}</th>
            <th scope="col">{text.trColumnDate}</th>
            <th scope="col">{text.trColumnBy}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((pack) => (
            <tr
              key={`${pack.questionnaireId} ${pack.version} ${pack.language}`}
              data-pack={`${pack.questionnaireId} ${pack.version} ${pack.language}`}
            >
              <th scope="row">{titles.get(pack.questionnaireId) ?? pack.questionnaireId}</th>
              <td>{pack.version}</td>
              <td>{languageName(pack.language, language)}</td>
              <td className="number">{pack.revision}</td>
              <td>{dateTime(pack.uploadedAt, language)}</td>
              <td>{pack.uploadedBy}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
