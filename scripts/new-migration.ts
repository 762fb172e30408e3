// Makes the next SQL migration from what changed since the newest one:
// - the schema: Prisma's JS schema engine cannot introspect PostgreSQL, so instead of diffing a
//   database we diff two datamodels: the schema snapshot the newest migration was made from
//   (prisma/migrations/schema.snapshot.prisma), and prisma/schema.prisma;
// - the functions: the existing migrations are applied to an in-memory PGlite, and each file in
//   prisma/functions whose function is not what the database holds is recreated (a function
//   without a file is dropped, one whose signature changed is dropped first).
// The SQL is tried on that database, then written to prisma/migrations/<timestamp>_<name>/ and
// the snapshot updated. Nothing is written when nothing changed. See
// docs/decisions/011-sql-functions-as-source-files.md. Usage: npm run db:new-migration -- <name>
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import pg from "pg";

import { startEmbeddedPostgres } from "../app/platform/embedded-postgres.server";
import {
  applyMigrations,
  FUNCTIONS_DIR,
  latestSchemaSnapshot,
  MIGRATIONS_DIR,
  readMigrations,
  SCHEMA_PATH,
  SNAPSHOT_FILE,
} from "../app/platform/migrate.server";

import { describePlan, functionsMigrationSql, planFunctions, readFunctionFiles } from "./lib/sql-functions";

export interface NewMigrationOptions {
  name: string;
  migrationsDir?: string;
  functionsDir?: string;
  schemaPath?: string;
  now?: Date;
  log?: (line: string) => void;
}

function schemaDiff(snapshot: string | undefined, schemaPath: string): string {
  if (snapshot && fs.readFileSync(snapshot, "utf8") === fs.readFileSync(schemaPath, "utf8")) return "";
  const sql = execFileSync(
    "prisma",
    [
      "migrate",
      "diff",
      ...(snapshot ? ["--from-schema-datamodel", snapshot] : ["--from-empty"]),
      "--to-schema-datamodel",
      schemaPath,
      "--script",
    ],
    {
      // Prisma reads the datasource block before it loads prisma.config.ts; this URL is never dialled.
      env: { ...process.env, DATABASE_URL: "postgresql://unused@127.0.0.1/unused" },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return /\S/.test(sql.replace(/^--.*$/gm, "")) ? sql.trim() : "";
}

// The folder's timestamp: now, but always after the newest migration's, so it sorts last.
function stamp(now: Date, newest: string | undefined): string {
  const format = (date: Date) => date.toISOString().replace(/\D/g, "").slice(0, 14);
  const previous = newest?.slice(0, 14);
  if (!previous || format(now) > previous) return format(now);
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(previous)!.map(Number);
  return format(new Date(Date.UTC(y, mo - 1, d, h, mi, s + 1)));
}

/** Writes the next migration and returns its folder, or undefined when nothing changed. */
export async function newMigration(options: NewMigrationOptions): Promise<string | undefined> {
  const migrationsDir = options.migrationsDir ?? MIGRATIONS_DIR;
  const schemaPath = options.schemaPath ?? SCHEMA_PATH;
  const log = options.log ?? console.log;
  const files = readFunctionFiles(options.functionsDir ?? FUNCTIONS_DIR);
  const schemaSql = schemaDiff(latestSchemaSnapshot(migrationsDir), schemaPath);

  const database = await startEmbeddedPostgres({ dataDir: "memory://" });
  const client = new pg.Client({ connectionString: database.connectionString });
  try {
    await applyMigrations(database.connectionString, { dir: migrationsDir });
    await client.connect();
    const plan = await planFunctions(client, files);
    const sql = [schemaSql, functionsMigrationSql(plan).trim()].filter(Boolean).join("\n\n");
    if (!sql) {
      log("The schema and prisma/functions match the newest migration: nothing to write.");
      return undefined;
    }
    for (const drop of plan.drop) log(`drop ${drop.signature}`);
    for (const change of plan.create) log(`${change.before === undefined ? "create" : "recreate"} ${change.name}`);

    const dir = path.join(
      migrationsDir,
      `${stamp(options.now ?? new Date(), readMigrations(migrationsDir).at(-1)?.name)}_${options.name}`,
    );
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), `${sql}\n`);
    if (schemaSql) fs.copyFileSync(schemaPath, path.join(migrationsDir, SNAPSHOT_FILE));
    log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);

    // Try it where it will run: after every existing migration. It must leave exactly the files.
    let problem: string;
    try {
      await client.query(sql);
      problem = describePlan(await planFunctions(client, files)).join("\n");
    } catch (error) {
      problem = (error as Error).message;
    }
    if (problem) {
      throw new Error(
        `${path.basename(dir)}/migration.sql does not bring a migrated database to the files: ${problem}\n` +
          "Edit it by hand (for example, drop a trigger before its function), then run test/platform/sql-functions.test.ts.",
      );
    }
    return dir;
  } finally {
    await client.end().catch(() => {});
    await database.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const name = (process.argv[2] ?? "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_|_$/g, "");
  if (!name) {
    console.error("Usage: npm run db:new-migration -- <name>   (for example: add_loyalty_accounts)");
    process.exit(2);
  }
  await newMigration({ name }).catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
