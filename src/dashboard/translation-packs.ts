// A site's translations without React: which version and language the coordinator chose, the
// translation sheet made for them (with the site's latest pack, if any, filled in), a filled sheet
// read back and judged before it is sent, and the site's packs. The sheet's code (the .xlsx reader
// and writer, the conversion) is in dashboard-translation-sheet.ts, loaded on the first use only.
import type { SitePackResponse, SitePackSummary } from '../core/protocol/index.ts';
import type { LabelPack } from '../core/questionnaire/index.ts';
import { LabelPackSchema } from '../core/questionnaire/index.ts';
import type { SheetIssue } from '../core/xlsform/index.ts';
import { countText } from '../app/components/plurals.ts';
import type { DashboardApi } from './api.ts';
import { ApiError } from './api.ts';
import type { DashboardTexts } from './text.ts';
import { fill } from './text.ts';

/** A published version and the language to translate it into. */
export interface SheetChoice {
  readonly questionnaireId: string;
  readonly version: string;
  readonly language: string;
}

/** Why a language code cannot be used: none given, or not a code such as `gcr` or `pt-BR`. */
export function languageCodeProblem(code: string): 'empty' | 'pattern' | undefined {
  if (code.trim() === '') return 'empty';
  // The label packs' own rule (LANGUAGE_PATTERN), so that the server accepts what passes here.
  return LabelPackSchema.shape.language.safeParse(code.trim()).success ? undefined : 'pattern';
}

/** The site's pack for the choice, if it has one (the list gives each pack's latest revision). */
export function packOf(
  packs: readonly SitePackSummary[],
  choice: SheetChoice,
): SitePackSummary | undefined {
  return packs.find(
    (entry) =>
      entry.questionnaireId === choice.questionnaireId &&
      entry.version === choice.version &&
      entry.language === choice.language,
  );
}

/** `traduction-smpg-2026.2-gcr.xlsx` */
export function sheetFileName(choice: SheetChoice): string {
  return `traduction-${choice.questionnaireId}-${choice.version}-${choice.language}.xlsx`.replace(
    /[^A-Za-z0-9._-]/g,
    '_',
  );
}

/** A text of the sheet, for the coordinator: its key, its row in the sheet, where it appears. */
export interface SheetText {
  readonly key: string;
  /** The spreadsheet's row (headers are row 1); undefined when the key's row was removed. */
  readonly row: number | undefined;
  readonly where: string;
}

/** A filled sheet, read and judged. */
export interface SheetCheck {
  /** The pack the sheet gives; undefined when it gives none (no such sheet, no such column). */
  readonly pack: LabelPack | undefined;
  /** What is wrong in the sheet itself (a key changed, no column for the language): blocks. */
  readonly errors: readonly SheetIssue[];
  /** What the respondent hears or reads, not translated: blocks (the language could not be offered). */
  readonly missing: readonly SheetText[];
  /** The interviewer's texts not translated: allowed, shown in French on the tablet. */
  readonly fallback: number;
  /** Left as in French: maybe a name, maybe forgotten. */
  readonly unchanged: readonly SheetText[];
  /** Texts whose translation lost a `{{placeholder}}` that the app fills (a helpline, a contact). */
  readonly placeholders: readonly (SheetText & { readonly lost: readonly string[] })[];
  readonly translated: number;
  /** Texts in the version. */
  readonly total: number;
}

/** Whether the checked sheet can be sent: a pack with nothing blocking. */
export function canSend(check: SheetCheck): check is SheetCheck & { readonly pack: LabelPack } {
  return check.pack !== undefined && check.errors.length === 0 && check.missing.length === 0;
}

/** A filled sheet, read: not an .xlsx, too large for the page, or checked. */
export type SheetReading =
  | { readonly status: 'unreadable'; readonly problem: string }
  | { readonly status: 'too_large' }
  /** The published definition does not load in this dashboard (a newer server's version?). */
  | { readonly status: 'not_loadable' }
  /** The language chosen is the version's own source language (French). */
  | { readonly status: 'source_language' }
  | { readonly status: 'read'; readonly check: SheetCheck };

