// Prisma's CLI runs its JS schema engine through a driver adapter, so it needs no downloaded
// engine binaries. We only use the CLI to generate the client and to render migration SQL
// (`prisma migrate diff`), and both work against throw-away in-memory PGlite databases:
// the main one and, for `--from-migrations`, a shadow one. Real databases are migrated by
// `npm run db:migrate` (docs/decisions/002-migration-applier.md).
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

import { startEmbeddedPostgres } from "./app/platform/embedded-postgres.server";

// The same embedded PostgreSQL as the app's, so the extensions the migrations create (pg_trgm)
// are loaded here too.
async function throwAwayDatabase() {
  const embedded = await startEmbeddedPostgres({ dataDir: "memory://", keepProcessAlive: false });
  return new PrismaPg({ connectionString: embedded.connectionString, max: 1 });
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    const main = await throwAwayDatabase();
    // PrismaPg would CREATE DATABASE for the shadow, which PGlite (one database) cannot do.
    return Object.assign(main, { connectToShadowDb: async () => (await throwAwayDatabase()).connect() });
  },
});
