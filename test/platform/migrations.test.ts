import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import pg from "pg";
import { describe, expect, it } from "vitest";

import { databaseUrl, prisma, releaseConnections } from "~/db.server";
import { applyMigrations, latestSchemaSnapshot, readMigrations, SCHEMA_PATH } from "~/platform/migrate.server";

// The embedded database is one connection (one PGlite session): the app lets go of it before the
// applier or a raw client takes it, and reconnects on its next query.
async function exclusiveUrl(): Promise<string> {
  await releaseConnections();
  const url = await databaseUrl();
  // The server frees the slot a moment after the client closes: wait until it does.
  for (let attempt = 0; ; attempt++) {
    const probe = new pg.Client({ connectionString: url });
    try {
      await probe.connect();
      await probe.query("SELECT 1");
      await probe.end();
      return url;
    } catch (error) {
      await probe.end().catch(() => {});
      if (attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe("migrations", () => {
  it("apply twice without error, the second time applying nothing", async () => {
    const url = await exclusiveUrl();
    await applyMigrations(url); // the database may already be migrated: that is the point
    const again = await applyMigrations(url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(readMigrations().map((migration) => migration.name));
  });

  it("are recorded in _prisma_migrations as Prisma records them", async () => {
    const rows = await prisma.$queryRaw<
      {
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        applied_steps_count: number;
        rolled_back_at: Date | null;
      }[]
    >`SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name`;
    const files = readMigrations();
    expect(rows.map((row) => row.migration_name)).toEqual(files.map((file) => file.name));
    for (const [index, row] of rows.entries()) {
      const sql = fs.readFileSync(path.join("prisma/migrations", row.migration_name, "migration.sql"), "utf8");
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.checksum).toBe(files[index].checksum);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it("cover the whole schema: the newest migration was made from prisma/schema.prisma as it is", () => {
    const snapshot = latestSchemaSnapshot();
    expect(snapshot, "run `npm run db:new-migration -- <name>` after changing the schema").toBeDefined();
    expect(fs.readFileSync(snapshot!, "utf8")).toBe(fs.readFileSync(SCHEMA_PATH, "utf8"));
  });

  it("roll back a failing migration whole and record nothing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "perennial-migrations-"));
    try {
      fs.mkdirSync(path.join(dir, "20990101000000_broken"));
      fs.writeFileSync(
        path.join(dir, "20990101000000_broken", "migration.sql"),
        'CREATE TABLE "ShouldNotExist" (id int);\nSELECT * FROM "NoSuchTable";\n',
      );
      await expect(applyMigrations(await exclusiveUrl(), { dir })).rejects.toThrow(/20990101000000_broken failed/);
      const client = new pg.Client({ connectionString: await exclusiveUrl() });
      await client.connect();
      const table = await client.query(`SELECT to_regclass('"ShouldNotExist"') AS name`);
      const record = await client.query(
        `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '20990101000000_broken'`,
      );
      await client.end();
      expect(table.rows[0].name).toBeNull();
      expect(record.rowCount).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
