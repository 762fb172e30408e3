// A database that is already in use, migrated up to the migration before the newest and then
// upgraded, must end in the state of a fresh database migrated in one go: same tables, columns,
// constraints, indexes, triggers, functions and extensions. Runs on PGlite, and on PostgreSQL in
// `npm run test:postgres`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type pg from "pg";
import { describe, expect, it } from "vitest";

import { applyMigrations, MIGRATIONS_DIR, readMigrations } from "~/platform/migrate.server";

import { withConnection, withScratchDatabase } from "../helpers/scratch-database";

// The schema as the catalogs hold it, one line an object, in a stable order.
const CATALOG_QUERIES: Record<string, string> = {
  columns: `
    SELECT c.relkind::text || ' ' || c.relname || ': ' ||
           string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) ||
                      CASE WHEN a.attnotnull THEN ' not null' ELSE '' END ||
                      coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''), ', ' ORDER BY a.attnum)
      FROM pg_class AS c
      JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef AS d ON d.adrelid = c.oid AND d.adnum = a.attnum
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
     GROUP BY c.relkind, c.relname`,
  constraints: `
    SELECT conrelid::regclass::text || ' ' || conname || ': ' || pg_get_constraintdef(oid)
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace`,
  indexes: `SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'`,
  triggers: `
    SELECT pg_get_triggerdef(t.oid) FROM pg_trigger AS t JOIN pg_class AS c ON c.oid = t.tgrelid
     WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal`,
  functions: `
    SELECT pg_get_functiondef(p.oid) FROM pg_proc AS p
     WHERE p.pronamespace = 'public'::regnamespace AND p.prokind IN ('f', 'p')
       AND NOT EXISTS (SELECT 1 FROM pg_depend AS d
                        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`,
  extensions: `SELECT extname || ' ' || extversion FROM pg_extension`,
  sequences: `SELECT sequencename || ' ' || data_type FROM pg_sequences WHERE schemaname = 'public'`,
  types: `
    SELECT t.typname || ': ' || string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)
      FROM pg_type AS t JOIN pg_enum AS e ON e.enumtypid = t.oid
     WHERE t.typnamespace = 'public'::regnamespace GROUP BY t.typname`,
  migrations: `SELECT migration_name || ' ' || checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`,
};

async function catalog(url: string): Promise<Record<string, string[]>> {
  return withConnection(url, async (client) => {
    const dump: Record<string, string[]> = {};
    for (const [name, query] of Object.entries(CATALOG_QUERIES)) {
      const { rows } = await client.query<unknown[]>({ text: query, rowMode: "array" });
      dump[name] = rows.map((row) => String(row[0])).sort();
    }
    return dump;
  });
}

const SHOP = { id: "shop-upgrade", domain: "upgrade.myshopify.com" };

function order(shopifyId: number, processedAt: string) {
  return {
    shopifyId: String(shopifyId),
    name: `#${shopifyId}`,
    processedAt,
    updatedAt: processedAt,
    cancelledAt: null,
    test: false,
    currencyCode: "USD",
    financialStatus: "paid",
    fulfillmentStatus: null,
    discountCodes: [],
    customer: {
      shopifyId: "7001",
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "Lovelace",
      tags: ["vip"],
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: processedAt,
    },
    subtotal: "40.00",
    currentSubtotal: "40.00",
    discounts: "0.00",
    shipping: "5.00",
    tax: "0.00",
    total: "45.00",
    refunds: [],
  };
}

async function ingest(client: pg.Client, eventId: string, snapshot: ReturnType<typeof order>): Promise<void> {
  await client.query("SELECT perennial_ingest_order($1, $2, 'orders/create', $2, $3, $4::jsonb)", [
    SHOP.domain,
    eventId,
    SHOP.id,
    JSON.stringify(snapshot),
  ]);
}

// What a shop in use leaves behind: a customer (and its search row) from an order, a refund, and
// a loyalty member with a ledger entry.
async function useTheShop(client: pg.Client): Promise<void> {
  await client.query(`INSERT INTO "Shop" ("id", "shopDomain", "updatedAt") VALUES ($1, $2, now())`, [
    SHOP.id,
    SHOP.domain,
  ]);
  await ingest(client, "event-1", order(9001, "2026-11-01T10:00:00.000Z"));
  await client.query("SELECT perennial_apply_refund($1, $2::jsonb)", [
    SHOP.id,
    JSON.stringify({
      shopifyId: "8001",
      orderShopifyId: "9001",
      processedAt: "2026-11-02T10:00:00.000Z",
      amount: "10.00",
      merchandise: "10.00",
    }),
  ]);
  const { rows } = await client.query<{ id: string }>(`SELECT "id" FROM "Customer" WHERE "shopId" = $1`, [SHOP.id]);
  await client.query("BEGIN");
  await client.query("SELECT perennial_loyalty_state($1, $2, true)", [SHOP.id, rows[0].id]);
  await client.query("SELECT perennial_save_ledger_change($1, $2, $3::jsonb, NULL, $4::jsonb, $5)", [
    SHOP.id,
    rows[0].id,
    JSON.stringify([
      {
        customerId: rows[0].id,
        key: "order:9001",
        kind: "earn",
        points: 30,
        pendingPoints: 0,
        owedPoints: 0,
        occurredAt: "2026-11-01T10:00:00.000Z",
      },
    ]),
    JSON.stringify({ pointsBalance: 30, pendingPoints: 0, owedPoints: 0, tierId: null }),
    "2026-11-01T10:00:00.000Z",
  ]);
  await client.query("COMMIT");
}

describe("an existing database, upgraded by the newest migration", () => {
  it("ends in the same state as a fresh one, and keeps its data", async () => {
    const migrations = readMigrations();
    const newest = migrations.at(-1)!.name;
    const previous = fs.mkdtempSync(path.join(os.tmpdir(), "perennial-previous-migrations-"));
    try {
      for (const migration of migrations.slice(0, -1)) {
        fs.cpSync(path.join(MIGRATIONS_DIR, migration.name), path.join(previous, migration.name), { recursive: true });
      }
      const fresh = await withScratchDatabase(async (url) => {
        await applyMigrations(url);
        return catalog(url);
      });
      const upgraded = await withScratchDatabase(async (url) => {
        await applyMigrations(url, { dir: previous });
        await withConnection(url, useTheShop);
        expect((await applyMigrations(url)).applied).toEqual([newest]);
        // The rules after the upgrade work on the rows from before it.
        await withConnection(url, async (client) => {
          await ingest(client, "event-2", order(9002, "2026-11-20T10:00:00.000Z"));
          const { rows } = await client.query(
            `SELECT c."ordersCount", c."netRevenue"::text, a."pointsBalance", s."text"
               FROM "Customer" AS c
               JOIN "LoyaltyAccount" AS a ON a."customerId" = c."id"
               JOIN "CustomerSearch" AS s ON s."customerId" = c."id"`,
          );
          expect(rows).toEqual([
            { ordersCount: 2, netRevenue: "70.00", pointsBalance: 30, text: "Ada Lovelace\nada@example.com" },
          ]);
        });
        return catalog(url);
      });

      expect(upgraded).toEqual(fresh);
      for (const kind of ["columns", "constraints", "indexes", "triggers", "functions", "extensions"]) {
        expect(fresh[kind].length, kind).toBeGreaterThan(0);
      }
      expect(fresh.triggers.join("\n")).toContain("perennial_ledger_append_only");
    } finally {
      fs.rmSync(previous, { recursive: true, force: true });
    }
  });
});
