// The business rules that SQL must repeat, each tied here to its one definition in app/core: a
// change to either side that the other does not follow fails this file.
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import prisma from "~/db.server";
import { AT_RISK, atRiskSql, isAtRisk } from "~/core/metrics/at-risk";
import { countedOrderSql, isCountedOrder } from "~/core/orders/net-revenue";
import { orderWebhookSchema } from "~/core/orders/snapshot";
import { parseExactJson } from "~/platform/exact-json";
import { FUNCTIONS_DIR } from "~/platform/migrate.server";
import { applyOrderSnapshot, deleteOrder } from "~/sync/orders.server";
import { ensureShop } from "~/sync/shops.server";

import { orderPayload, shopifyJson } from "../helpers/orders";
import { uniqueShop } from "../helpers/shopify";

const FLAGS = [false, true];
const EVERY_KIND = FLAGS.flatMap((cancelled) =>
  FLAGS.flatMap((test) => FLAGS.map((deleted) => ({ cancelled, test, deleted }))),
);

describe("a counted order", () => {
  it("is the same in core, in the rollups the ingest functions keep, and in countedOrderSql", async () => {
    const shop = await ensureShop(uniqueShop("rules"));
    const customerId = 7_100_000_000_001n;
    for (const [index, kind] of EVERY_KIND.entries()) {
      const orderId = 7_200_000_000_000n + BigInt(index);
      const payload = orderPayload({
        id: orderId,
        updatedAt: "2026-03-01T10:00:00Z",
        processedAt: `2026-02-${String(index + 1).padStart(2, "0")}T10:00:00Z`,
        customer: { id: customerId },
        subtotalCents: 1_000 * (index + 1),
        cancelledAt: kind.cancelled ? "2026-02-20T10:00:00Z" : null,
        test: kind.test,
      });
      const snapshot = orderWebhookSchema.parse(parseExactJson(shopifyJson(payload)));
      await prisma.$transaction(async (tx) => {
        await applyOrderSnapshot(tx, shop.id, snapshot);
        if (kind.deleted) await deleteOrder(tx, shop.id, orderId);
      });
    }

    const counted = EVERY_KIND.map((kind, index) => ({ kind, index })).filter(({ kind }) => isCountedOrder(kind));
    expect(counted).toHaveLength(1);
    const customer = await prisma.customer.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId: shop.id, shopifyId: customerId } },
    });
    expect(customer.ordersCount).toBe(counted.length);
    expect(Number(customer.netRevenue)).toBe(counted.reduce((sum, { index }) => sum + 10 * (index + 1), 0));

    const selected = await prisma.$queryRawUnsafe<{ shopifyId: bigint }[]>(
      `SELECT o."shopifyId" FROM "Order" o WHERE o."shopId" = $1 AND ${countedOrderSql("o")} ORDER BY 1`,
      shop.id,
    );
    expect(selected.map((row) => row.shopifyId)).toEqual(
      counted.map(({ index }) => 7_200_000_000_000n + BigInt(index)),
    );
  });
});

describe("a counted order in the SQL function files", () => {
  it("is written as countedOrderSql wherever a function filters orders on it", () => {
    let uses = 0;
    for (const file of fs.readdirSync(FUNCTIONS_DIR).filter((name) => name.endsWith(".sql"))) {
      const text = fs.readFileSync(path.join(FUNCTIONS_DIR, file), "utf8");
      for (const match of text.matchAll(/(\w+)\."cancelledAt" IS NULL/g)) {
        const line = text.slice(text.lastIndexOf("\n", match.index) + 1, text.indexOf("\n", match.index));
        expect(line, `${file}: ${line.trim()}`).toContain(countedOrderSql(match[1]));
        uses++;
      }
    }
    expect(uses).toBeGreaterThan(0);
  });
});

describe("at risk", () => {
  it("the Customers list's partial index has exactly core's condition", async () => {
    const indexPredicate = async (name: string) => {
      const [row] = await prisma.$queryRaw<{ predicate: string }[]>`
        SELECT pg_get_expr(i.indpred, i.indrelid) AS predicate
          FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE c.relname = ${name}`;
      return row?.predicate;
    };
    const real = await indexPredicate("Customer_atRisk_shopId_lastOrderAt_id_idx");
    expect(real).toBeTruthy();
    // PostgreSQL prints a predicate in its own normal form: build one from core's condition and
    // compare the two as PostgreSQL prints them.
    let fromCore: string | undefined;
    await prisma
      .$transaction(async (tx) => {
        await tx.$executeRawUnsafe(
          `CREATE INDEX "perennial_rule_check" ON "Customer" ("shopId") WHERE ${atRiskSql('"Customer"')}`,
        );
        const [row] = await tx.$queryRaw<{ predicate: string }[]>`
          SELECT pg_get_expr(i.indpred, i.indrelid) AS predicate
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
           WHERE c.relname = 'perennial_rule_check'`;
        fromCore = row.predicate;
        throw new Error("roll back");
      })
      .catch((error: Error) => {
        if (error.message !== "roll back") throw error;
      });
    expect(fromCore).toBe(real);
  });

  it("isAtRisk and atRiskSql agree on the boundaries", async () => {
    const cases = [
      { clvPercentile: AT_RISK.minClvPercentile, probabilityAlive: AT_RISK.maxProbabilityAlive - 0.01 },
      { clvPercentile: AT_RISK.minClvPercentile - 0.01, probabilityAlive: 0.1 },
      { clvPercentile: 99, probabilityAlive: AT_RISK.maxProbabilityAlive },
      { clvPercentile: 99, probabilityAlive: null },
      { clvPercentile: null, probabilityAlive: 0.1 },
    ];
    for (const scores of cases) {
      const [row] = await prisma.$queryRawUnsafe<{ atRisk: boolean | null }[]>(
        `SELECT ${atRiskSql("c")} AS "atRisk" FROM (SELECT $1::float8 AS "clvPercentile", $2::float8 AS "probabilityAlive") c`,
        scores.clvPercentile,
        scores.probabilityAlive,
      );
      expect(row.atRisk === true, JSON.stringify(scores)).toBe(isAtRisk(scores));
    }
  });
});
