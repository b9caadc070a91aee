// The zod schema of a site's quota plan (`plan.json`), made by `npm run quota:plan` from census
// tables and read by the app and the server. Cross-references are checked by `loadQuotaPlan`.
import { z } from 'zod/mini';

// Names and codes become object keys when counting (`counts[table][key]`): `__proto__` or
// `constructor` would reach Object.prototype, so they are refused.
const notReserved = z.refine<string>((value) => !(value in Object.prototype), 'is a reserved name');
const Name = z
  .string()
  .check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a name (letters, digits, _)'), notReserved);
const Code = z
  .string()
  .check(z.regex(/^[A-Za-z0-9_.+-]+$/, 'must be a code (letters, digits, _ . + -)'), notReserved);
const Count = z.int().check(z.nonnegative());

export const QuotaCategorySchema = z.strictObject({
  code: Code,
  label: z.optional(z.record(z.string(), z.string())),
});

/**
 * Where a variable's category comes from in the questionnaire: the answer of a choice item (its
 * code, or `map` from answer codes to categories), or a number put in `bands`.
 */
export const QuotaSourceSchema = z.union([
  z.strictObject({
    item: Name,
    map: z.optional(z.record(z.string(), Code)),
  }),
  z.strictObject({
    item: Name,
    bands: z
      .array(
        z.strictObject({ code: Code, min: z.optional(z.number()), max: z.optional(z.number()) }),
      )
      .check(z.minLength(1)),
  }),
]);

export const QuotaVariableSchema = z.strictObject({
  id: Name,
  label: z.optional(z.record(z.string(), z.string())),
  source: QuotaSourceSchema,
  categories: z.array(QuotaCategorySchema).check(z.minLength(1)),
});

export const QuotaCellSchema = z.strictObject({
  /** One category code per variable of the table, in the table's order. */
  key: z.array(Code).check(z.minLength(1)),
  target: Count,
  /**
   * The zone's census count the target was scaled from (over the survey's ages: fractional when a
   * census age band was narrowed). Kept so that weights can aim at the census shares rather than
   * the rounded targets. A table has it on every cell or on none; plans without it stay valid.
   */
  census: z.optional(z.number().check(z.nonnegative())),
});

/** A table crosses one or more variables (sex x age band) or is marginal (one variable). */
export const QuotaTableSchema = z.strictObject({
  id: Name,
  variables: z.array(Name).check(z.minLength(1)),
  cells: z.array(QuotaCellSchema).check(z.minLength(1)),
});

/** An interviewer's (or device's) share of the targets: table id -> cell key (`1|18-24`) -> n. */
export const AllocationSchema = z.strictObject({
  interviewer: z.string().check(z.minLength(1)),
  targets: z.record(Name, z.record(z.string(), Count)),
});

export const QuotaPlanSchema = z.strictObject({
  $schema: z.optional(z.string()),
  site: z.string().check(z.minLength(1)),
  /** Questionnaire whose items feed the variables. */
  questionnaire: Name,
  sampleSize: z.int().check(z.positive()),
  /** Over-target allowance per cell as a fraction (0.05 = +5 %). */
  tolerance: z.number().check(z.gte(0), z.lte(1)),
  /** Share of the limit from which a cell is "nearly full" (default 0.9). */
  nearlyFull: z.optional(z.number().check(z.gt(0), z.lte(1))),
  variables: z.array(QuotaVariableSchema).check(z.minLength(1)),
  tables: z.array(QuotaTableSchema).check(z.minLength(1)),
  allocations: z.optional(z.array(AllocationSchema)),
  /** Where the targets came from (census table, year, zone), for the record. */
  source: z.optional(z.string()),
});

export type QuotaPlan = z.infer<typeof QuotaPlanSchema>;
export type QuotaVariable = z.infer<typeof QuotaVariableSchema>;
export type QuotaTable = z.infer<typeof QuotaTableSchema>;
export type Allocation = z.infer<typeof AllocationSchema>;
