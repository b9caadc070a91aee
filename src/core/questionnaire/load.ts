// Loads a definition from untrusted JSON: shape (zod), label packs, then every cross-reference and
// expression is checked, and the result is compiled for the engine. Never throws on bad input.
// The checks are in checks.ts and expression-checks.ts, the graph compiler in graph.ts.
import { conditionIdChecks, declareNames, structuralChecks } from './checks.ts';
import { Checker } from './expression-checks.ts';
import { draftGraph, linkGraph } from './graph.ts';
import type { LoadIssue } from './issues.ts';
import { schemaIssues } from './issues.ts';
import type { Questionnaire } from './model.ts';
import type { Definition, LabelPack } from './schema.ts';
import { DefinitionSchema, LabelPackSchema } from './schema.ts';
import { mergeLabelPacks } from './texts.ts';

export type LoadResult =
  | {
      readonly status: 'success';
      readonly definition: Definition;
      readonly questionnaire: Questionnaire;
    }
  | {
      readonly status: 'warning';
      readonly definition: Definition;
      readonly questionnaire: Questionnaire;
      readonly issues: readonly LoadIssue[];
    }
  | { readonly status: 'failure'; readonly issues: readonly LoadIssue[] };

export interface LoadOptions {
  /** Label packs (parsed JSON) with where they came from, for messages (e.g. a file name). */
  readonly labelPacks?: readonly { readonly source: string; readonly pack: unknown }[];
}

function compile(definition: Definition, checker: Checker): Questionnaire | undefined {
  structuralChecks(definition, checker);
  const choicesByItem = declareNames(definition, checker);
  const graph = draftGraph(definition, choicesByItem, checker);
  conditionIdChecks(definition, checker);
  if (checker.issues.some((issue) => issue.severity === 'error')) return undefined;
  return linkGraph(definition, graph, checker);
}

/**
 * Loads a questionnaire definition from parsed JSON, with optional label packs. Never throws on
 * bad input: returns `failure` with every issue found (path, code, message saying how to fix it),
 * `warning` when only warnings were found, `success` otherwise.
 */
export function loadQuestionnaire(input: unknown, options: LoadOptions = {}): LoadResult {
  const parsed = DefinitionSchema.safeParse(input);
  if (!parsed.success) return { status: 'failure', issues: schemaIssues(parsed.error, '') };
  const packs: { pack: LabelPack; source: string }[] = [];
  const issues: LoadIssue[] = [];
  for (const { source, pack } of options.labelPacks ?? []) {
    const parsedPack = LabelPackSchema.safeParse(pack);
    if (parsedPack.success) packs.push({ pack: parsedPack.data, source });
    else issues.push(...schemaIssues(parsedPack.error, source));
  }
  const merged = mergeLabelPacks(parsed.data, packs);
  issues.push(...merged.issues.map((issue) => ({ ...issue, severity: 'error' as const })));
  // A broken pack is reported as such; the definition itself is still checked, without packs,
  // so that one file's problem is not reported again as another's.
  const checked = merged.issues.length > 0 ? parsed.data : merged.definition;
  const checker = new Checker();
  const questionnaire = compile(checked, checker);
  issues.push(...checker.issues);
  if (questionnaire === undefined || issues.some((issue) => issue.severity === 'error')) {
    return { status: 'failure', issues };
  }
  if (issues.length > 0) {
    return { status: 'warning', definition: checked, questionnaire, issues };
  }
  return { status: 'success', definition: checked, questionnaire };
}
