// Finds the questionnaire files to ship with the app and checks them with the core loader; used
// by the Vite build (vite.config.ts) so that a broken definition can never reach a tablet.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssue, loadQuestionnaire } from '../src/core/questionnaire/index.ts';

/** One entry of `questionnaires/index.json`, the catalogue the app reads on start. */
export interface CatalogueEntry {
  id: string;
  version: string;
  /** Path relative to the app's base, e.g. `questionnaires/smpg/2026.1.json`. */
  file: string;
  labelPacks: string[];
}

export interface ShippedFile {
  path: string;
  content: string;
}

const DEFINITION = /^(\d+(?:\.\d+)*)\.json$/;

/** Reads every definition under `root`, fails with every issue if one does not load. */
export function questionnaireFiles(root: string): {
  catalogue: CatalogueEntry[];
  files: ShippedFile[];
} {
  const catalogue: CatalogueEntry[] = [];
  const files: ShippedFile[] = [];
  const problems: string[] = [];
  for (const id of readdirSync(root).sort()) {
    const dir = join(root, id);
    if (!statSync(dir).isDirectory()) continue;
    const names = readdirSync(dir).filter((name) => name.endsWith('.json'));
    for (const name of names.sort()) {
      const version = DEFINITION.exec(name)?.[1];
      if (version === undefined) continue;
      const content = readFileSync(join(dir, name), 'utf8');
      const packNames = names.filter((other) => other.startsWith(`${version}.labels.`));
      const packs = packNames.map((pack) => ({
        source: pack,
        content: readFileSync(join(dir, pack), 'utf8'),
      }));
      const result = loadQuestionnaire(JSON.parse(content) as unknown, {
        labelPacks: packs.map((pack) => ({
          source: pack.source,
          pack: JSON.parse(pack.content) as unknown,
        })),
      });
      if (result.status === 'failure') {
        problems.push(...result.issues.map((issue) => `${id}/${name}: ${formatIssue(issue)}`));
        continue;
      }
      const file = `questionnaires/${id}/${name}`;
      catalogue.push({
        id,
        version,
        file,
        labelPacks: packNames.map((pack) => `questionnaires/${id}/${pack}`),
      });
      files.push({ path: file, content });
      for (const pack of packs)
        files.push({ path: `questionnaires/${id}/${pack.source}`, content: pack.content });
    }
  }
  if (problems.length > 0) throw new Error(`questionnaires do not load:\n${problems.join('\n')}`);
  return { catalogue, files };
}
