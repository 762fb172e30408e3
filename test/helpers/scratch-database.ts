// An empty database of a test's own, for migrating from scratch: an in-memory PGlite, or with
// DATABASE_URL (`npm run test:postgres`) a new database on that server, dropped afterwards.
import { randomUUID } from "node:crypto";

import pg from "pg";

import { startEmbeddedPostgres } from "~/platform/embedded-postgres.server";

export async function withScratchDatabase<T>(use: (url: string) => Promise<T>): Promise<T> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const database = await startEmbeddedPostgres({ dataDir: "memory://" });
    try {
      return await use(database.connectionString);
    } finally {
      await database.stop();
    }
  }
  const name = `perennial_scratch_${randomUUID().replace(/-/g, "")}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    return await use(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

export async function withConnection<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