/** The sheet to download, or why there is none. */
export type SheetDownload =
  | { readonly status: 'not_loadable' }
  | { readonly status: 'source_language' }
  | {
      readonly status: 'ready';
      readonly file: Blob;
      readonly fileName: string;
      readonly total: number;
      /** Texts already in the target column. */
      readonly filled: number;
      /** The site pack's revision filled in, when there is one. */
      readonly revision: number | undefined;
      /** The site's pack could not be read: the sheet starts from the published texts. */
      readonly sitePackUnavailable: boolean;
    };

const sheetCode = () => import('./dashboard-translation-sheet.ts');

/**
 * The translation sheet of the chosen version, its target column filled from the site's latest
 * pack for that language, else a pack published with the version, else the version's own texts.
 */
export async function downloadSheet(
  api: DashboardApi,
  site: string,
  choice: SheetChoice,
): Promise<SheetDownload> {
  const [published, sitePack, code] = await Promise.all([
    api.questionnaire(choice.questionnaireId, choice.version),
    // The site's pack only fills the sheet in: when the server will not give it (a refusal, an
    // older server), the sheet is still made, from the published texts, and says so.
    api
      .sitePack(site, choice.questionnaireId, choice.version, choice.language)
      .catch((failure: unknown) => {
        // A network failure or an ended session (401) is the page's to say, not the sheet's.
        if (failure instanceof ApiError && failure.status !== 0 && failure.status !== 401)
          return 'unavailable' as const;
        throw failure;
      }),
    sheetCode(),
  ]);
  const pack = sitePack === 'unavailable' ? undefined : sitePack;
  const sheet = code.translationSheetFile(published, choice.language, pack?.pack);
  if (sheet.status !== 'ready') return sheet;
  const { fromSitePack, ...ready } = sheet;
  return {
    ...ready,
    fileName: sheetFileName(choice),
    revision: fromSitePack ? pack?.revision : undefined,
    sitePackUnavailable: sitePack === 'unavailable',
  };
}

/** A filled sheet read back for the chosen version and language. */
export async function readFilledSheet(
  choice: SheetChoice,
  file: Blob,
  api: DashboardApi,
): Promise<SheetReading> {
  const [published, code] = await Promise.all([
    api.questionnaire(choice.questionnaireId, choice.version),
    sheetCode(),
  ]);
  return code.readTranslationSheet(file, published, choice.language);
}

/** What became of a pack sent: its revision, and whether the server already had it. */
export interface SentPack {
  readonly response: SitePackResponse;
  /** The pack was identical to the site's latest one: the server kept that revision. */
  readonly same: boolean;
}

/** Sends the checked pack; `before` is the site's pack for it as the list last showed it. */
export async function sendPack(
  api: DashboardApi,
  site: string,
  pack: LabelPack,
  before: SitePackSummary | undefined,
): Promise<SentPack> {
  const response = await api.putSitePack(site, pack);
  return { response, same: before?.revision === response.revision };
}

/** The loader's issues a 422 `invalid_pack` names in `params.issues`, as `path: message` lines. */
export function packIssues(failure: unknown): string[] {
  if (!(failure instanceof ApiError) || failure.code !== 'invalid_pack') return [];
  const issues = failure.params['issues'];
  if (!Array.isArray(issues)) return [];
  return issues.map((issue) =>
    typeof issue === 'string'
      ? issue
      : `${String(issue['path'] ?? '')}: ${String(issue['message'] ?? '')}`,
  );
}

/** "Feuille … téléchargée : 50 textes, dont 12 déjà traduits.", and where the translation came from. */
export function downloadWords(
  sheet: Extract<SheetDownload, { status: 'ready' }>,
  text: DashboardTexts,
  language: string,
): string {
  const words = fill(text.trDownloaded, {
    file: sheet.fileName,
    texts: countText(text.trTexts, sheet.total, language),
    filled: countText(text.trFilled, sheet.filled, language),
  });
  if (sheet.revision !== undefined)
    return `${words} ${fill(text.trFromRevision, { revision: sheet.revision })}`;
  return sheet.sitePackUnavailable ? `${words} ${text.trSitePackUnavailable}` : words;
}

/** "Révision 4 enregistrée (50 textes traduits) : …", or that nothing changed. */
export function sentWords(sent: SentPack, text: DashboardTexts, language: string): string {
  return fill(sent.same ? text.trSame : text.trSent, {
    revision: sent.response.revision,
    given: countText(text.trTranslated, sent.response.coverage.given, language),
  });
}
