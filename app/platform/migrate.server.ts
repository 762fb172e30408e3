// Applies prisma/migrations/*/migration.sql in order and records each in `_prisma_migrations`
// exactly as `prisma migrate deploy` does, so either tool can take over from the other.
// We need our own applier because Prisma's JS schema engine cannot run `migrate deploy`
// against PostgreSQL (docs/decisions/002-migration-applier.md).
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import pg from "pg";

export const SCHEMA_PATH = path.resolve(import.meta.dirname, "../../prisma/schema.prisma");
export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");
// The schema the newest migration was made from, so the next one can be diffed datamodel to
// datamodel; one file for all migrations (Prisma reads only the folders in this directory).
export const SNAPSHOT_FILE = "schema.snapshot.prisma";
// The PostgreSQL functions, one file each: what the migrations leave in the database
// (docs/decisions/011-sql-functions-as-source-files.md).
export const FUNCTIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/functions");

// The advisory lock key Prisma Migrate takes, so our applier and Prisma's never run at once.
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

export function readMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      // Prisma's checksum: SHA-256 of the file's text, hex.
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

export function latestSchemaSnapshot(dir: string = MIGRATIONS_DIR): string | undefined {
  const snapshot = path.join(dir, SNAPSHOT_FILE);
  return fs.existsSync(snapshot) ? snapshot : undefined;
}

export async function applyMigrations(
  connectionString: string,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrationResult> {
  const log = options.log ?? (() => {});
  const migrations = readMigrations(options.dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  const result: MigrationResult = { applied: [], alreadyApplied: [] };
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }>(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`);
    const recorded = new Map(rows.filter((row) => row.rolled_back_at === null).map((row) => [row.migration_name, row]));

    for (const migration of migrations) {
      const previous = recorded.get(migration.name);
      if (previous?.finished_at) {
        if (previous.checksum !== migration.checksum) {
          log(`warning: ${migration.name} was edited after it was applied (checksum differs)`);
        }
        result.alreadyApplied.push(migration.name);
        continue;
      }
      if (previous) {
        throw new Error(
          `Migration ${migration.name} started earlier but never finished. Repair the database, then mark it ` +
            "rolled back (`prisma migrate resolve --rolled-back`) before applying again.",
        );
      }
      // Unlike Prisma we wrap each migration and its record in one transaction: PostgreSQL DDL is
      // transactional, so a failing migration leaves neither half-applied schema nor a failed row.
      await client.query("BEGIN");
      try {
        const startedAt = new Date();
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations"
             (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
          [randomUUID(), migration.checksum, migration.name, startedAt],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      log(`applied ${migration.name}`);
      result.applied.push(migration.name);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_KEY]).catch(() => {});
    await client.end();
  }
  return result;
}
