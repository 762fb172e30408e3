// The CLV refresh on a database: the demo store's synthetic history (a known buying process),
// predictions written per customer, the shop's insight stored, failures keeping old results.
import { describe, expect, it } from "vitest";

import prisma from "~/db.server";
import { DEMO_HISTORY } from "~/demo/synthetic-history";
import { refreshClv } from "~/insight/clv-refresh.server";
import { seedDemoStore } from "~/demo/demo-store.server";
import { ensureShop } from "~/sync/shops.server";

import { deliver } from "../helpers/deliver";
import { orderPayload } from "../helpers/orders";
import { uniqueShop } from "../helpers/shopify";

const SMALL_HISTORY = { ...DEMO_HISTORY, customers: 1500, seed: 99 };

describe("CLV refresh", () => {
  it("fits the shop, scores every customer, and stores the insight", async () => {
    const shopDomain = uniqueShop("clv");
    await seedDemoStore(SMALL_HISTORY.end, SMALL_HISTORY, shopDomain);
    const result = await refreshClv(shopDomain, { trigger: "test", asOf: SMALL_HISTORY.end });
    expect(result).toMatchObject({ status: "completed", customers: 1500 });
    expect(Object.keys(result.phases)).toEqual(["load", "totals", "fit", "score", "backtest", "insight", "write"]);

    const shop = await prisma.shop.findUniqueOrThrow({ where: { shopDomain }, include: { insight: true } });
    const run = await prisma.clvRun.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(run).toMatchObject({ status: "completed", model: "bg-nbd" });
    expect(run.params).toMatchObject({
      r: expect.any(Number),
      alpha: expect.any(Number),
      a: expect.any(Number),
      b: expect.any(Number),
    });
    expect(run.spendParams).toMatchObject({ p: expect.any(Number), q: expect.any(Number) });

    const scored = await prisma.customer.findMany({ where: { shopId: shop.id, ordersCount: { gt: 0 } } });
    expect(scored.length).toBeGreaterThan(1400);
    for (const customer of scored) {
      expect(customer.probabilityAlive).toBeGreaterThanOrEqual(0);
      expect(customer.probabilityAlive).toBeLessThanOrEqual(1);
      expect(customer.expectedOrders365d).toBeGreaterThanOrEqual(customer.expectedOrders90d!);
      expect(Number(customer.predictedClv365d)).toBeGreaterThanOrEqual(0);
      expect(customer.clvPercentile).toBeGreaterThanOrEqual(0);
      expect(customer.rfmSegment).toBeTruthy();
    }
    // The synthetic process: customers who bought often and recently are worth more.
    const champions = scored.filter((customer) => customer.rfmSegment === "champions");
    const lost = scored.filter((customer) => customer.rfmSegment === "lost");
    const mean = (rows: typeof scored) =>
      rows.reduce((sum, row) => sum + Number(row.predictedClv365d), 0) / rows.length;
    expect(champions.length).toBeGreaterThan(0);
    expect(mean(champions)).toBeGreaterThan(mean(lost) * 3);

    const { loader } = await import("~/routes/app.customers.export");
    const { adminFetchRequest, routeArgs, storeOfflineSession } = await import("../helpers/shopify");
    await storeOfflineSession(shopDomain);
    const csv = await (await loader(routeArgs(await adminFetchRequest(shopDomain, "/app/customers/export")))).text();
    const champion = champions[0];
    const row = csv
      .split("\n")
      .find((line) => line.startsWith(`${champion.shopifyId},`))!
      .split(",");
    expect(row.slice(6, 10)).toEqual([
      champion.expectedOrders365d!.toFixed(3),
      champion.probabilityAlive!.toFixed(4),
      champion.predictedClv365d!.toFixed(2),
      "Champions",
    ]);

    // The home's headline figures: stored with the analysis, equal to counting them live.
    const { countShopTotals, loadShopOverview } = await import("~/insight/shop-overview.server");
    expect((shop.insight!.data as { totals: unknown }).totals).toEqual(await countShopTotals(shop.id));
    expect(await loadShopOverview(shopDomain)).toMatchObject({ countedAt: shop.insight!.computedAt.toISOString() });

    // The home page's "at risk" figures are the Customers list's at-risk filter, counted.
    const [atRisk] = await prisma.$queryRaw<{ customers: bigint; predicted: number }[]>`
      SELECT count(*) AS customers, coalesce(sum("predictedClv365d"), 0)::float8 AS predicted
        FROM "Customer" WHERE "shopId" = ${shop.id} AND "clvPercentile" >= 70 AND "probabilityAlive" < 0.5`;
    const storedAtRisk = (shop.insight!.data as { atRisk: { customers: number; predictedClv: number } }).atRisk;
    expect(storedAtRisk.customers).toBe(Number(atRisk.customers));
    expect(storedAtRisk.customers).toBeGreaterThan(0);
    expect(storedAtRisk.predictedClv).toBeCloseTo(atRisk.predicted, 0);

    // Each prediction comes with its inputs and a plain sentence.
    const { loadCustomerPrediction } = await import("~/insight/customer-prediction.server");
    const explained = (await loadCustomerPrediction(shopDomain, champion.id))!;
    expect(explained.prediction).toMatchObject({
      probabilityAlive: champion.probabilityAlive,
      predictedClv365d: Number(champion.predictedClv365d),
      segment: { id: "champions", name: "Champions" },
    });
    expect(explained.metrics.ordersCount).toBe(champion.ordersCount);
    expect(explained.modelInputs!.repeatPurchaseDays).toBeLessThanOrEqual(champion.ordersCount - 1);
    expect(explained.modelInputs!.daysObserved).toBeGreaterThanOrEqual(explained.modelInputs!.daysFirstToLast);
    expect(explained.explanation).toMatch(
      new RegExp(
        `^${champion.ordersCount} orders, the last .+; buys about every \\d+ days?; .+ likely still active\\.$`,
      ),
    );

    const insight = shop.insight!.data as Record<string, unknown> & {
      backtest: { comparison: { actual: number; predicted: number } };
    };
    expect(insight).toMatchObject({
      currencyCode: "USD",
      customers: scored.length,
      // A small shop is fitted on all its customers; the sample only applies past 50,000.
      prediction: { model: "bg-nbd", fittedOnCustomers: scored.length, customersScored: scored.length },
    });
    expect(insight.backtest.comparison.actual).toBeGreaterThan(0);
    // On data drawn from a BG/NBD-like process the holdout forecast is close.
    const { actual, predicted } = insight.backtest.comparison;
    expect(Math.abs(predicted - actual) / actual).toBeLessThan(0.3);
  }, 120_000);

  it("gives a shop with too little history empirical figures and says why", async () => {
    const shopDomain = uniqueShop("clv-small");
    await ensureShop(shopDomain);
    for (let index = 0; index < 5; index++) {
      await deliver({
        topic: "orders/create",
        shop: shopDomain,
        payload: orderPayload({
          id: BigInt(1000 + index),
          updatedAt: "2026-01-01T00:00:00Z",
          customer: { id: BigInt(index % 3) },
          subtotalCents: 5000,
        }),
      });
    }
    const result = await refreshClv(shopDomain, { trigger: "test" });
    expect(result.status).toBe("insufficient");
    expect(result.message).toMatch(/Too little data to fit/);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { shopDomain }, include: { insight: true } });
    expect(shop.insight!.data).toMatchObject({
      prediction: { model: null, reason: expect.stringMatching(/customers/) },
    });
    const customer = await prisma.customer.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(customer.predictedClv365d).toBeNull();
    expect(customer.rfmSegment).toBeTruthy();
  });

  it("keeps the previous predictions when a refresh fails, and records the error", async () => {
    const shopDomain = uniqueShop("clv-fail");
    await seedDemoStore(SMALL_HISTORY.end, { ...SMALL_HISTORY, customers: 600, seed: 5 }, shopDomain);
    await refreshClv(shopDomain, { trigger: "test", asOf: SMALL_HISTORY.end });
    const shop = await prisma.shop.findUniqueOrThrow({ where: { shopDomain } });
    const before = await prisma.customer.findMany({
      where: { shopId: shop.id },
      orderBy: { id: "asc" },
      select: { predictedClv365d: true },
    });
    // Settings no form would accept: the scoring refuses them, after the fit.
    await prisma.$executeRaw`UPDATE "Shop" SET "grossMargin" = 9.9999, "annualDiscountRate" = -0.9999 WHERE "id" = ${shop.id}`;
    const failed = await refreshClv(shopDomain, { trigger: "test", asOf: SMALL_HISTORY.end });
    expect(failed.status).toBe("failed");
    expect(failed.message).toMatch(/grossMargin/);
    const after = await prisma.customer.findMany({
      where: { shopId: shop.id },
      orderBy: { id: "asc" },
      select: { predictedClv365d: true },
    });
    expect(after).toEqual(before);
    expect(await prisma.clvRun.findFirstOrThrow({ where: { shopId: shop.id, status: "failed" } })).toMatchObject({
      message: failed.message,
    });
  }, 120_000);
});

