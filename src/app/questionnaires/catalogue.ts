// Questionnaire versions on the device: installs the versions shipped with the app (precached by
// the service worker, so this works offline after the first visit) and compiles installed ones.
import type { LoadIssue, Questionnaire } from '../../core/questionnaire/index.ts';
import { compareVersions, loadQuestionnaire } from '../../core/questionnaire/index.ts';
import type { SitePack } from '../../core/protocol/index.ts';
import type { DeviceSettings, InstalledQuestionnaire, InterviewStore } from '../storage/index.ts';

interface CatalogueEntry {
  readonly id: string;
  readonly version: string;
  readonly file: string;
  readonly labelPacks: readonly string[];
}

export { compareVersions };

/** Site packs as the loader takes label packs, after the version's own (they may reword them). */
export function sitePackSources(
  sitePacks: readonly SitePack[] | undefined,
): { source: string; pack: unknown }[] {
  return (sitePacks ?? []).map(({ language, revision, pack }) => ({
    source: `site pack ${language} r${revision}`,
    pack,
  }));
}

/** Every pack an installed version loads with: its own, then its site's. */
export function installedPacks(
  installed: Pick<InstalledQuestionnaire, 'labelPacks' | 'sitePacks'>,
): { source: string; pack: unknown }[] {
  return [...installed.labelPacks, ...sitePackSources(installed.sitePacks)];
}

/**
 * What a new interview of `installed` notes of its site's packs: the revision of each, by
 * language (its record names those of the languages it is asked in).
 */
export function sitePackRevisions(installed: Pick<InstalledQuestionnaire, 'sitePacks'>): {
  labelPacks?: Record<string, number>;
} {
  const packs = installed.sitePacks ?? [];
  if (packs.length === 0) return {};
  return { labelPacks: Object.fromEntries(packs.map((p) => [p.language, p.revision])) };
}

/**
 * The languages interviews are offered in, the first the default: the site's, then those its own
 * packs add (each version offers those it has).
 */
export function interviewLanguages(
  settings: Pick<DeviceSettings, 'siteSettings' | 'sitePackLanguages'> | undefined,
): readonly string[] | undefined {
  const site = settings?.siteSettings?.languages;
  const packs = settings?.sitePackLanguages ?? [];
  if (packs.length === 0) return site;
  // A tablet without the site's languages offers every language of the version already.
  if (site === undefined) return undefined;
  return [...site, ...packs.filter((language) => !site.includes(language))];
}

/** The newest installed version of each questionnaire id. */
export function newestVersions(
  installed: readonly InstalledQuestionnaire[],
): InstalledQuestionnaire[] {
  const newest = new Map<string, InstalledQuestionnaire>();
  for (const entry of installed) {
    const current = newest.get(entry.questionnaireId);
    if (current === undefined || compareVersions(entry.version, current.version) > 0) {
      newest.set(entry.questionnaireId, entry);
    }
  }
  return [...newest.values()].sort((a, b) => a.questionnaireId.localeCompare(b.questionnaireId));
}

async function fetchJson(fetcher: typeof fetch, url: string): Promise<unknown> {
  const response = await fetcher(url, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as unknown;
}

/**
 * Installs every version listed in `questionnaires/index.json` that the device does not have yet.
 * Installed versions are never replaced (a published version is immutable) nor removed (drafts
 * stay pinned to theirs). Returns the versions installed now; a network failure installs nothing
 * and is reported, never thrown.
 */
export async function installShippedQuestionnaires(
  store: InterviewStore,
  now: () => string,
  fetcher: typeof fetch = fetch,
  base = '/',
): Promise<{ installed: string[]; error?: string }> {
  try {
    const catalogue = (await fetchJson(
      fetcher,
      `${base}questionnaires/index.json`,
    )) as CatalogueEntry[];
    const installed: string[] = [];
    for (const entry of catalogue) {
      if (await store.getQuestionnaire(entry.id, entry.version)) continue;
      const definition = await fetchJson(fetcher, `${base}${entry.file}`);
      const labelPacks = await Promise.all(
        entry.labelPacks.map(async (file) => ({
          source: file.split('/').pop() ?? file,
          pack: await fetchJson(fetcher, `${base}${file}`),
        })),
      );
      if (loadQuestionnaire(definition, { labelPacks }).status === 'failure') continue;
      await store.putQuestionnaire({
        questionnaireId: entry.id,
        version: entry.version,
        definition,
        labelPacks,
        installedAt: now(),
      });
      installed.push(`${entry.id}@${entry.version}`);
    }
    return { installed };
  } catch (error) {
    return { installed: [], error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Compiles installed versions once each; one instance lives for the app's lifetime. Given the
 * build of the app (`build`, which changes with its code), it also keeps each compiled version in
 * the device's database, so that the next start reads it back instead of checking and compiling
 * the definition again (the longest step of resuming an interview).
 */
export class QuestionnaireCache {
  private readonly compiled = new Map<string, Questionnaire | readonly LoadIssue[]>();

  constructor(
    private readonly store: InterviewStore,
    private readonly build?: string,
  ) {}

  /**
   * Forgets the compiled version (its site packs changed): the next `get` compiles it again. The
   * kept copy is dropped by the store when the version is put again.
   */
  forget(id: string, version: string): void {
    this.compiled.delete(`${id}@${version}`);
  }

  /** The compiled questionnaire, or the issues that stop it from loading, or undefined if absent. */
  async get(
    id: string,
    version: string,
  ): Promise<Questionnaire | readonly LoadIssue[] | undefined> {
    const key = `${id}@${version}`;
    const known = this.compiled.get(key);
    if (known !== undefined) return known;
    const build = this.build;
    if (build !== undefined) {
      // A kept copy that cannot be read is compiled again, like a missing one.
      const kept = await this.store.getCompiled(id, version).catch(() => undefined);
      if (kept?.build === build) {
        this.compiled.set(key, kept.questionnaire);
        return kept.questionnaire;
      }
    }
    const installed = await this.store.getQuestionnaire(id, version);
    if (installed === undefined) return undefined;
    const result = loadQuestionnaire(installed.definition, {
      labelPacks: installedPacks(installed),
    });
    const value = result.status === 'failure' ? result.issues : result.questionnaire;
    this.compiled.set(key, value);
    if (build !== undefined && result.status !== 'failure') {
      // Kept in the background; if it fails, the next start compiles again.
      const compiled = { questionnaireId: id, version, build, questionnaire: result.questionnaire };
      void this.store.putCompiled(compiled).catch(() => undefined);
    }
    return value;
  }
}
