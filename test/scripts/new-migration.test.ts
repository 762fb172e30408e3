// `npm run db:new-migration` (scripts/new-migration.ts) on a copy of prisma/: it writes what
// changed since the newest migration, the schema and the function files, and nothing else.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { applyMigrations, FUNCTIONS_DIR, MIGRATIONS_DIR, readMigrations, SCHEMA_PATH } from "~/platform/migrate.server";

import { newMigration } from "../../scripts/new-migration";
import { describePlan, planFunctions, readFunctionFiles } from "../../scripts/lib/sql-functions";

import { withConnection, withScratchDatabase } from "../helpers/scratch-database";

let root: string;
const copy = () => ({
  migrationsDir: path.join(root, "migrations"),
  functionsDir: path.join(root, "functions"),
  schemaPath: path.join(root, "schema.prisma"),
  log: () => {},
});
const functionFile = (name: string) => path.join(root, "functions", `${name}.sql`);
const written = (dir: string) => fs.readFileSync(path.join(dir, "migration.sql"), "utf8");
const FUNCTIONS_HEADING =
  "-- The functions whose files in prisma/functions changed (docs/decisions/011-sql-functions-as-source-files.md).";

// A fresh database migrated from the copy must hold exactly the copy's function files.
async function functionsAfterMigrating(): Promise<string[]> {
  return withScratchDatabase(async (url) => {
    await applyMigrations(url, { dir: copy().migrationsDir });
    const files = readFunctionFiles(copy().functionsDir);
    return withConnection(url, async (client) => describePlan(await planFunctions(client, files)));
  });
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "perennial-new-migration-"));
  fs.cpSync(MIGRATIONS_DIR, path.join(root, "migrations"), { recursive: true });
  fs.cpSync(FUNCTIONS_DIR, path.join(root, "functions"), { recursive: true });
  fs.copyFileSync(SCHEMA_PATH, path.join(root, "schema.prisma"));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("npm run db:new-migration", () => {
  it("writes nothing when neither the schema nor a function file changed", async () => {
    const before = fs.readdirSync(copy().migrationsDir);
    expect(await newMigration({ name: "nothing", ...copy() })).toBeUndefined();
    expect(fs.readdirSync(copy().migrationsDir)).toEqual(before);
  });

  it("recreates exactly the function whose file changed, in a folder that sorts last", async () => {
    const file = functionFile("perennial_apply_refund");
    const sql = fs
      .readFileSync(file, "utf8")
      .replace("BEGIN\n", "BEGIN\n  -- The refund first: the order's money is summed from the stored refunds.\n");
    fs.writeFileSync(file, sql);
    const newest = readMigrations(copy().migrationsDir).at(-1)!.name;

    const dir = await newMigration({ name: "refund_note", now: new Date("2020-01-01T00:00:00Z"), ...copy() });
    expect(dir).toBeDefined();
    expect(written(dir!)).toBe(`${FUNCTIONS_HEADING}\n\n${sql.trim()}\n`);
    expect(
      readMigrations(copy().migrationsDir)
        .map((migration) => migration.name)
        .slice(-2),
    ).toEqual([newest, path.basename(dir!)]);
    expect(path.basename(dir!)).toMatch(/^\d{14}_refund_note$/);

    expect(await functionsAfterMigrating()).toEqual([]);
    expect(await newMigration({ name: "again", ...copy() })).toBeUndefined();
  });

  it("drops a function whose file is gone, and one whose signature changed before recreating it", async () => {
    fs.rmSync(functionFile("perennial_iso"));
    const renamed = fs.readFileSync(functionFile("perennial_utc"), "utf8").replace(/\bvalue\b/g, "p_value");
    fs.writeFileSync(functionFile("perennial_utc"), renamed);

    const dir = await newMigration({ name: "drops", ...copy() });
    expect(written(dir!)).toBe(
      [
        FUNCTIONS_HEADING,
        "DROP FUNCTION perennial_iso(value timestamp without time zone);",
        "DROP FUNCTION perennial_utc(value text);",
        renamed.trim(),
      ].join("\n\n") + "\n",
    );
    expect(await functionsAfterMigrating()).toEqual([]);
  });

  it("diffs the schema against the one snapshot and updates it", async () => {
    const schema = fs.readFileSync(copy().schemaPath, "utf8").replace(/^model Shop \{\n/m, "$&  note String?\n");
    fs.writeFileSync(copy().schemaPath, schema);

    const dir = await newMigration({ name: "shop_note", ...copy() });
    expect(written(dir!)).toMatch(/^-- AlterTable\nALTER TABLE "Shop" ADD COLUMN\s+"note" TEXT;\n$/);
    expect(fs.readFileSync(path.join(copy().migrationsDir, "schema.snapshot.prisma"), "utf8")).toBe(schema);
    expect(fs.readdirSync(dir!)).toEqual(["migration.sql"]);
  }, 120_000);

  it("refuses a change it cannot make safely, and writes nothing", async () => {
    // A trigger function that stops being one would have to be dropped with its trigger.
    const file = functionFile("perennial_ledger_append_only");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("RETURNS trigger", "RETURNS void"));
    const before = fs.readdirSync(copy().migrationsDir);
    await expect(newMigration({ name: "unsafe", ...copy() })).rejects.toThrow(/other objects depend on it/);
    expect(fs.readdirSync(copy().migrationsDir)).toEqual(before);
  });
});
