// The zod schema of a questionnaire definition file (`questionnaires/<id>/<version>.json`).
// It checks shape only; cross-references and expressions are checked when it is loaded (`load.ts`).
// zod/mini keeps the app's initial bundle small: its budget is 150 KB gzip in all.
import { z } from 'zod/mini';

/** A name usable as `${name}` in expressions: an item id, a grid row id, a choice list id. */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A language code such as `fr`, `en`, `pt-BR`. */
export const LANGUAGE_PATTERN = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
/** A choice code: what is stored and exported (`1`, `b`, `yes`). */
export const CHOICE_CODE_PATTERN = /^[A-Za-z0-9_.+-]+$/;
/** ISO calendar date, the stored form of a date answer. */
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A questionnaire's id: `smpg`, `demo` (it names files, URLs and export columns). */
export const QUESTIONNAIRE_ID_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
/** A version: 1 to 4 numbers separated by dots, e.g. `1` or `2026.1`. */
export const VERSION_PATTERN = /^[0-9]{1,6}(\.[0-9]{1,6}){0,3}$/;

/**
 * Names that objects already have (`__proto__`, `constructor`, `toString`...): an id, answer key
 * or export column spelled so could reach Object.prototype wherever a plain object is indexed.
 */
const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);

const Name = z.string().check(
  z.maxLength(100, 'must be at most 100 characters'),
  z.regex(NAME_PATTERN, 'must start with a letter or _ and contain only letters, digits and _'),
  z.refine((name) => !RESERVED_NAMES.has(name), 'is a reserved name (__proto__, constructor…)'),
);
const Expression = z.string().check(z.minLength(1, 'must not be empty'));

/** Text in several languages: `{ "fr": "Âge", "en": "Age" }`. Completeness is checked at load. */
export const LocalizedTextSchema = z.record(
  z.string().check(z.regex(LANGUAGE_PATTERN, 'is not a language code such as "fr" or "en"')),
  z.string().check(z.minLength(1, 'must not be empty')),
);
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

export const ChoiceSchema = z.strictObject({
  code: z.string().check(z.regex(CHOICE_CODE_PATTERN, 'must be letters, digits, _ . + or -')),
  label: LocalizedTextSchema,
  /**
   * Offer the choice only when this expression is true (XLSForm's `choice_filter`, one choice at a
   * time): otherwise it is not shown and an answer naming it is invalid.
   */
  relevant: z.optional(Expression),
});
export type Choice = z.infer<typeof ChoiceSchema>;

/**
 * How a value is made less precise before it leaves the device, so that the anonymised record
 * keeps what analysis needs without identifying the respondent (a birth date becomes an age band).
 * `bands`: a number becomes the code of the band holding it; `date`: a date keeps its month or year.
 */
export const CoarsenSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('bands'),
    bands: z
      .array(
        z.strictObject({
          code: z.string().check(z.regex(CHOICE_CODE_PATTERN)),
          min: z.optional(z.number()),
          max: z.optional(z.number()),
          label: z.optional(LocalizedTextSchema),
        }),
      )
      .check(z.minLength(1)),
  }),
  z.strictObject({ kind: z.literal('date'), precision: z.enum(['month', 'year']) }),
]);
export type Coarsen = z.infer<typeof CoarsenSchema>;

/** Fields every item has. */
const itemBase = {
  id: Name,
  /** The question as read aloud (or the text of a note). Optional only for `calculate`. */
  label: z.optional(LocalizedTextSchema),
  /** Instruction for the interviewer, shown apart from the question, never read aloud. */
  hint: z.optional(LocalizedTextSchema),
  /** Show the item only when this expression is true. */
  relevant: z.optional(Expression),
  /** Marks data that never leaves the device (removed from the anonymised record). */
  identifying: z.optional(z.boolean()),
};

/** Fields of items that take an answer. */
const answerable = {
  ...itemBase,
  /** `true`, `false`, or an expression. Default: false. */
  required: z.optional(z.union([z.boolean(), Expression])),
  /** Must be true for a non-empty answer; `.` is the answer being checked. */
  constraint: z.optional(Expression),
  constraintMessage: z.optional(LocalizedTextSchema),
  /** Whether "don't know" and "refused" are offered. Default: true. */
  nonResponse: z.optional(z.boolean()),
  coarsen: z.optional(CoarsenSchema),
};

/** Choices are inline or the id of a shared list in `choiceLists`. */
const ChoicesRef = z.union([Name, z.array(ChoiceSchema).check(z.minLength(1))]);

