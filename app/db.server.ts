// The one Prisma client. With DATABASE_URL it talks to that PostgreSQL server; without it, to an
// embedded PGlite database started in this process (docs/decisions/001-embedded-postgres.md).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";

import { configOf } from "~/platform/env.server";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "~/platform/embedded-postgres.server";
import { applyMigrations } from "~/platform/migrate.server";

interface Database {
  prisma: PrismaClient;
  /** Prisma's own connection pool, for the few hot paths that skip Prisma (webhook ingest). */
  pool: () => Promise<pg.Pool>;
  connectionString: () => Promise<string>;
  embedded: Promise<EmbeddedPostgres> | undefined;
}

// The pool is ours, not Prisma's: Prisma disconnecting and reconnecting keeps using it, and
// disconnectDatabase ends it. A connection that fails while idle is logged; the pool replaces it.
function createPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on("error", (error) => console.error("[database] an idle connection failed", error));
  return pool;
}

function createDatabase(): Database {
  const settings = configOf("DATABASE_URL", "DATABASE_POOL_SIZE", "PERENNIAL_DATA_DIR");
  const url = settings.DATABASE_URL;
  if (url) {
    const pool = createPool(url, settings.DATABASE_POOL_SIZE);
    return {
      prisma: new PrismaClient({ adapter: new PrismaPg(pool) }),
      pool: async () => pool,
      connectionString: async () => url,
      embedded: undefined,
    };
  }
  const dataDir = settings.PERENNIAL_DATA_DIR;
  const embedded = startEmbeddedPostgres({ dataDir }).then(async (database) => {
    // An embedded database is private to this process, so it is always brought up to date here.
    await applyMigrations(database.connectionString);
    return database;
  });
  // PrismaPg needs its URL up front, but PGlite's port is known only once it starts: defer the
  // real adapter's connect() until then. PGlite is one connection: max 1.
  const pool = embedded.then(({ connectionString }) => createPool(connectionString, 1));
  let delegate: PrismaPg | undefined;
  const adapter = new PrismaPg({ connectionString: "postgresql://embedded" });
  const connect = async () => {
    delegate ??= new PrismaPg(await pool);
    return delegate.connect();
  };
  Object.assign(adapter, { connect });
  // Close the data folder cleanly (and release its lock) when the process is asked to stop.
  const stopAndExit = () => {
    void embedded
      .then((database) => database.stop())
      .catch(() => {})
      .finally(() => process.exit(0));
  };
  process.once("SIGTERM", stopAndExit);
  process.once("SIGINT", stopAndExit);
  return {
    prisma: new PrismaClient({ adapter }),
    pool: () => pool,
    connectionString: async () => (await embedded).connectionString,
    embedded,
  };
}

declare global {
  var perennialDatabase: Database | undefined;
}

// One client per process, surviving Vite's module reloads in development.
const database = (globalThis.perennialDatabase ??= createDatabase());

export const prisma = database.prisma;
export default prisma;

export async function databasePool(): Promise<pg.Pool> {
  return database.pool();
}

export async function databaseUrl(): Promise<string> {
  return database.connectionString();
}

/**
 * Closes every idle connection, so that another client can take the embedded database's one
 * session (the migration tests). Prisma and the pool reconnect on their next query.
 */
export async function releaseConnections(): Promise<void> {
  await prisma.$disconnect();
  const pool = await database.pool();
  while (pool.idleCount > 0) (await pool.connect()).release(true);
}

export async function disconnectDatabase(): Promise<void> {
  await prisma.$disconnect();
  const pool = await database.pool();
  if (!pool.ending) await pool.end();
  if (database.embedded) await (await database.embedded).stop();
  globalThis.perennialDatabase = undefined;
}
