/**
 * Quotas, so that each site's sample matches its population (by sex, age, occupation,
 * education): a site's plan, counting interviews into cells, and the decision for a new
 * respondent. Pure: no storage, no clock, no network.
 *
 * - `loadQuotaPlan(json)` validates a plan (never throws): known variables and categories, every
 *   cell of every table once, each table summing to the sample size, and allocations that fit:
 *   for every cell, the interviewers' allocations add up to at most the cell's site limit.
 * - A cell's site limit is `floor(target x (1 + tolerance))`.
 * - `classify` places a respondent from their answers; `countQuotas` counts completed,
 *   non-practice interviews once in every table they fall in, and quota screen-outs apart.
 * - `decide` accepts a respondent, warns that a cell is nearly full, or says which cells are full.
 *   Offline, a device decides on its interviewer's allocation exactly (own count < allocation),
 *   so devices that cannot see each other never overfill a cell together.
 *
 * Merge rule, when the server's counts are known: the site-wide count of a cell is the server's
 * count (which includes what this device already uploaded) PLUS this device's interviews not yet
 * acknowledged by the server (`mergeCounts`); it is never lower than either. The decision then
 * applies both rules, allocation (own count) and site limit (merged count), and the stricter wins.
 * The interviewer's own count follows the same rule across tablets (`mergeOwn`): the server's
 * count of their interviews on every tablet (`QuotaState.interviewerCounts`) plus theirs on this
 * device not acknowledged yet, never below this device's count of theirs.
 *
 * Shares: a site with several interviewers always runs on allocations (`equalAllocations`, equal
 * shares of each cell by the largest remainder, when the plan has none). At each sync the server
 * re-pools them (`repool`): an interviewer whose every interview it has just received
 * ("settled": their only tablet sent all it had and receives the new shares in the same answer)
 * keeps what they did and have open (the drafts past the quota questions tablets report, counted
 * as done), plus one of the room they had (an interview may be under way on the tablet), and
 * takes from what is free up to a fair part of what the cell still needs (its remaining count to
 * the site limit over the number of interviewers); what they no longer hold is free for the next
 * one. Nobody else's share goes down: they may be interviewing offline on it. Every cell's
 * shares add up to at most its site limit, so the tolerance is used, and only by interviewers
 * whose count the server knows exactly.
 *
 * `buildPlan` makes a plan from census tables (`parseCensusCsv`), narrowing census age bands to
 * the survey's in proportion to the years they cover, and scaling each table to the sample size
 * with `largestRemainder` (exact total, each cell within one of its exact share). Every cell keeps
 * the census count it was scaled from (`census`, fractional where a band was narrowed); a plan
 * without census counts stays valid, and a table has them on every cell or on none.
 *
 * Weights, for the analysts' export: `rakeWeights(plan, samples)` weights each completed
 * interview (its quota categories) so that the weighted sample gives every table's census shares
 * (the targets' shares when the plan has no census counts): post-stratification for a plan of one
 * table, raking (iterative proportional fitting) over the tables as margins otherwise, each weight
 * kept within 0.2 and 5 times the mean weight inside every step (bounded raking), until every
 * share is within 1e-8 (1000 sweeps at most). Weights sum to the number of interviews weighted; an
 * interview with a category no table knows has none; one in a cell with no one in the census is
 * weighted 0; a cell with census but no interview cannot be met and is named (`emptyCells`).
 *
 * Census files as INSEE publishes them (census-files.ts, which the dashboard and
 * `npm run quota:plan` import directly): `readCensusFile` recognises a file's layout from its header and lists its zones;
 * `planFromCensusFiles` sums the chosen zone's rows, checks the survey's age bands against the
 * census's and returns every table's cells (census count, exact share, target) with the issues
 * found, each with its file, line and column; the plan only when there is no error. The formats,
 * the narrowing rules and every warning are in docs/quotas.md.
 */
export type { Allocation, QuotaPlan, QuotaTable, QuotaVariable } from './schema.ts';
export { QuotaPlanSchema } from './schema.ts';
export { QUOTA_FULL_SCREEN_OUT, quotaOutcome } from './outcome.ts';
export type {
  IssueParam,
  QuotaIssue,
  QuotaIssueCode,
  QuotaIssueParams,
  QuotaPlanResult,
  SchemaIssueParams,
} from './plan.ts';
export {
  cellKey,
  loadQuotaPlan,
  QUOTA_ISSUE_CODES,
  quotaIssue,
  siteLimit,
  withoutCensus,
} from './plan.ts';
export type {
  Categories,
  CellCounts,
  CellDecision,
  DecisionContext,
  QuotaCounts,
  QuotaDecision,
  QuotaRecord,
} from './decide.ts';
export {
  EMPTY_COUNTS,
  cellsOf,
  classify,
  countQuotas,
  decide,
  largestRemainder,
  mergeCounts,
  mergeOwn,
} from './decide.ts';
export type { InterviewerCounts, RepoolInput } from './pool.ts';
export { equalAllocations, repool } from './pool.ts';
export type {
  AgeBand,
  CensusError,
  CensusLineCode,
  CensusLineParams,
  CensusParse,
  CensusRow,
  PlanOptions,
} from './census.ts';
export {
  CSP_LABELS,
  DIPLOMA_LABELS,
  PlanError,
  allocate,
  buildPlan,
  overlap,
  parseAgeBand,
  parseCensusCsv,
} from './census.ts';
export type {
  CellRef,
  MarginCell,
  RakeOptions,
  RakedWeights,
  TableMargins,
  WeightBounds,
} from './weights.ts';
export {
  DEFAULT_MAX_ITERATIONS,
  DEFAULT_RAKING_TOLERANCE,
  DEFAULT_WEIGHT_BOUNDS,
  rakeWeights,
} from './weights.ts';
// The census files' readers (census-files.ts) and the fieldwork simulation (simulation.ts) are
// imported from their own modules, not from here: the tablets' first download takes this module.
