import { createHash } from "node:crypto";

import { describe, expect, it } from "vitest";

import prisma from "~/db.server";
import { DEMO_HISTORY, generateSyntheticHistory, syntheticOrderEvents } from "~/demo/synthetic-history";
import { DEMO_STORE, prepareDemoStore, seedDemoStore } from "~/demo/demo-store.server";
import { loadHome } from "~/insight/home.server";
import { auditLoyalty } from "~/loyalty/audit.server";
import { loadLoyaltyResults } from "~/loyalty/results.server";

const DAY = 86_400_000;

// Everything the seeding writes, with row ids replaced by the Shopify ids they stand for, and
// without the columns the database's clock fills in.
async function databaseDigest(shopDomain: string): Promise<string> {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { shopDomain } });
  const where = { shopId: shop.id };
  const customers = await prisma.customer.findMany({
    where,
    orderBy: { shopifyId: "asc" },
    select: {
      id: true,
      shopifyId: true,
      email: true,
      shopifyCreatedAt: true,
      ordersCount: true,
      firstOrderAt: true,
      lastOrderAt: true,
      netRevenue: true,
    },
  });
  const shopifyIdOf = new Map(customers.map((customer) => [customer.id, customer.shopifyId.toString()]));
  shopifyIdOf.set(shop.id, "shop");
  const withoutRowIds = (text: string) => text.replace(/c[0-9a-z]{24,32}/g, (id) => shopifyIdOf.get(id) ?? id);
  const rows = {
    customers: customers.map(({ id: _id, ...customer }) => customer),
    orders: await prisma.order.findMany({
      where,
      orderBy: { shopifyId: "asc" },
      select: {
        shopifyId: true,
        customer: { select: { shopifyId: true } },
        processedAt: true,
        shopifyUpdatedAt: true,
        financialStatus: true,
        subtotal: true,
        netRevenue: true,
        totalRefunded: true,
        cancelledAt: true,
        test: true,
      },
    }),
    refunds: await prisma.refund.findMany({
      where,
      orderBy: { shopifyId: "asc" },
      select: { shopifyId: true, orderShopifyId: true, processedAt: true, amount: true, merchandiseAmount: true },
    }),
    program: await prisma.loyaltyProgram.findUnique({
      where,
      select: { enabled: true, settings: true, launchedAt: true },
    }),
    accounts: await prisma.loyaltyAccount.findMany({
      where,
      orderBy: { customer: { shopifyId: "asc" } },
      omit: { shopId: true, updatedAt: true, metafieldVersion: true },
    }),
    entries: await prisma.ledgerEntry.findMany({
      where,
      orderBy: [{ account: { customer: { shopifyId: "asc" } } }, { key: "asc" }],
      omit: { id: true, shopId: true, createdAt: true },
    }),
    loyaltyOrders: await prisma.loyaltyOrder.findMany({
      where,
      orderBy: { orderId: "asc" },
      select: { orderId: true, customerId: true, data: true },
    }),
    redemptions: await prisma.redemption.findMany({ where, orderBy: { id: "asc" }, omit: { updatedAt: true } }),
  };
  const text = JSON.stringify(rows, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
  (await import("node:fs")).writeFileSync(
    `/tmp/ft/digest-${shopDomain}.json`,
    withoutRowIds(text).replace(/},{/g, "},\n{"),
  );
  return createHash("sha256").update(withoutRowIds(text)).digest("hex");
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
    expect(history.customers.length).toBe(DEMO_HISTORY.customers);
    expect(history.orders.length).toBeGreaterThanOrEqual(15000);
    const times = history.orders.map((order) => order.processedAt.getTime());
    const span = (Math.max(...times) - Math.min(...times)) / DAY;
    expect(span).toBeGreaterThan(700);
    expect(span).toBeLessThanOrEqual(24 * 31);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(DEMO_HISTORY.openedAt.getTime());
    expect(Math.max(...times)).toBeLessThan(DEMO_HISTORY.end.getTime());
    expect(history.orders.filter((order) => order.customerShopifyId === null).length).toBeGreaterThan(500);
    expect(history.orders.filter((order) => order.refund).length).toBeGreaterThan(100);
    expect(history.orders.filter((order) => order.cancelledAt).length).toBeGreaterThan(100);
    expect(history.orders.filter((order) => order.test).length).toBeGreaterThan(10);
    expect(history.orders.filter((order) => order.subtotalCents === 0).length).toBeGreaterThan(0);
    // Busier lately: acquisition grows.
    const month = (start: number) => times.filter((time) => time >= start && time < start + 30 * DAY).length;
    expect(month(DEMO_HISTORY.end.getTime() - 30 * DAY)).toBeGreaterThan(3 * month(DEMO_HISTORY.openedAt.getTime()));
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

  it("only grows when it ends later: the earlier history is a prefix, refunds and cancellations come due", () => {
    const end = DEMO_HISTORY.end.getTime();
    const later = generateSyntheticHistory({ ...DEMO_HISTORY, end: new Date(end + 40 * DAY) });
    expect(later.customers.slice(0, history.customers.length)).toEqual(history.customers);
    expect(later.customers.length).toBeGreaterThan(history.customers.length);
    const before = later.orders.slice(0, history.orders.length);
    expect(later.orders.slice(history.orders.length).every((order) => order.processedAt.getTime() >= end)).toBe(true);
    const asOfEnd = before.map((order) => ({
      ...order,
      cancelledAt: order.cancelledAt && order.cancelledAt.getTime() < end ? order.cancelledAt : null,
      refund: order.refund && order.refund.processedAt.getTime() < end ? order.refund : null,
    }));
    expect(asOfEnd).toEqual(history.orders);
    const cameDue = before.filter((order, index) => order.refund && !history.orders[index].refund);
    expect(cameDue.length).toBeGreaterThan(0);

    // What Shopify sends from the end on: each new order as placed, and the refunds and
    // cancellations of old and new ones, in time order.
    const events = syntheticOrderEvents(later, DEMO_HISTORY.end);
    const times = events.map((event) => event.at.getTime());
    expect(times).toEqual([...times].sort((left, right) => left - right));
    expect(times[0]).toBeGreaterThanOrEqual(end);
    const placed = events.filter(
      (event) => event.snapshot.updatedAt.getTime() === event.snapshot.processedAt.getTime(),
    );
    expect(placed).toHaveLength(later.orders.length - history.orders.length);
    expect(placed.every((event) => event.snapshot.refunds.length === 0 && !event.snapshot.cancelledAt)).toBe(true);
    const refunded = events
      .filter((event) => event.snapshot.refunds.length > 0)
      .map((event) => event.snapshot.shopifyId);
    expect(refunded).toEqual(expect.arrayContaining(cameDue.map((order) => order.shopifyId)));
  });
});

