// What the HTTP benchmarks share: a database to run against (DATABASE_URL, or an embedded PGlite
// in a temp folder) prepared before the app opens it, and the production app started on
// 127.0.0.1 as `npm start` would run it.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";

import { startEmbeddedPostgres } from "../../app/platform/embedded-postgres.server";
import { configOf } from "../../app/platform/env.server";
import { applyMigrations } from "../../app/platform/migrate.server";
import { ROOT } from "./build";
import { freePort } from "./free-port";

export interface BenchDatabase {
  env: Record<string, string>;
  label: "postgresql" | "pglite";
  cleanup: () => void;
}

/** Migrates the database and lets `prepare` write what the benchmark needs, then lets it go. */
export async function benchDatabase(prepare: (prisma: PrismaClient) => Promise<void>): Promise<BenchDatabase> {
  const url = configOf("DATABASE_URL").DATABASE_URL;
  const dataDir = url ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "perennial-bench-"));
  // PGlite's folder can be open in one process at a time: prepared here, closed before the app opens it.
  const embedded = dataDir ? await startEmbeddedPostgres({ dataDir }) : undefined;
  const connectionString = url ?? embedded!.connectionString;
  await applyMigrations(connectionString);
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 1 }) });
  await prepare(prisma);
  await prisma.$disconnect();
  await embedded?.stop();
  return {
    // The benchmarks run the production server: on the embedded database only by opting in.
    env: url ? { DATABASE_URL: url } : { PERENNIAL_DATA_DIR: dataDir!, PERENNIAL_EMBEDDED_DATABASE: "1" },
    label: url ? "postgresql" : "pglite",
    cleanup: () => dataDir && fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

export interface BenchApp {
  port: number;
  server: ChildProcess;
  stop: () => Promise<void>;
}

/** The production server on a free port of 127.0.0.1, resolved once it listens. */
export async function startBenchApp(
  database: BenchDatabase,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<BenchApp> {
  const port = await freePort();
  const server = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "server.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...database.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve());
    server.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    port,
    server,
    stop: async () => {
      server.kill("SIGTERM");
      await new Promise((resolve) => server.once("exit", resolve));
      database.cleanup();
    },
  };
}
