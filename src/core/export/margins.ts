// The margins file beside the weighted export: each quota table's census counts and shares, what
// the sample had and what the weights give, so an analyst can check the weights in one look; and
// the method's note for the codebook.
import type { QuotaPlan, RakedWeights } from '../quota/index.ts';
import type { FormulaMode } from './formulas.ts';
import { neutralised } from './formulas.ts';

/**
 * One row per cell of every table. `cell` is the cell's key as the plan writes it (`1|18-29`),
 * `labels` its categories' labels in the same order (` | ` between them). `census_share` is the
 * share the weights aim at: the census's, or the target's when `basis` is `targets` (and
 * `census` is then empty). Shares have 6 decimals; counts as many as they need, up to 6.
 */
export const MARGINS_HEADER = [
  'site',
  'table',
  'variables',
  'cell',
  'labels',
  'census',
  'census_share',
  'target',
  'sample',
  'sample_share',
  'weighted',
  'weighted_share',
  'basis',
] as const;

/** Between a cell's codes (as `cellKey`) and between its labels. */
const KEY_SEPARATOR = '|';
const LABEL_SEPARATOR = ' | ';

/** A share with 6 decimals. */
function share(value: number): string {
  return value.toFixed(6);
}

/** A count with up to 6 decimals, no trailing zeros (`1234.5`, `900`). */
function count(value: number): string {
  const trimmed = value.toFixed(6).replace(/\.?0+$/, '');
  return trimmed === '-0' ? '0' : trimmed;
}

/**
 * The margins file's rows (without the header), in the plan's order of tables and cells. A
 * category's label is in `language` when the plan has it, else in the plan's first language, else
 * its code. Text cells (the site, the labels) are neutralised as formulas unless `formulas` is `raw`.
 */
export function marginsRows(
  site: string,
  plan: QuotaPlan,
  result: RakedWeights,
  language: string,
  formulas: FormulaMode = 'escaped',
): string[][] {
  const text = (cell: string) => (formulas === 'raw' ? cell : neutralised(cell));
  const variables = new Map(plan.variables.map((variable) => [variable.id, variable]));
  const labelOf = (variable: string, code: string): string => {
    const label = variables
      .get(variable)
      ?.categories.find((category) => category.code === code)?.label;
    if (label === undefined) return code;
    return label[language] ?? Object.values(label)[0] ?? code;
  };
  return result.margins.flatMap((table) =>
    table.cells.map((cell) => [
      text(site),
      table.table,
      table.variables.join(KEY_SEPARATOR),
      cell.key.join(KEY_SEPARATOR),
      text(
        cell.key.map((code, v) => labelOf(table.variables[v] ?? '', code)).join(LABEL_SEPARATOR),
      ),
      cell.census === undefined ? '' : count(cell.census),
      share(cell.censusShare),
      String(cell.target),
      String(cell.sample),
      share(cell.sampleShare),
      count(cell.weighted),
      share(cell.weightedShare),
      result.basis,
    ]),
  );
}

/** A small number as `3.2e-9`, 0 as `0`. */
function small(value: number): string {
  return value === 0 ? '0' : value.toExponential(1);
}

