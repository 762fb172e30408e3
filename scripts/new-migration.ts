// Makes the next SQL migration from a schema change. Prisma's JS schema engine cannot introspect
// PostgreSQL, so instead of diffing a database we diff two datamodels: the schema snapshot the
// newest migration was made from (prisma/migrations/schema.snapshot.prisma), and
// prisma/schema.prisma. The SQL is written to prisma/migrations/<timestamp>_<name>/ and the
// snapshot updated. Usage: npm run db:new-migration -- <name>
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { latestSchemaSnapshot, MIGRATIONS_DIR, SCHEMA_PATH, SNAPSHOT_FILE } from "../app/lib/migrate.server";

const name = (process.argv[2] ?? "")
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, "_")
  .replace(/^_|_$/g, "");
if (!name) {
  console.error("Usage: npm run db:new-migration -- <name>   (for example: add_loyalty_accounts)");
  process.exit(2);
}

const previous = latestSchemaSnapshot();
const sql = execFileSync(
  "prisma",
  [
    "migrate",
    "diff",
    ...(previous ? ["--from-schema-datamodel", previous] : ["--from-empty"]),
    "--to-schema-datamodel",
    SCHEMA_PATH,
    "--script",
  ],
  {
    // Prisma reads the datasource block before it loads prisma.config.ts; this URL is never dialled.
    env: { ...process.env, DATABASE_URL: "postgresql://unused@127.0.0.1/unused" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  },
);

if (!/\S/.test(sql.replace(/^--.*$/gm, ""))) {
  console.log("The schema matches the newest migration: nothing to write.");
} else {
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "migration.sql"), sql);
  fs.copyFileSync(SCHEMA_PATH, path.join(MIGRATIONS_DIR, SNAPSHOT_FILE));
  console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
}
