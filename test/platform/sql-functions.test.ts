// prisma/functions holds each PostgreSQL function once (decision 011). On the database the
// migrations made (PGlite, or PostgreSQL in `npm run test:postgres`), every function must be what
// its file says, and nothing else may be there.
import type pg from "pg";
import { describe, expect, it } from "vitest";

import { databasePool } from "~/db.server";

import {
  databaseFunctions,
  describePlan,
  planFunctions,
  readFunctionFiles,
  type FunctionFile,
  type FunctionPlan,
} from "../../scripts/lib/sql-functions";

async function withClient<T>(use: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await (await databasePool()).connect();
  try {
    return await use(client);
  } finally {
    client.release();
  }
}

const plan = (files: FunctionFile[]): Promise<FunctionPlan> => withClient((client) => planFunctions(client, files));

function edit(files: FunctionFile[], name: string, change: (sql: string) => string): FunctionFile[] {
  return files.map((file) => {
    if (file.name !== name) return file;
    const sql = change(file.sql);
    expect(sql, `the edit of ${name}.sql changed nothing`).not.toBe(file.sql);
    return { ...file, sql };
  });
}

describe("prisma/functions", () => {
  it("hold exactly the functions the migrations leave in the database, as pg_get_functiondef gives them", async () => {
    const files = readFunctionFiles();
    expect(files.map((file) => file.name)).toContain("perennial_apply_order");
    const database = await withClient((client) => databaseFunctions(client));
    expect(database.map((fn) => fn.name)).toEqual(files.map((file) => file.name));
    expect(describePlan(await plan(files)), "run `npm run db:new-migration -- <name>`").toEqual([]);
  });

  it("fail on any change in a function's body, and on nothing outside it", async () => {
    const files = readFunctionFiles();
    const spaced = edit(files, "perennial_refresh_rollups", (sql) =>
      sql.replace("ORDER BY id LOOP", "ORDER BY id  LOOP"),
    );
    const changed = await plan(spaced);
    expect(changed.drop).toEqual([]);
    expect(changed.create.map((change) => change.name)).toEqual(["perennial_refresh_rollups"]);
    expect(describePlan(changed)[0]).toMatch(
      /perennial_refresh_rollups\.sql differs .*\n.*ORDER BY id LOOP\n.*ORDER BY id {2}LOOP/,
    );

    const commented = edit(files, "perennial_utc", (sql) => sql.replace("  SELECT", "  -- a note\n  SELECT"));
    expect((await plan(commented)).create.map((change) => change.name)).toEqual(["perennial_utc"]);

    const stricter = edit(files, "perennial_new_id", (sql) => sql.replace("VOLATILE", "STABLE"));
    expect((await plan(stricter)).create.map((change) => change.name)).toEqual(["perennial_new_id"]);

    // The header's layout and the comments before it are the reader's, not the database's.
    const reworded = edit(files, "perennial_utc", (sql) =>
      sql
        .replace(/^--.*\n/, "-- Reworded.\n")
        .replace("\nRETURNS", " RETURNS")
        .replace("\nLANGUAGE", "  LANGUAGE"),
    );
    expect(describePlan(await plan(reworded))).toEqual([]);
  });

  it("fail on a function without a file and on a file without a function", async () => {
    const files = readFunctionFiles();
    const extra: FunctionFile = {
      name: "perennial_extra",
      path: "prisma/functions/perennial_extra.sql",
      sql: "CREATE OR REPLACE FUNCTION perennial_extra() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n",
    };
    const result = await plan([...files.filter((file) => file.name !== "perennial_iso"), extra]);
    expect(describePlan(result)).toEqual([
      "perennial_iso(value timestamp without time zone): in the database, but prisma/functions has no file for it",
      "perennial_extra.sql: the database has no such function",
    ]);
  });

  it("drop a function first when its file changes its signature, and leave the database as it was", async () => {
    const before = await withClient((client) => databaseFunctions(client));
    const files = readFunctionFiles();
    // Argument names CREATE OR REPLACE cannot change, and argument types that would make a second function.
    const renamed = edit(files, "perennial_customer_search_text", (sql) => sql.replace(/\bemail\b/g, "e_mail"));
    const retyped = edit(renamed, "perennial_iso", (sql) => sql.replace("(value timestamp)", "(value timestamptz)"));
    const result = await plan(retyped);
    expect(result.drop.map((drop) => [drop.signature, drop.file?.name])).toEqual([
      ["perennial_customer_search_text(first_name text, last_name text, email text)", "perennial_customer_search_text"],
      ["perennial_iso(value timestamp without time zone)", "perennial_iso"],
    ]);
    expect(result.create.map((change) => change.name)).toEqual(["perennial_customer_search_text", "perennial_iso"]);
    expect(result.create[1].after).toContain("perennial_iso(value timestamp with time zone)");
    expect(await withClient((client) => databaseFunctions(client))).toEqual(before);
  });

  it("refuse a file that holds more than its one function", async () => {
    const files = readFunctionFiles();
    const twice = edit(files, "perennial_new_id", (sql) => `${sql}\nSELECT 1;\n`);
    await expect(plan(twice)).rejects.toThrow(/perennial_new_id\.sql must hold one statement, not 2/);
  });
});
