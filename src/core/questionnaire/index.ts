/**
 * The questionnaire module: the complete contract between questionnaire definitions and whoever
 * runs them (the app, the server, the scripts). Nothing here throws on bad input.
 *
 * 1. `loadQuestionnaire(json, { labelPacks })` validates a definition (`questionnaires/<id>/
 *    <version>.json`) and its label packs: shape, ids, choice lists, translations, every
 *    expression (syntax, references, functions and their arity, choice codes, `relevant` that
 *    looks ahead, cycles among calculations). It returns `success` or `warning` with the compiled
 *    `Questionnaire`, or `failure` with every issue: a JSON path, a code, and a message that says
 *    how to fix it.
 * 2. The engine runs an interview over a `Questionnaire`, an injected `Clock` and the stored
 *    `Answers`: `createState` evaluates everything once; `setAnswer` stores one answer and
 *    recomputes only what depends on it (the dependency graph is built at load time).
 *    `nextItem`/`previousItem`/`relevantItems`/`progress` navigate; `isRelevant` and `itemOf`
 *    say whether an item or grid row is asked and which item an answer belongs to;
 *    `validateAnswer` checks one answer; `isChoiceOffered` says whether a choice's `relevant` (a
 *    choice filter) holds, and an answer naming a choice not offered is invalid; `activeAlerts`
 *    and `activeScreenOut` say what fired; `completion` says whether the interview can be
 *    completed and what is missing.
 *
 * This file is the whole contract: callers read a `Questionnaire`'s definition and items
 * (`items`, `itemById`, `alerts`, `screenOuts`) and an `InterviewState`'s answers, and ask the
 * functions above for the rest, never the compiled graph (`nodes`, `nodeById`, the state's
 * `relevant` and `values` arrays), which may change shape. Lint keeps the app, the server, the
 * dashboard and the scripts to this file; the rest of src/core may also use `internal.ts` (the
 * graph and the engine's variants that skip a copy or a lookup).
 *
 * Relevance: an item is relevant when its own `relevant`, its section's and (for a grid row) its
 * grid's all hold. When a changed answer makes later items irrelevant, their answers are KEPT in
 * `state.answers` (nothing the interviewer typed is lost, and they return if the item becomes
 * relevant again) but they read as empty in expressions, are not asked, are not validated for
 * completion, and are left out of `relevantAnswers`, hence out of records and exports.
 *
 * Non-response: "don't know" and "refused" are stored as `{ nonResponse: 'dont_know' | 'refused' }`,
 * read as empty in expressions (see `non-response()`), and export as the definition's codes.
 *
 * Undetermined calculations (unknowns.ts, imported directly: apart from the engine, so that the
 * tablet's first screen does not load it): the interview runs on plain
 * values, each non-response read as no answer. When a record is made or checked, a calculation
 * that reads a non-response of a relevant item (directly, or through another calculation or an
 * item not asked because of it) is evaluated a second way (`unknownsOf`), each non-response
 * standing for any answer its item could take (a single choice's codes, any value for the
 * others), and so is every item not asked because of one. One possible result is the record's
 * value (`resultOf`: 6 symptoms and a 7th refused is still positive); more make it undetermined:
 * `nonResponseOf` gives its reason (`refused` if any non-response it depends on is, else
 * `dont_know`), and a record carries it as `{ nonResponse: reason }`.
 */
export type { Answer, Answers, NonResponse, NonResponseKind } from './answers.ts';
export { DONT_KNOW, REFUSED, isNonResponse } from './answers.ts';
export type { IssueCode, LoadIssue } from './issues.ts';
export { formatIssue } from './issues.ts';
export type { LoadOptions, LoadResult } from './load.ts';
export { loadQuestionnaire } from './load.ts';
export type { ItemEntry, Questionnaire } from './model.ts';
export type { ValidationCode } from './messages.ts';
export type {
  Alert,
  Choice,
  Coarsen,
  Definition,
  GridItem,
  GridRow,
  Item,
  ItemType,
  LabelPack,
  LocalizedText,
  ScreenOut,
  Section,
} from './schema.ts';
export { DefinitionSchema, LabelPackSchema } from './schema.ts';
export type { TextEntry, TextReader } from './texts.ts';
export { textEntries } from './texts.ts';
export { compareVersions } from './versions.ts';
export type {
  Clock,
  Completion,
  CompletionProblem,
  InterviewState,
  Step,
  Validation,
} from './engine.ts';
export {
  DEFAULT_TEXT_MAX_LENGTH,
  activeAlerts,
  activeScreenOut,
  calculatedValues,
  completion,
  createState,
  getAnswer,
  isChoiceOffered,
  isRelevant,
  itemOf,
  localize,
  localizedText,
  nextItem,
  previousItem,
  progress,
  relevantAnswers,
  relevantItems,
  setAnswer,
  validateAnswer,
  valueOf,
} from './engine.ts';
