// The embedded database opens to this process only: no TCP port at all, and a Unix socket in a
// 0700 folder of its own, which another local user cannot reach.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import pg from "pg";
import { describe, expect, it } from "vitest";

import { SOCKET_FILE, startEmbeddedPostgres } from "~/platform/embedded-postgres.server";

// The TCP ports this process listens on (Linux: its socket inodes in /proc/net/tcp{,6}).
function listeningTcpPorts(): number[] {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync("/proc/self/fd")) {
    try {
      const link = fs.readlinkSync(`/proc/self/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, "utf8").trim().split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is fields[1] (ADDR:PORT, hex), st fields[3] (0A = LISTEN), inode fields[9].
      if (fields[3] === "0A" && inodes.has(fields[9])) ports.push(parseInt(fields[1].split(":")[1], 16));
    }
  }
  return ports;
}

// Connects to the socket as another user (nobody); resolves with what happened.
function connectAs(uid: number, socketPath: string): Promise<string> {
  const script = `require("net").connect(${JSON.stringify(socketPath)})
    .on("connect", () => { console.log("connected"); process.exit(0); })
    .on("error", (error) => { console.log(error.code); process.exit(0); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script], { uid, gid: uid, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.once("error", reject);
    child.once("exit", () => resolve(out.trim()));
  });
}

describe("the embedded database", () => {
  it("listens on no TCP port, only on a socket in a folder only this user may enter", async () => {
    const before = listeningTcpPorts();
    const database = await startEmbeddedPostgres({ dataDir: "memory://" });
    try {
      expect(listeningTcpPorts()).toEqual(before);
      expect(new URL(database.connectionString).searchParams.get("host")).toBe(database.socketDir);
      const dir = fs.statSync(database.socketDir);
      expect(dir.mode & 0o777).toBe(0o700);
      expect(dir.uid).toBe(process.getuid!());
      const socket = fs.statSync(path.join(database.socketDir, SOCKET_FILE));
      expect(socket.isSocket()).toBe(true);
      expect(socket.mode & 0o077).toBe(0);
      // This process gets in with the connection string, as Prisma, pg-boss and the migrations do.
      const client = new pg.Client({ connectionString: database.connectionString });
      await client.connect();
      expect((await client.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      await client.end();
    } finally {
      await database.stop();
    }
    expect(fs.existsSync(database.socketDir)).toBe(false);
  });

  it.runIf(process.getuid?.() === 0)("refuses another local user", async () => {
    const database = await startEmbeddedPostgres({ dataDir: "memory://" });
    try {
      // nobody: can neither enter the folder nor so much as see the socket.
      expect(await connectAs(65534, path.join(database.socketDir, SOCKET_FILE))).toBe("EACCES");
    } finally {
      await database.stop();
    }
  });

  it("keeps a folder's data and its lock as before, with the socket outside the folder", async () => {
    const dataDir = fs.mkdtempSync(path.join(fs.realpathSync("/tmp"), "perennial-embedded-test-"));
    try {
      const database = await startEmbeddedPostgres({ dataDir });
      try {
        expect(fs.existsSync(path.join(dataDir, "perennial.lock"))).toBe(true);
        const client = new pg.Client({ connectionString: database.connectionString });
        await client.connect();
        await client.query("CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)");
        await client.end();
      } finally {
        await database.stop();
      }
      const again = await startEmbeddedPostgres({ dataDir });
      try {
        const client = new pg.Client({ connectionString: again.connectionString });
        await client.connect();
        expect((await client.query("SELECT n FROM kept")).rows).toEqual([{ n: 7 }]);
        await client.end();
      } finally {
        await again.stop();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