/** A bound as written (`0.2`, `5`). */
function plain(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/**
 * How the weights were made, for the codebook (French when `language` is `fr`, else English):
 * the method and its basis, the iterations and convergence, the trimming, the exclusions, the
 * samples weighted 0 and the cells that could not be met.
 */
export function methodNote(result: RakedWeights, language: string): string {
  const fr = language === 'fr';
  const tables = result.margins.map((table) => table.table).join(', ');
  const cells = (list: RakedWeights['emptyCells']) =>
    list.map((cell) => `${cell.table} ${cell.key}`).join(', ');
  const parts: string[] = [];
  if (fr) {
    parts.push(
      result.method === 'post-stratification'
        ? `Pondération : post-stratification sur le tableau ${tables} du plan de quotas`
        : `Pondération : calage par raking (ajustement proportionnel itératif) sur les ${result.margins.length} tableaux du plan de quotas (${tables})`,
      result.basis === 'census'
        ? ', vers les parts du recensement gardées dans le plan. '
        : ', vers les parts des objectifs du plan (le plan ne garde pas les effectifs du recensement). ',
      result.converged
        ? `Convergence en ${result.iterations} itération${result.iterations > 1 ? 's' : ''} : écart maximal entre une part pondérée et la part visée ${small(result.maxDeviation)} (tolérance ${small(result.tolerance)}). `
        : `Pas de convergence après ${result.iterations} itération${result.iterations > 1 ? 's' : ''} : écart maximal entre une part pondérée et la part visée ${small(result.maxDeviation)} (tolérance ${small(result.tolerance)}). `,
      result.bounds === undefined
        ? 'Sans écrêtage. '
        : `Écrêtage : chaque poids est gardé entre ${plain(result.bounds.lower)} et ${plain(result.bounds.upper)} fois le poids moyen à chaque étape du calage (raking borné) ; ${result.trimmed} poids sur une borne. `,
      `Les poids somment au nombre d'entretiens pondérés (${result.weighted}).`,
    );
    if (result.excluded > 0)
      parts.push(
        ` ${result.excluded} entretien${result.excluded > 1 ? 's' : ''} sans poids (vide) : catégorie de quota manquante ou inconnue.`,
      );
    if (result.zeroWeighted > 0)
      parts.push(
        ` ${result.zeroWeighted} entretien${result.zeroWeighted > 1 ? 's' : ''} de poids 0, dans une cellule de part nulle (personne au recensement, ou objectif 0) : ${cells(result.zeroCells)}.`,
      );
    if (result.emptyCells.length > 0)
      parts.push(
        ` Cellules sans aucun entretien, dont la part n'est pas atteinte (répartie sur les autres cellules de leur tableau) : ${cells(result.emptyCells)}.`,
      );
    return parts.join('');
  }
  parts.push(
    result.method === 'post-stratification'
      ? `Weights: post-stratification on the quota plan's table ${tables}`
      : `Weights: raking (iterative proportional fitting) on the quota plan's ${result.margins.length} tables (${tables})`,
    result.basis === 'census'
      ? ', to the census shares kept in the plan. '
      : ", to the shares of the plan's targets (the plan keeps no census counts). ",
    result.converged
      ? `Converged in ${result.iterations} iteration${result.iterations > 1 ? 's' : ''}: largest gap between a weighted share and its aimed share ${small(result.maxDeviation)} (tolerance ${small(result.tolerance)}). `
      : `Did not converge after ${result.iterations} iteration${result.iterations > 1 ? 's' : ''}: largest gap between a weighted share and its aimed share ${small(result.maxDeviation)} (tolerance ${small(result.tolerance)}). `,
    result.bounds === undefined
      ? 'No trimming. '
      : `Trimming: every weight kept between ${plain(result.bounds.lower)} and ${plain(result.bounds.upper)} times the mean weight at every step (bounded raking); ${result.trimmed} weight${result.trimmed === 1 ? '' : 's'} at a bound. `,
    `The weights sum to the number of interviews weighted (${result.weighted}).`,
  );
  if (result.excluded > 0)
    parts.push(
      ` ${result.excluded} interview${result.excluded > 1 ? 's' : ''} without a weight (empty): a quota category missing or unknown.`,
    );
  if (result.zeroWeighted > 0)
    parts.push(
      ` ${result.zeroWeighted} interview${result.zeroWeighted > 1 ? 's' : ''} weighted 0, in a cell whose share is 0 (no one in the census, or a target of 0): ${cells(result.zeroCells)}.`,
    );
  if (result.emptyCells.length > 0)
    parts.push(
      ` Cells with no interview, whose share is not met (spread over their table's other cells): ${cells(result.emptyCells)}.`,
    );
  return parts.join('');
}
