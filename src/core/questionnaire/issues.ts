// What a load reports: the issue codes, an issue's path and message, and zod's issues said in
// words (the quota plan loader says its own the same way).
export type IssueCode =
  | 'schema'
  | 'default_language'
  | 'missing_translation'
  | 'duplicate_id'
  | 'unknown_choice_list'
  | 'duplicate_choice_code'
  | 'invalid_range'
  | 'non_response_code'
  | 'unknown_exclusive_code'
  | 'syntax'
  | 'unknown_reference'
  | 'not_a_value'
  | 'forward_reference'
  | 'cycle'
  | 'unknown_function'
  | 'arity'
  | 'type_mismatch'
  | 'unknown_choice_code'
  | 'current_outside_constraint'
  | 'invalid_regex'
  | 'unused_choice_list'
  | 'label_pack_mismatch'
  | 'label_pack_unknown_key'
  | 'label_pack_missing_text';

export interface LoadIssue {
  /** JSON path in the definition (or `<pack source>.texts...` for a label pack). */
  readonly path: string;
  readonly code: IssueCode;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** Errors stop the load; warnings do not. */
  readonly severity: 'error' | 'warning';
}

/** `path: message`, the way tools print an issue. */
export function formatIssue(issue: LoadIssue): string {
  return `${issue.path}: ${issue.message}`;
}

function jsonPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}

/** The part of a zod issue read here (zod/mini carries no English messages of its own). */
export interface ZodIssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly expected?: unknown;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly inclusive?: boolean;
  readonly origin?: string;
  readonly keys?: readonly string[];
  readonly values?: readonly unknown[];
  readonly options?: readonly unknown[];
}

/** Says what is wrong in words, from a zod issue's code and details (shared by the quota plan loader). */
export function describeSchemaIssue(issue: ZodIssueLike): string {
  const custom = issue.message !== 'Invalid input' && issue.message !== '';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return 'must be a whole number';
      return issue.path.length > 0 && issue.expected === 'object'
        ? 'is missing or is not an object'
        : `must be ${issue.expected === 'array' ? 'a list' : `a ${String(issue.expected)}`} (missing or of another type)`;
    case 'too_small': {
      if (custom) return issue.message;
      const bound = `${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}`;
      if (issue.origin === 'array')
        return `must have ${bound} element${issue.minimum === 1 ? '' : 's'}`;
      if (issue.origin === 'string')
        return `must have ${bound} character${issue.minimum === 1 ? '' : 's'}`;
      return `must be ${bound}`;
    }
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return `unknown propert${(issue.keys ?? []).length > 1 ? 'ies' : 'y'} ${(issue.keys ?? []).map((key) => `"${key}"`).join(', ')}; remove it or check its spelling`;
    case 'invalid_union':
      if (issue.path[issue.path.length - 1] === 'type' && issue.options) {
        return `unknown item type; use one of ${issue.options.join(', ')}`;
      }
      return issue.options
        ? `must be one of ${issue.options.join(', ')}`
        : 'does not match any allowed form';
    case 'invalid_value':
      return `must be one of ${(issue.values ?? []).map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_format':
      return custom ? issue.message : 'has the wrong format';
    case 'invalid_key':
      return 'has an invalid key';
    default:
      return custom ? issue.message : 'is not valid';
  }
}

/** Turns zod's issues into ours, with the path and a message that says what to fix. */
export function schemaIssues(
  error: { issues: readonly ZodIssueLike[] },
  prefix: string,
): LoadIssue[] {
  return error.issues.map((issue) => ({
    path: (prefix ? `${prefix}.` : '') + jsonPath(issue.path),
    code: 'schema',
    message: describeSchemaIssue(issue),
    severity: 'error',
  }));
}