export const SingleItemSchema = z.strictObject({
  ...answerable,
  type: z.literal('single'),
  choices: ChoicesRef,
});
export const MultipleItemSchema = z.strictObject({
  ...answerable,
  type: z.literal('multiple'),
  choices: ChoicesRef,
  /** Choice codes that cannot be combined with any other (e.g. "none of these"). */
  exclusive: z.optional(z.array(z.string())),
});
export const IntegerItemSchema = z.strictObject({
  ...answerable,
  type: z.literal('integer'),
  min: z.optional(z.int()),
  max: z.optional(z.int()),
  unit: z.optional(LocalizedTextSchema),
});
export const DecimalItemSchema = z.strictObject({
  ...answerable,
  type: z.literal('decimal'),
  min: z.optional(z.number()),
  max: z.optional(z.number()),
  unit: z.optional(LocalizedTextSchema),
});
export const TextItemSchema = z.strictObject({
  ...answerable,
  type: z.literal('text'),
  maxLength: z.optional(z.int().check(z.positive())),
  multiline: z.optional(z.boolean()),
});
export const DateItemSchema = z.strictObject({
  ...answerable,
  type: z.literal('date'),
  /** Earliest and latest accepted dates, `YYYY-MM-DD`. */
  min: z.optional(z.string().check(z.regex(DATE_PATTERN))),
  max: z.optional(z.string().check(z.regex(DATE_PATTERN))),
});
export const NoteItemSchema = z.strictObject({
  ...itemBase,
  type: z.literal('note'),
  label: LocalizedTextSchema,
  /** `read_aloud`: text the interviewer reads to the respondent; `instruction`: for the interviewer. */
  style: z.optional(z.enum(['read_aloud', 'instruction'])),
});
export const CalculateItemSchema = z.strictObject({
  ...itemBase,
  type: z.literal('calculate'),
  calculate: Expression,
  /** What the result is, for checks and the codebook. Default: inferred from the expression. */
  valueType: z.optional(z.enum(['number', 'string', 'boolean'])),
  /** Optional codes and labels of the result (e.g. a module result `1` positive / `0` negative). */
  choices: z.optional(ChoicesRef),
  coarsen: z.optional(CoarsenSchema),
});
export const GridRowSchema = z.strictObject({
  /** A row is one stored answer: its id is a name like any item id. */
  id: Name,
  label: LocalizedTextSchema,
  relevant: z.optional(Expression),
});
export const GridItemSchema = z.strictObject({
  ...answerable,
  type: z.literal('grid'),
  /** `one`: one choice per row; `multiple`: several. */
  select: z.optional(z.enum(['one', 'multiple'])),
  choices: ChoicesRef,
  rows: z.array(GridRowSchema).check(z.minLength(1)),
});

export const ItemSchema = z.discriminatedUnion('type', [
  SingleItemSchema,
  MultipleItemSchema,
  IntegerItemSchema,
  DecimalItemSchema,
  TextItemSchema,
  DateItemSchema,
  NoteItemSchema,
  CalculateItemSchema,
  GridItemSchema,
]);
export type Item = z.infer<typeof ItemSchema>;
export type ItemType = Item['type'];
export type GridItem = z.infer<typeof GridItemSchema>;
export type GridRow = z.infer<typeof GridRowSchema>;

export const SectionSchema = z.strictObject({
  id: Name,
  title: LocalizedTextSchema,
  relevant: z.optional(Expression),
  items: z.array(ItemSchema).check(z.minLength(1)),
});
export type Section = z.infer<typeof SectionSchema>;

/** A safety alert: when `when` becomes true the interviewer sees the protocol screen. */
export const AlertSchema = z.strictObject({
  id: Name,
  when: Expression,
  title: LocalizedTextSchema,
  /** What the interviewer does and says. `{{helpline}}` is replaced by the site's helpline. */
  protocol: LocalizedTextSchema,
});
export type Alert = z.infer<typeof AlertSchema>;

/** A condition that ends the interview as a screen-out (not eligible), with its reason. */
export const ScreenOutSchema = z.strictObject({
  id: Name,
  when: Expression,
  label: LocalizedTextSchema,
});
export type ScreenOut = z.infer<typeof ScreenOutSchema>;

const NonResponseCode = z.strictObject({
  /** The code exported for this non-response (e.g. 98, 99, -8, -9). */
  code: z.int(),
  label: LocalizedTextSchema,
});

export const DefinitionSchema = z.strictObject({
  $schema: z.optional(z.string()),
  /** Lower-case letters, digits and `_`, starting with a letter, at most 40 characters. */
  id: z.string().check(
    z.regex(
      QUESTIONNAIRE_ID_PATTERN,
      'must be 1 to 40 lower-case letters, digits or _, starting with a letter',
    ),
    z.refine((id) => !RESERVED_NAMES.has(id), 'is a reserved name (constructor…)'),
  ),
  /** Version string, e.g. `1` or `2026.1`; the file name is `<version>.json`. */
  version: z
    .string()
    .check(
      z.regex(VERSION_PATTERN, 'must be 1 to 4 numbers of at most 6 digits separated by dots'),
    ),
  title: LocalizedTextSchema,
  languages: z.array(z.string().check(z.regex(LANGUAGE_PATTERN))).check(z.minLength(1)),
  defaultLanguage: z.string(),
  nonResponse: z.strictObject({ dontKnow: NonResponseCode, refused: NonResponseCode }),
  choiceLists: z.optional(z.record(Name, z.array(ChoiceSchema).check(z.minLength(1)))),
  sections: z.array(SectionSchema).check(z.minLength(1)),
  alerts: z.optional(z.array(AlertSchema)),
  screenOuts: z.optional(z.array(ScreenOutSchema)),
});
export type Definition = z.infer<typeof DefinitionSchema>;

/**
 * A label pack (`<version>.labels.<lang>.json`): the texts of one language, keyed by text key
 * (see `textKeys` in `texts.ts`), e.g. `items.age.label`, `choices.yes_no.1`. Merged at load time;
 * it may add a language or replace the wording of one (a licensed instrument's text).
 */
export const LabelPackSchema = z.strictObject({
  $schema: z.optional(z.string()),
  questionnaire: Name,
  version: z.string(),
  language: z.string().check(z.regex(LANGUAGE_PATTERN)),
  texts: z.record(z.string(), z.string().check(z.minLength(1))),
});
export type LabelPack = z.infer<typeof LabelPackSchema>;
