// The seam between the one store (sql-store.ts) and a database: what a dialect must do, and
// transactions written once as generators that SQLite runs synchronously and PostgreSQL awaits.
import type { StoredRecord } from './types.ts';

/** A statement for a dialect to run: `?` placeholders bound from `params` in order. */
export type Statement =
  | {
      readonly kind: 'all' | 'get' | 'run';
      readonly sql: string;
      readonly params: readonly unknown[];
    }
  /** DDL, possibly several statements, without parameters (migrations). */
  | { readonly kind: 'exec'; readonly sql: string };

/**
 * Work done in one transaction, written as a generator that yields its statements (`yield*
 * sql.get(...)`) and is handed their results. The same work then runs synchronously on SQLite,
 * inside better-sqlite3's transaction, so nothing else the process does can slip between its
 * statements while it holds the write lock; and on PostgreSQL each statement is awaited on the
 * transaction's own pooled client.
 */
export type Transaction<T> = Generator<Statement, T, unknown>;

/** The statements of a transaction, typed by what each one gives back. */
export const sql = {
  /** Every row the statement returns. */
  *all<Row>(text: string, params: readonly unknown[] = []): Transaction<Row[]> {
    return (yield { kind: 'all', sql: text, params }) as Row[];
  },
  /** The statement's first row, if any. */
  *get<Row>(text: string, params: readonly unknown[] = []): Transaction<Row | undefined> {
    return (yield { kind: 'get', sql: text, params }) as Row | undefined;
  },
  /** How many rows the statement inserted, changed or deleted. */
  *run(text: string, params: readonly unknown[] = []): Transaction<number> {
    return (yield { kind: 'run', sql: text, params }) as number;
  },
  *exec(text: string): Transaction<void> {
    yield { kind: 'exec', sql: text };
  },
};

/**
 * Drives a transaction's work: runs each statement it yields with `execute` and hands back the
 * result (or throws the error into it), until it returns. The synchronous form, for SQLite.
 */
export function drive<T>(work: Transaction<T>, execute: (statement: Statement) => unknown): T {
  let step = work.next();
  while (step.done !== true) {
    let result: unknown;
    try {
      result = execute(step.value);
    } catch (error) {
      step = work.throw(error);
      continue;
    }
    step = work.next(result);
  }
  return step.value;
}

/** The same, awaiting each statement: for PostgreSQL. */
export async function driveAsync<T>(
  work: Transaction<T>,
  execute: (statement: Statement) => Promise<unknown>,
): Promise<T> {
  let step = work.next();
  while (step.done !== true) {
    let result: unknown;
    try {
      result = await execute(step.value);
    } catch (error) {
      step = work.throw(error);
      continue;
    }
    step = work.next(result);
  }
  return step.value;
}

/**
 * A numbered migration, applied once, in its own transaction, and recorded in schema_migrations.
 * Never edit one that has shipped: add the next number.
 */
export interface Migration {
  readonly version: number;
  readonly sql: string;
}

/** What the upload's insert did: the ids it inserted, and the stored hash of every id it found. */
export interface InsertedRecords {
  readonly inserted: ReadonlySet<string>;
  readonly hashes: ReadonlyMap<string, string>;
}

/** What differs between the databases; the store's queries are written against this alone. */
export interface SqlDialect {
  /** Every row of a statement (`?` placeholders, bound in order). */
  all<Row>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** The first row of a statement, if any. */
  get<Row>(text: string, params?: readonly unknown[]): Promise<Row | undefined>;
  /** Runs a statement; answers how many rows it inserted, changed or deleted. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
  /** Runs `work` in one transaction: committed when it returns, rolled back if it throws. */
  transaction<T>(work: () => Transaction<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * An SQL expression for the string at `path` (object keys, written in the code) in the JSON
   * text of `column`, NULL where there is none.
   */
  jsonText(column: string, path: readonly string[]): string;
  /** The database's own migrations, in order: their DDL differs (types, collations, storage). */
  readonly migrations: readonly Migration[];
  /**
   * Run first in each migration's transaction so that servers starting together take turns, or
   * null where beginning the transaction already does.
   */
  readonly migrationLock: string | null;
  /**
   * The upload's insert, in one transaction: stores the records (their ids unique in the batch)
   * whose ids are not stored yet, and reads the hash of those that are. Its fast form differs:
   * statement by statement in process on SQLite, a few statements over the whole batch on
   * PostgreSQL, where each statement is a round trip.
   */
  insertRecords(records: readonly StoredRecord[]): Promise<InsertedRecords>;
}
