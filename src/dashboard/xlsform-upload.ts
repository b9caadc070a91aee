// The admin's XLSForm upload without React: what reading a workbook gives, each issue's place in
// the dashboard's words, and the summary shown before publishing. The reading itself
// (dashboard-xlsform-reader.ts, with the .xlsx library) is loaded only when a file is chosen.
import { countText } from '../app/components/plurals.ts';
import type { Definition } from '../core/questionnaire/index.ts';
import type { SheetIssue } from '../core/xlsform/index.ts';
import { nameOfLanguage } from './format.ts';
import type { DashboardTexts } from './text.ts';
import { fill } from './text.ts';

/** A chosen file, read: not a workbook at all, or the conversion's issues and definition. */
export type XlsFormReading =
  | { readonly status: 'unreadable'; readonly problem: string }
  /** A sheet too large to unzip in the page (over 512 KB of XML): the command line reads it. */
  | { readonly status: 'too_large' }
  | {
      readonly status: 'read';
      readonly issues: readonly SheetIssue[];
      /** The checked definition, when no issue is an error. */
      readonly definition?: Definition;
    };

/** "Feuille survey, ligne 12, colonne F (relevant)": where an issue is, as the admin looks for it. */
export function sheetIssuePlace(issue: SheetIssue, text: DashboardTexts): string {
  const parts = [fill(text.xlsPlace, { sheet: issue.sheet })];
  if (issue.row !== undefined) parts.push(fill(text.xlsRow, { row: issue.row }));
  if (issue.column !== undefined) {
    parts.push(
      issue.columnLetter === undefined
        ? fill(text.xlsColumnNoLetter, { header: issue.column })
        : fill(text.xlsColumn, { letter: issue.columnLetter, header: issue.column }),
    );
  }
  return parts.join(', ');
}

/** The issue as one line: its place, then what is wrong. */
export function sheetIssueText(issue: SheetIssue, text: DashboardTexts): string {
  return fill(text.xlsIssue, { place: sheetIssuePlace(issue, text), message: issue.message });
}

export interface XlsFormSummary {
  readonly id: string;
  readonly version: string;
  /** The title in the interface's language, else the definition's default language. */
  readonly title: string;
  readonly sections: number;
  readonly items: number;
  /** The languages the texts are written in, by name ("français, anglais"). */
  readonly languages: readonly string[];
}

export function summaryOf(definition: Definition, language: string): XlsFormSummary {
  const title = definition.title;
  return {
    id: definition.id,
    version: definition.version,
    title:
      title[language] ??
      title[definition.defaultLanguage] ??
      Object.values(title)[0] ??
      definition.id,
    sections: definition.sections.length,
    items: definition.sections.reduce((sum, section) => sum + section.items.length, 0),
    languages: definition.languages.map((code) => nameOfLanguage(code, language)),
  };
}

/** "12 sections, 140 éléments (questions, notes et calculs)", its words agreeing with the counts. */
export function contentText(
  summary: XlsFormSummary,
  text: DashboardTexts,
  language: string,
): string {
  return fill(text.xlsContent, {
    sections: countText(text.xlsSections, summary.sections, language),
    items: countText(text.xlsItems, summary.items, language),
  });
}
