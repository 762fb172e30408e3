// Applies the SQL migrations to DATABASE_URL, or to the embedded database when it is unset.
// Safe to run any number of times (docs/decisions/002-migration-applier.md).
import { embeddedDataDir } from "../app/platform/env.server";
import { startEmbeddedPostgres } from "../app/platform/embedded-postgres.server";
import { applyMigrations } from "../app/platform/migrate.server";

const url = process.env.DATABASE_URL;
const embedded = url ? undefined : await startEmbeddedPostgres({ dataDir: embeddedDataDir() });
try {
  const target = url ?? embedded!.connectionString;
  const result = await applyMigrations(target, { log: (line) => console.log(line) });
  console.log(
    `${url ? "PostgreSQL" : `Embedded database (${embedded!.dataDir})`}: ` +
      `${result.applied.length} applied, ${result.alreadyApplied.length} already applied.`,
  );
} finally {
  await embedded?.stop();
}