describe("seeding the demo store", () => {
  // A store small enough to seed three times, with the program; its days cross a tier review
  // (1 January) and the first expiries (a year after the launch).
  const options = { ...DEMO_STORE, customers: 1200, seed: 31 };
  const day = new Date("2026-12-10T15:00:00Z");
  const later = new Date(day.getTime() + 40 * DAY);
  const atOnce = "demo-at-once.myshopify.com";

  it("writes the same rows for the same day, and catching up from an earlier day writes the same as seeding that day at once", async () => {
    const stepwise = "demo-stepwise.myshopify.com";
    const first = await seedDemoStore(day, options, stepwise);
    expect(first).toMatchObject({ seeded: true, days: 730, customers: options.customers });
    const digest = await databaseDigest(stepwise);
    expect(await seedDemoStore(day, options, stepwise)).toMatchObject({ seeded: false, days: 0 });
    expect(await databaseDigest(stepwise)).toBe(digest);

    expect(await seedDemoStore(later, options, stepwise)).toMatchObject({ seeded: true, days: 40 });
    const openedAt = new Date("2024-12-10T00:00:00Z");
    expect(await seedDemoStore(later, { ...options, openedAt }, atOnce)).toMatchObject({ seeded: true, days: 770 });
    expect(await databaseDigest(stepwise)).toBe(await databaseDigest(atOnce));

    const shop = await prisma.shop.findUniqueOrThrow({ where: { shopDomain: atOnce }, include: { demoStore: true } });
    expect(shop.demoStore).toMatchObject({
      openedAt,
      seededThrough: new Date("2027-01-19T00:00:00Z"),
    });
    const lastOrder = await prisma.order.aggregate({ where: { shopId: shop.id }, _max: { processedAt: true } });
    expect(lastOrder._max.processedAt!.getTime()).toBeLessThan(shop.demoStore!.seededThrough.getTime());
    expect(lastOrder._max.processedAt!.getTime()).toBeGreaterThan(shop.demoStore!.seededThrough.getTime() - DAY);

    // The program's year: members with balances equal to their ledgers, tiers, redemptions,
    // expiries and the 1 January review.
    const [members, customers, redemptions, tiers, expiries, reviews] = await Promise.all([
      prisma.loyaltyAccount.count({ where: { shopId: shop.id } }),
      prisma.customer.count({ where: { shopId: shop.id } }),
      prisma.redemption.count({ where: { shopId: shop.id, status: "issued" } }),
      prisma.loyaltyAccount.groupBy({ by: ["tierId"], where: { shopId: shop.id }, _count: true }),
      prisma.ledgerEntry.count({ where: { shopId: shop.id, kind: "expiry" } }),
      prisma.loyaltyAccount.count({
        where: { shopId: shop.id, tierReviewedAt: { gte: new Date("2027-01-01T00:00:00Z") } },
      }),
    ]);
    expect(members / customers).toBeGreaterThan(0.5);
    expect(members / customers).toBeLessThan(0.95);
    expect(redemptions).toBeGreaterThan(20);
    expect(new Set(tiers.map((tier) => tier.tierId))).toEqual(new Set(["bronze", "silver", "gold"]));
    expect(expiries).toBeGreaterThan(0);
    expect(reviews).toBe(members);
    expect(await auditLoyalty(atOnce)).toMatchObject({ drifted: [], negative: 0, accounts: members });
    const enrolled = await prisma.loyaltyAccount.aggregate({ where: { shopId: shop.id }, _min: { enrolledAt: true } });
    expect(enrolled._min.enrolledAt).toEqual(new Date("2025-12-10T00:00:00Z"));
  }, 300_000);

  it("shows movement on the day it is prepared: recent points, this month's cohort, changes over 30 days", async () => {
    // The store seeded up to `later` above (or here, when this test runs alone), on that day.
    const shopDomain = atOnce;
    const now = new Date(later.getTime() + 3 * 3_600_000);
    const { clv } = await prepareDemoStore(now, { ...options, openedAt: new Date("2024-12-10T00:00:00Z") }, shopDomain);
    expect(clv?.status).toBe("completed");

    const home = await loadHome(shopDomain);
    if (home.insight.state !== "ready") throw new Error(`expected a ready insight, got ${home.insight.state}`);
    expect(home.insight.cohorts.at(-1)).toMatchObject({ month: "2027-01", customers: expect.any(Number) });
    expect(home.insight.cohorts.at(-1)!.customers).toBeGreaterThan(0);
    expect(home.changes.customers!.difference).toBeGreaterThan(0);
    expect(home.changes.customers!.since).toBe(
      new Date(now.getTime() - (now.getTime() % DAY) - 30 * DAY).toISOString(),
    );
    expect(home.changes.repeatPurchaseRate).not.toBeNull();

    const results = await loadLoyaltyResults(shopDomain, 30, now);
    if (results.state !== "ready") throw new Error(`expected loyalty results, got ${results.state}`);
    expect(results.period.issued).toBeGreaterThan(0);
    expect(results.period.redeemed).toBeGreaterThan(0);
    expect(results.months.at(-1)!.issued).toBeGreaterThan(0);
  }, 300_000);
});
