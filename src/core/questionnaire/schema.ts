// The zod schema of a questionnaire definition file (`questionnaires/<id>/<version>.json`).
// It checks shape only; cross-references and expressions are checked by `load.ts`.
import { z } from 'zod';

/** A name usable as `${name}` in expressions: an item id, a grid row id, a choice list id. */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A language code such as `fr`, `en`, `pt-BR`. */
export const LANGUAGE_PATTERN = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
/** A choice code: what is stored and exported (`1`, `b`, `yes`). */
export const CHOICE_CODE_PATTERN = /^[A-Za-z0-9_.+-]+$/;
/** ISO calendar date, the stored form of a date answer. */
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const Name = z
  .string()
  .regex(NAME_PATTERN, 'must start with a letter or _ and contain only letters, digits and _');
const Expression = z.string().min(1, 'must not be empty');

/** Text in several languages: `{ "fr": "Âge", "en": "Age" }`. Completeness is checked at load. */
export const LocalizedTextSchema = z.record(
  z.string().regex(LANGUAGE_PATTERN, 'is not a language code such as "fr" or "en"'),
  z.string().min(1, 'must not be empty'),
);
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

export const ChoiceSchema = z.strictObject({
  code: z.string().regex(CHOICE_CODE_PATTERN, 'must be letters, digits, _ . + or -'),
  label: LocalizedTextSchema,
});
export type Choice = z.infer<typeof ChoiceSchema>;

/**
 * How a value is made less precise before it leaves the device (DESIGN.md section 3).
 * `bands`: a number becomes the code of the band holding it; `date`: a date keeps its month or year.
 */
export const CoarsenSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('bands'),
    bands: z
      .array(
        z.strictObject({
          code: z.string().regex(CHOICE_CODE_PATTERN),
          min: z.number().optional(),
          max: z.number().optional(),
          label: LocalizedTextSchema.optional(),
        }),
      )
      .min(1),
  }),
  z.strictObject({ kind: z.literal('date'), precision: z.enum(['month', 'year']) }),
]);
export type Coarsen = z.infer<typeof CoarsenSchema>;

/** Fields every item has. */
const itemBase = {
  id: Name,
  /** The question as read aloud (or the text of a note). Optional only for `calculate`. */
  label: LocalizedTextSchema.optional(),
  /** Instruction for the interviewer, shown apart from the question, never read aloud. */
  hint: LocalizedTextSchema.optional(),
  /** Show the item only when this expression is true. */
  relevant: Expression.optional(),
  /** Marks data that never leaves the device (removed from the anonymised record). */
  identifying: z.boolean().optional(),
};

/** Fields of items that take an answer. */
const answerable = {
  ...itemBase,
  /** `true`, `false`, or an expression. Default: false. */
  required: z.union([z.boolean(), Expression]).optional(),
  /** Must be true for a non-empty answer; `.` is the answer being checked. */
  constraint: Expression.optional(),
  constraintMessage: LocalizedTextSchema.optional(),
  /** Whether "don't know" and "refused" are offered. Default: true. */
  nonResponse: z.boolean().optional(),
  coarsen: CoarsenSchema.optional(),
};

/** Choices are inline or the id of a shared list in `choiceLists`. */
const ChoicesRef = z.union([Name, z.array(ChoiceSchema).min(1)]);

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
  exclusive: z.array(z.string()).optional(),
});
export const IntegerItemSchema = z.strictObject({
  ...answerable,
  type: z.literal('integer'),
  min: z.number().int().optional(),
  max: z.number().int().optional(),
  unit: LocalizedTextSchema.optional(),
});
export const DecimalItemSchema = z.strictObject({
  ...answerable,
  type: z.literal('decimal'),
  min: z.number().optional(),
  max: z.number().optional(),
  unit: LocalizedTextSchema.optional(),
});
export const TextItemSchema = z.strictObject({
  ...answerable,
  type: z.literal('text'),
  maxLength: z.number().int().positive().optional(),
  multiline: z.boolean().optional(),
});
export const DateItemSchema = z.strictObject({
  ...answerable,
  type: z.literal('date'),
  /** Earliest and latest accepted dates, `YYYY-MM-DD`. */
  min: z.string().regex(DATE_PATTERN).optional(),
  max: z.string().regex(DATE_PATTERN).optional(),
});
export const NoteItemSchema = z.strictObject({
  ...itemBase,
  type: z.literal('note'),
  label: LocalizedTextSchema,
  /** `read_aloud`: text the interviewer reads to the respondent; `instruction`: for the interviewer. */
  style: z.enum(['read_aloud', 'instruction']).optional(),
});
export const CalculateItemSchema = z.strictObject({
  ...itemBase,
  type: z.literal('calculate'),
  calculate: Expression,
  /** What the result is, for checks and the codebook. Default: inferred from the expression. */
  valueType: z.enum(['number', 'string', 'boolean']).optional(),
  /** Optional codes and labels of the result (e.g. a module result `1` positive / `0` negative). */
  choices: ChoicesRef.optional(),
  coarsen: CoarsenSchema.optional(),
});
export const GridRowSchema = z.strictObject({
  /** A row is one stored answer: its id is a name like any item id. */
  id: Name,
  label: LocalizedTextSchema,
  relevant: Expression.optional(),
});
export const GridItemSchema = z.strictObject({
  ...answerable,
  type: z.literal('grid'),
  /** `one`: one choice per row; `multiple`: several. */
  select: z.enum(['one', 'multiple']).optional(),
  choices: ChoicesRef,
  rows: z.array(GridRowSchema).min(1),
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
  relevant: Expression.optional(),
  items: z.array(ItemSchema).min(1),
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
  code: z.number().int(),
  label: LocalizedTextSchema,
});

export const DefinitionSchema = z.strictObject({
  $schema: z.string().optional(),
  id: Name,
  /** Version string, e.g. `1` or `2026.1`; the file name is `<version>.json`. */
  version: z.string().regex(/^[0-9]+(\.[0-9]+)*$/, 'must be numbers separated by dots'),
  title: LocalizedTextSchema,
  languages: z.array(z.string().regex(LANGUAGE_PATTERN)).min(1),
  defaultLanguage: z.string(),
  nonResponse: z.strictObject({ dontKnow: NonResponseCode, refused: NonResponseCode }),
  choiceLists: z.record(Name, z.array(ChoiceSchema).min(1)).optional(),
  sections: z.array(SectionSchema).min(1),
  alerts: z.array(AlertSchema).optional(),
  screenOuts: z.array(ScreenOutSchema).optional(),
});
export type Definition = z.infer<typeof DefinitionSchema>;

/**
 * A label pack (`<version>.labels.<lang>.json`): the texts of one language, keyed by text key
 * (see `textKeys` in `texts.ts`), e.g. `items.age.label`, `choices.yes_no.1`. Merged at load time;
 * it may add a language or replace the wording of one (a licensed instrument's text).
 */
export const LabelPackSchema = z.strictObject({
  $schema: z.string().optional(),
  questionnaire: Name,
  version: z.string(),
  language: z.string().regex(LANGUAGE_PATTERN),
  texts: z.record(z.string(), z.string().min(1)),
});
export type LabelPack = z.infer<typeof LabelPackSchema>;
