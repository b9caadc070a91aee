// What the site's page reads of the published questionnaires, once: every version (the exports'
// choices) and the newest definition of each, for their titles, their languages and the words of
// their screen-outs, so that no screen shows `smpg`, `fr` or `under_18` where people read.
import type { PublishedQuestionnaire, QuestionnaireVersion } from '../core/protocol/index.ts';
import type { DashboardApi } from './api.ts';
import { newestVersions } from './site-settings.ts';

export interface Published {
  /** Every published version. */
  readonly versions: readonly QuestionnaireVersion[];
  /** The newest version of each questionnaire with its definition, SMPG's first. */
  readonly newest: readonly PublishedQuestionnaire[];
}

export async function readPublished(api: DashboardApi): Promise<Published> {
  const versions = await api.questionnaireIndex();
  const newest = await Promise.all(
    newestVersions(versions).map((entry) =>
      api.questionnaire(entry.questionnaireId, entry.version),
    ),
  );
  return { versions, newest };
}

/** A localised text of a definition in `language`, else French, else its first language. */
export function localized(value: unknown, language: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const texts = value as Readonly<Record<string, unknown>>;
  const chosen = texts[language] ?? texts['fr'] ?? Object.values(texts)[0];
  return typeof chosen === 'string' && chosen !== '' ? chosen : undefined;
}

function field(entry: PublishedQuestionnaire, name: string): unknown {
  const definition = entry.definition;
  return typeof definition === 'object' && definition !== null
    ? (definition as Readonly<Record<string, unknown>>)[name]
    : undefined;
}

/** The questionnaire's title in `language` ("Santé mentale en population générale…"), else its id. */
export function titleOf(entry: PublishedQuestionnaire, language: string): string {
  return localized(field(entry, 'title'), language) ?? entry.questionnaireId;
}

/** The languages a version's definition is written in (its labels' languages), in its order. */
export function definitionLanguages(entry: PublishedQuestionnaire): string[] {
  const languages = field(entry, 'languages');
  return Array.isArray(languages)
    ? languages.filter((language): language is string => typeof language === 'string')
    : [];
}

/**
 * Each screen-out's words in `language` ("Hors cible : moins de 18 ans" for `under_18`), from the
 * newest definitions, the first questionnaire's words first.
 */
export function screenOutLabels(
  newest: readonly PublishedQuestionnaire[],
  language: string,
): ReadonlyMap<string, string> {
  const labels = new Map<string, string>();
  for (const entry of newest) {
    const screenOuts = field(entry, 'screenOuts');
    if (!Array.isArray(screenOuts)) continue;
    for (const screenOut of screenOuts as unknown[]) {
      if (typeof screenOut !== 'object' || screenOut === null) continue;
      const { id, label } = screenOut as { id?: unknown; label?: unknown };
      const words = localized(label, language);
      if (typeof id === 'string' && words !== undefined && !labels.has(id)) labels.set(id, words);
    }
  }
  return labels;
}
