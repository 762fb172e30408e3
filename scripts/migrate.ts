// Applies the SQL migrations to DATABASE_URL, or to the embedded database when it is unset.
// Safe to run any number of times (docs/decisions/002-migration-applier.md).
import { configOf } from "../app/platform/env.server";
import { startEmbeddedPostgres } from "../app/platform/embedded-postgres.server";
import { applyMigrations } from "../app/platform/migrate.server";

const { DATABASE_URL: url, PERENNIAL_DATA_DIR: dataDir } = configOf("DATABASE_URL", "PERENNIAL_DATA_DIR");
const embedded = url ? undefined : await startEmbeddedPostgres({ dataDir });
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