describe("when the refresh runs", () => {
  it("the sweep picks shops whose orders changed since their last refresh, once per shop", async () => {
    const { shopsNeedingRefresh, requestClvRefresh } = await import("~/insight/clv-jobs.server");
    const { jobQueue, QUEUES, stopJobQueue } = await import("~/platform/jobs.server");
    const shopDomain = uniqueShop("clv-sweep");
    await ensureShop(shopDomain);
    const order = (id: bigint, updatedAt: string) =>
      deliver({
        topic: "orders/create",
        shop: shopDomain,
        payload: orderPayload({ id, updatedAt, customer: { id: 1n }, subtotalCents: 100 }),
      });
    await order(1n, "2026-01-01T00:00:00Z");
    expect(await shopsNeedingRefresh()).toContain(shopDomain);
    await refreshClv(shopDomain, { trigger: "test" });
    expect(await shopsNeedingRefresh()).not.toContain(shopDomain);
    await order(2n, "2026-01-02T00:00:00Z");
    expect(await shopsNeedingRefresh()).toContain(shopDomain);

    // Requests while one is waiting collapse into it.
    await requestClvRefresh(shopDomain, "orders changed");
    await requestClvRefresh(shopDomain, "orders changed");
    const boss = await jobQueue();
    expect(await boss.findJobs(QUEUES.clvRefresh, { key: shopDomain, queued: true })).toHaveLength(1);
    await stopJobQueue();
  });
});
