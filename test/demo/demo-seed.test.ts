import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import prisma from "~/db.server";
import { DEMO_HISTORY, generateSyntheticHistory } from "~/demo/synthetic-history";
import { seedDemoLoyalty, seedDemoStore } from "~/demo/demo-store.server";
import { auditLoyalty } from "~/loyalty/audit.server";

const DAY = 86_400_000;

async function databaseDigest(shopDomain: string): Promise<string> {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { shopDomain } });
  const customers = await prisma.customer.findMany({
    where: { shopId: shop.id },
    orderBy: { shopifyId: "asc" },
    select: {
      shopifyId: true,
      email: true,
      ordersCount: true,
      firstOrderAt: true,
      lastOrderAt: true,
      netRevenue: true,
    },
  });
  const orders = await prisma.order.findMany({
    where: { shopId: shop.id },
    orderBy: { shopifyId: "asc" },
    select: {
      shopifyId: true,
      customer: { select: { shopifyId: true } },
      processedAt: true,
      subtotal: true,
      netRevenue: true,
      totalRefunded: true,
      cancelledAt: true,
      test: true,
    },
  });
  const text = JSON.stringify([customers, orders], (_key, value) =>
    typeof value === "bigint" ? value.toString() : value,
  );
  return createHash("sha256").update(text).digest("hex");
}

describe("the demo store's synthetic history", () => {
  const history = generateSyntheticHistory();

  it("is the same for the same seed and different for another", () => {
    const again = generateSyntheticHistory();
    expect(again).toEqual(history);
    const other = generateSyntheticHistory({ ...DEMO_HISTORY, seed: DEMO_HISTORY.seed + 1 });
    expect(other.orders.length).not.toBe(history.orders.length);
  });

  it("is the size the demo promises, over 24 months, with every kind of order", () => {
    expect(history.customers.length).toBeGreaterThanOrEqual(5000);
    expect(history.orders.length).toBeGreaterThanOrEqual(15000);
    const times = history.orders.map((order) => order.processedAt.getTime());
    const span = (Math.max(...times) - Math.min(...times)) / DAY;
    expect(span).toBeGreaterThan(700);
    expect(span).toBeLessThanOrEqual(24 * 31);
    expect(history.orders.filter((order) => order.customerShopifyId === null).length).toBeGreaterThan(500);
    expect(history.orders.filter((order) => order.refundedCents > 0).length).toBeGreaterThan(100);
    expect(history.orders.filter((order) => order.cancelled).length).toBeGreaterThan(100);
    expect(history.orders.filter((order) => order.test).length).toBeGreaterThan(10);
    expect(history.orders.filter((order) => order.subtotalCents === 0).length).toBeGreaterThan(0);
  });

  it("comes from a buying process where customers differ and some stop", () => {
    const ordersByCustomer = new Map<bigint, number>();
    for (const order of history.orders) {
      if (order.customerShopifyId !== null)
        ordersByCustomer.set(order.customerShopifyId, (ordersByCustomer.get(order.customerShopifyId) ?? 0) + 1);
    }
    const counts = [...ordersByCustomer.values()];
    const repeatRate = counts.filter((count) => count > 1).length / counts.length;
    expect(repeatRate).toBeGreaterThan(0.25);
    expect(repeatRate).toBeLessThan(0.65);
    expect(Math.max(...counts)).toBeGreaterThan(10);
    // Customers who bought more than once but not in the last six months: lapsed.
    const end = DEMO_HISTORY.end.getTime();
    const lastOrder = new Map<bigint, number>();
    for (const order of history.orders) {
      if (order.customerShopifyId !== null) lastOrder.set(order.customerShopifyId, order.processedAt.getTime());
    }
    const lapsedRepeaters = [...lastOrder.entries()].filter(
      ([customer, last]) => (ordersByCustomer.get(customer) ?? 0) > 1 && end - last > 180 * DAY,
    );
    expect(lapsedRepeaters.length).toBeGreaterThan(100);
  });
});

describe("seeding the demo store", () => {
  it("writes the same rows every time and skips a store that already holds them", async () => {
    const shopDomain = "seed-test.myshopify.com";
    const first = await seedDemoStore(DEMO_HISTORY, shopDomain);
    expect(first).toMatchObject({ seeded: true, customers: expect.any(Number), orders: expect.any(Number) });
    const digest = await databaseDigest(shopDomain);

    const second = await seedDemoStore(DEMO_HISTORY, shopDomain);
    expect(second.seeded).toBe(false);
    expect(await databaseDigest(shopDomain)).toBe(digest);

    // A damaged store is rebuilt to exactly the same rows.
    const shop = await prisma.shop.findUniqueOrThrow({ where: { shopDomain } });
    const victim = await prisma.order.findFirstOrThrow({ where: { shopId: shop.id } });
    await prisma.order.delete({ where: { id: victim.id } });
    const third = await seedDemoStore(DEMO_HISTORY, shopDomain);
    expect(third.seeded).toBe(true);
    expect(await databaseDigest(shopDomain)).toBe(digest);

    const history = generateSyntheticHistory();
    expect(await prisma.order.count({ where: { shopId: shop.id } })).toBe(history.orders.length);
    expect(await prisma.customer.count({ where: { shopId: shop.id } })).toBe(history.customers.length);
  });
});

describe("the demo's loyalty program", () => {
  it("has members whose balances equal their ledgers, tiers, redemptions, and is written once", async () => {
    const shopDomain = "demo-loyalty-test.myshopify.com";
    await seedDemoStore(DEMO_HISTORY, shopDomain);
    expect(await seedDemoLoyalty(shopDomain)).toBe(true);
    expect(await seedDemoLoyalty(shopDomain)).toBe(false);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { shopDomain } });
    const [members, customers, redemptions, tiers] = await Promise.all([
      prisma.loyaltyAccount.count({ where: { shopId: shop.id } }),
      prisma.customer.count({ where: { shopId: shop.id } }),
      prisma.redemption.count({ where: { shopId: shop.id } }),
      prisma.loyaltyAccount.groupBy({ by: ["tierId"], where: { shopId: shop.id }, _count: true }),
    ]);
    expect(members / customers).toBeGreaterThan(0.5);
    expect(members / customers).toBeLessThan(0.7);
    expect(redemptions).toBeGreaterThan(50);
    expect(new Set(tiers.map((tier) => tier.tierId))).toEqual(new Set(["bronze", "silver", "gold"]));
    const audit = await auditLoyalty(shopDomain);
    expect(audit).toMatchObject({ drifted: [], negative: 0, accounts: members });
  }, 120_000);
});
