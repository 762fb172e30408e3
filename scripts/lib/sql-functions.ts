// The PostgreSQL functions as source files (docs/decisions/011-sql-functions-as-source-files.md):
// prisma/functions/<name>.sql holds one CREATE OR REPLACE FUNCTION, the definition the migrations
// must leave in the database. PostgreSQL itself says whether a database holds what a file says:
// inside a transaction that is rolled back, each file is run and pg_get_functiondef before and
// after compared. So the header's layout and the comments outside the body do not count; any
// change in the body, the arguments, the result or an option does.
import fs from "node:fs";
import path from "node:path";

import type pg from "pg";

import { FUNCTIONS_DIR } from "../../app/platform/migrate.server";

export interface FunctionFile {
  name: string;
  path: string;
  sql: string;
}

export interface DatabaseFunction {
  name: string;
  /** The argument types as DROP FUNCTION takes them: `p_shop_id text, p_order jsonb`. */
  arguments: string;
  definition: string;
}

export interface FunctionChange {
  name: string;
  file: FunctionFile;
  /** What the database holds now, and what the file makes of it; `before` is absent for a new one. */
  before?: string;
  after: string;
}

export interface FunctionDrop {
  /** `name(argument types)`, as DROP FUNCTION takes it. */
  signature: string;
  /** The file whose function has another signature now; absent when the function has no file. */
  file?: FunctionFile;
}

/** What it takes to bring a database's functions to the files. */
export interface FunctionPlan {
  drop: FunctionDrop[];
  /** Files whose function is missing or differs, in file name order. */
  create: FunctionChange[];
}

const DECLARATION = /^\s*CREATE\s+OR\s+REPLACE\s+FUNCTION\s+("?)([a-z_][a-z0-9_]*)\1\s*\(/gim;

export function readFunctionFiles(dir: string = FUNCTIONS_DIR): FunctionFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((file) => {
      const name = file.slice(0, -".sql".length);
      const sql = fs.readFileSync(path.join(dir, file), "utf8");
      const declared = [...sql.matchAll(DECLARATION)].map((match) => match[2]);
      if (declared.length !== 1 || declared[0] !== name) {
        throw new Error(`${file} must hold one CREATE OR REPLACE FUNCTION ${name}(…), the function its name says`);
      }
      return { name, path: path.join(dir, file), sql };
    });
}

// Every function of the current schema that no extension owns (pg_trgm's live in public too).
const FUNCTIONS_QUERY = `
  SELECT p.proname AS name, pg_get_function_identity_arguments(p.oid) AS arguments,
         pg_get_functiondef(p.oid) AS definition
    FROM pg_proc AS p
   WHERE p.pronamespace = current_schema()::regnamespace AND p.prokind = 'f'
     AND NOT EXISTS (SELECT 1 FROM pg_depend AS d
                      WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
     AND ($1::text IS NULL OR p.proname = $1)
   ORDER BY p.proname, 2`;

export async function databaseFunctions(client: pg.ClientBase, name?: string): Promise<DatabaseFunction[]> {
  return (await client.query<DatabaseFunction>(FUNCTIONS_QUERY, [name ?? null])).rows;
}

export function signatureOf(fn: DatabaseFunction): string {
  return `${fn.name}(${fn.arguments})`;
}

async function runFile(client: pg.ClientBase, file: FunctionFile): Promise<DatabaseFunction[]> {
  // Sent as one simple query, so that PostgreSQL's parser counts the statements.
  const result: unknown = await client.query(file.sql);
  if (Array.isArray(result)) throw new Error(`${file.name}.sql must hold one statement, not ${result.length}`);
  return databaseFunctions(client, file.name);
}

/**
 * Compares the database's functions with the files, changing nothing (all is rolled back). Runs
 * in a transaction of its own on `client`.
 */
export async function planFunctions(client: pg.ClientBase, files: FunctionFile[]): Promise<FunctionPlan> {
  const plan: FunctionPlan = { drop: [], create: [] };
  await client.query("BEGIN");
  try {
    const before = await databaseFunctions(client);
    const named = new Set(files.map((file) => file.name));
    plan.drop.push(...before.filter((fn) => !named.has(fn.name)).map((fn) => ({ signature: signatureOf(fn) })));
    for (const file of files) {
      const existing = before.filter((fn) => fn.name === file.name);
      await client.query("SAVEPOINT perennial_function_file");
      let after: DatabaseFunction[] = [];
      let dropFirst = existing.length > 1; // one function a name: overloads go
      if (!dropFirst) {
        try {
          after = await runFile(client, file);
        } catch (error) {
          // 42P13: CREATE OR REPLACE cannot change the result type or the argument names.
          if ((error as { code?: string }).code !== "42P13" || existing.length === 0) throw error;
          await client.query("ROLLBACK TO SAVEPOINT perennial_function_file");
          dropFirst = true;
        }
      }
      if (!dropFirst && after.length > 1) {
        // New argument types made a second function beside the old one.
        await client.query("ROLLBACK TO SAVEPOINT perennial_function_file");
        dropFirst = true;
      }
      if (dropFirst) {
        for (const fn of existing) await client.query(`DROP FUNCTION ${signatureOf(fn)}`);
        after = await runFile(client, file);
        plan.drop.push(...existing.map((fn) => ({ signature: signatureOf(fn), file })));
      }
      await client.query("RELEASE SAVEPOINT perennial_function_file");
      const [made] = after;
      const previous = existing.length === 1 ? existing[0] : undefined;
      if (dropFirst || previous?.definition !== made.definition) {
        plan.create.push({ name: file.name, file, before: previous?.definition, after: made.definition });
      }
    }
  } catch (error) {
    throw new Error(`Comparing prisma/functions with the database failed: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    await client.query("ROLLBACK");
  }
  return plan;
}

/** The plan in words, one line a difference: empty when the database holds exactly the files. */
export function describePlan(plan: FunctionPlan): string[] {
  const lines = plan.drop.map(({ signature, file }) =>
    file
      ? `${signature}: ${path.basename(file.path)} gives it another signature (dropped first)`
      : `${signature}: in the database, but prisma/functions has no file for it`,
  );
  for (const change of plan.create) {
    if (change.before === undefined) {
      lines.push(`${path.basename(change.file.path)}: the database has no such function`);
      continue;
    }
    const before = change.before.split("\n");
    const after = change.after.split("\n");
    const line = before.findIndex((text, index) => text !== after[index]);
    const at = line === -1 ? after.length - 1 : line;
    lines.push(
      `${path.basename(change.file.path)} differs from the database at line ${at + 1} of pg_get_functiondef:\n` +
        `  database: ${before[at] ?? "(end)"}\n  file:     ${after[at] ?? "(end)"}`,
    );
  }
  return lines;
}

/** The SQL that brings a database from `plan` to the files: drops first, then the files as they are. */
export function functionsMigrationSql(plan: FunctionPlan): string {
  if (plan.drop.length === 0 && plan.create.length === 0) return "";
  const parts = [
    "-- The functions whose files in prisma/functions changed (docs/decisions/011-sql-functions-as-source-files.md).",
    ...plan.drop.map((drop) => `DROP FUNCTION ${drop.signature};`),
    ...plan.create.map((change) => change.file.sql.trim()),
  ];
  return parts.join("\n\n") + "\n";
}
