// Embedded PostgreSQL (PGlite, Postgres compiled to WebAssembly) behind its socket server, so
// the app talks to it through @prisma/adapter-pg exactly as it would to a real server.
// See docs/decisions/001-embedded-postgres.md.
import fs from "node:fs";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedPostgres {
  connectionString: string;
  dataDir: string;
  stop(): Promise<void>;
}

const LOCK_FILE = "perennial.lock";

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// PGlite is single-process: a second process opening the same folder would corrupt it.
function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(fs.readFileSync(lockPath, "utf8"));
      if (holder && holder !== process.pid && isRunning(holder)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${holder}. ` +
            "Stop that process, or set DATABASE_URL to use a PostgreSQL server.",
        );
      }
      fs.rmSync(lockPath, { force: true }); // stale lock from a process that died
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  // A CLI that must exit when its work is done (Prisma's) cannot call stop(): let it exit anyway.
  keepProcessAlive?: boolean;
}): Promise<EmbeddedPostgres> {
  const inMemory = options.dataDir.startsWith("memory://");
  const dataDir = inMemory ? options.dataDir : path.resolve(options.dataDir);
  const unlock = inMemory ? () => {} : lockDataDir(dataDir);
  try {
    // The contrib extensions the migrations create must be loaded into PGlite's WebAssembly
    // build first: pg_trgm for the Customers search (migration *_customer_search).
    const db = await PGlite.create(dataDir, { extensions: { pg_trgm } });
    // The socket server multiplexes connections onto PGlite's one session, dispatching only the
    // open transaction's connection until it ends, so Prisma, the job queue and the migration
    // applier can each hold a connection.
    const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 16 });
    await server.start();
    if (options.keepProcessAlive === false) {
      // The socket server exposes no unref(); its listening net.Server is the one open handle.
      (server as unknown as { server?: { unref(): void } }).server?.unref();
    }
    const connection = server.getServerConn();
    let stopped = false;
    return {
      connectionString: `postgresql://postgres:postgres@${connection}/postgres?sslmode=disable`,
      dataDir,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.stop();
        await db.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
