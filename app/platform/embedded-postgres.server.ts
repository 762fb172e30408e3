// Embedded PostgreSQL (PGlite, Postgres compiled to WebAssembly) behind its socket server, so
// the app talks to it through @prisma/adapter-pg exactly as it would to a real server.
// See docs/decisions/001-embedded-postgres.md.
//
// The socket server authenticates no one (any user name and password will do), and the Session
// table behind it holds every shop's access token. So it listens on no TCP port, only on a Unix
// socket in a folder of its own that only this process's user may enter (0700): no other local
// user can reach it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedPostgres {
  connectionString: string;
  dataDir: string;
  /** The 0700 folder holding the Unix socket, the only way in. */
  socketDir: string;
  stop(): Promise<void>;
}

const LOCK_FILE = "perennial.lock";
// The file name libpq and node-postgres look for in a socket folder (port 5432).
export const SOCKET_FILE = ".s.PGSQL.5432";

// Socket folders to remove however the process ends (Prisma's CLI never calls stop()).
const socketDirs = new Set<string>();
let removeOnExit = false;

/** A new folder for the socket, 0700, in the system's temp folder (a data folder's path may be
 * longer than the 107 bytes a socket path may have). */
function privateSocketDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "perennial-db-"));
  fs.chmodSync(dir, 0o700);
  socketDirs.add(dir);
  if (!removeOnExit) {
    removeOnExit = true;
    process.once("exit", () => {
      for (const socketDir of socketDirs) fs.rmSync(socketDir, { recursive: true, force: true });
    });
  }
  return dir;
}

function removeSocketDir(dir: string) {
  socketDirs.delete(dir);
  fs.rmSync(dir, { recursive: true, force: true });
}

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
  const socketDir = privateSocketDir();
  try {
    // The contrib extensions the migrations create must be loaded into PGlite's WebAssembly
    // build first: pg_trgm for the Customers search (migration *_customer_search).
    const db = await PGlite.create(dataDir, { extensions: { pg_trgm } });
    // The socket server multiplexes connections onto PGlite's one session, dispatching only the
    // open transaction's connection until it ends, so Prisma, the job queue and the migration
    // applier can each hold a connection.
    const socketPath = path.join(socketDir, SOCKET_FILE);
    const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 16 });
    await server.start();
    fs.chmodSync(socketPath, 0o600);
    if (options.keepProcessAlive === false) {
      // The socket server exposes no unref(); its listening net.Server is the one open handle.
      (server as unknown as { server?: { unref(): void } }).server?.unref();
    }
    let stopped = false;
    return {
      // node-postgres (and so Prisma's adapter and pg-boss) reads `host` as the socket's folder.
      connectionString: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}`,
      dataDir,
      socketDir,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.stop();
        await db.close();
        removeSocketDir(socketDir);
        unlock();
      },
    };
  } catch (error) {
    removeSocketDir(socketDir);
    unlock();
    throw error;
  }
}
