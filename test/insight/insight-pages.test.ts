// The Home, Segments and Model accuracy loaders on a database: they show exactly what the last
// CLV refresh stored (ShopInsight, ClvRun), their empty and insufficient-data states, and refuse a
// request without a valid session token.
import { beforeAll, describe, expect, it } from "vitest";

import prisma from "~/db.server";
import type { ClvModel } from "~/core/clv";
import type { OrderColumnsByCustomer } from "~/core/clv/columns";
import { DEMO_HISTORY } from "~/demo/synthetic-history";
import { headlineFiguresAsOf, previousPeriodFigures } from "~/core/metrics/previous-period";
import { AT_RISK } from "~/core/metrics/at-risk";
import { SEGMENTS } from "~/core/metrics/rfm";
import { loader as homeLoader } from "~/routes/app._index";
import { loader as modelAccuracyLoader } from "~/routes/app.model-accuracy";
import { loader as segmentsLoader } from "~/routes/app.segments";
import { refreshClv } from "~/insight/clv-refresh.server";
import { seedDemoStore } from "~/demo/demo-store.server";
import { ensureShop } from "~/sync/shops.server";

import { adminDocumentRequest, routeArgs, storeOfflineSession, uniqueShop } from "../helpers/shopify";

async function segmentsOf(shop: string) {
  return (await segmentsLoader(routeArgs(await adminDocumentRequest(shop, "/app/segments")))).page;
}

async function modelAccuracyOf(shop: string) {
  return (await modelAccuracyLoader(routeArgs(await adminDocumentRequest(shop, "/app/model-accuracy")))).page;
}

async function homeOf(shop: string) {
  return homeLoader(routeArgs(await adminDocumentRequest(shop, "/app")));
}

// The shop's counted orders as the refresh loads them: customers in id order, each one's orders
// in time order.
async function orderColumns(shopId: string): Promise<{ orders: OrderColumnsByCustomer; customers: number }> {
  const customers = await prisma.customer.findMany({ where: { shopId }, orderBy: { id: "asc" }, select: { id: true } });
  const index = new Map(customers.map((customer, i) => [customer.id, i]));
  const rows = (
    await prisma.order.findMany({
      where: { shopId, customerId: { not: null }, cancelledAt: null, test: false, deletedAt: null },
      select: { customerId: true, processedAt: true, netRevenue: true },
    })
  )
    .map((order) => ({
      customer: index.get(order.customerId!)!,
      at: order.processedAt.getTime(),
      netRevenue: Number(order.netRevenue),
    }))
    .sort((left, right) => left.customer - right.customer || left.at - right.at);
  return {
    customers: customers.length,
    orders: {
      customer: Int32Array.from(rows, (row) => row.customer),
      processedAt: Float64Array.from(rows, (row) => row.at),
      netRevenue: Float64Array.from(rows, (row) => row.netRevenue),
      length: rows.length,
    },
  };
}

// What the refresh wrote, read straight from the tables.
async function stored(shop: string) {
  const row = await prisma.shop.findUniqueOrThrow({ where: { shopDomain: shop }, include: { insight: true } });
  const run = await prisma.clvRun.findFirstOrThrow({ where: { shopId: row.id }, orderBy: { startedAt: "desc" } });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the stored JSON, compared field by field
  return { insight: row.insight!, data: row.insight!.data as any, run };
}

describe("insight pages on a refreshed shop", () => {
  const shop = uniqueShop("insight");

  beforeAll(async () => {
    await seedDemoStore(DEMO_HISTORY.end, { ...DEMO_HISTORY, customers: 800, seed: 11 }, shop);
    const result = await refreshClv(shop, { trigger: "test", asOf: DEMO_HISTORY.end });
    expect(result.status).toBe("completed");
    await storeOfflineSession(shop);
  }, 120_000);

  it("Segments shows the stored segments and retention figures", async () => {
    const page = await segmentsOf(shop);
    const { insight, data } = await stored(shop);
    if (page.state !== "ready") throw new Error(`expected a ready page, got ${page.state}`);
    expect(page.computedAt).toBe(insight.computedAt.toISOString());
    expect(page.currencyCode).toBe("USD");
    expect(page.insufficientReason).toBeNull();
    expect(page.failedRun).toBeNull();

    expect(page.segments.map((segment) => segment.id)).toEqual(SEGMENTS.map((segment) => segment.id));
    for (const [i, segment] of page.segments.entries()) {
      const saved = data.segments[i];
      expect(segment).toMatchObject({
        id: saved.id,
        name: saved.name,
        description: saved.description,
        whatToDo: saved.whatToDo,
        customers: saved.customers,
        shareOfCustomers: saved.shareOfCustomers,
        netRevenue: saved.netRevenue,
        shareOfNetRevenue: saved.shareOfNetRevenue,
      });
      expect(segment.predictedClvPerCustomer).toBe(
        saved.customersWithPrediction > 0 ? saved.predictedClv / saved.customersWithPrediction : null,
      );
    }
    // Every customer with an order is in exactly one segment.
    const buyers = await prisma.customer.count({ where: { shop: { shopDomain: shop }, ordersCount: { gt: 0 } } });
    expect(page.segments.reduce((sum, segment) => sum + segment.customers, 0)).toBe(buyers);
    expect(page.segments.find((segment) => segment.id === "champions")!.customers).toBeGreaterThan(0);

    expect(page.repeatPurchaseRate).toEqual(data.repeatPurchaseRate);
    expect(page.repeatPurchaseRateTrend).toEqual(data.repeatPurchaseRateTrend);
    expect(page.repeatPurchaseRateTrend).toHaveLength(12);
    expect(page.returnWithinDays).toEqual(data.returnWithinDays);
    expect(page.returnWithinDays.map((window) => window.days)).toEqual([30, 60, 90, 180, 365]);
    expect(page.cohorts).toEqual(data.cohorts);
    expect(page.daysToSecondOrder).toEqual(data.daysToSecondOrder);
    expect(page.clvDistribution).toEqual(data.clvDistribution);
    expect(page.clvDistribution!.customers).toBeGreaterThan(0);
  });

  it("Model accuracy shows the stored backtest, the fitted model and the simple formula", async () => {
    const page = await modelAccuracyOf(shop);
    const { data, run } = await stored(shop);
    if (page.state !== "ready") throw new Error(`expected a ready page, got ${page.state}`);
    const comparison = data.backtest.comparison;
    expect(page.holdout).toMatchObject({
      holdoutDays: data.backtest.holdoutDays,
      calibrationEnd: data.backtest.calibrationEnd,
      summary: comparison.summary,
      customers: comparison.customers,
      predicted: comparison.predicted,
      actual: comparison.actual,
      actualVersusPredicted: comparison.actualVersusPredicted,
      meanAbsolutePercentageError: comparison.meanAbsolutePercentageError,
      meanAbsoluteErrorPerCustomer: comparison.meanAbsoluteErrorPerCustomer,
      bins: comparison.bins,
      params: data.backtest.params,
    });
    expect(page.holdout!.summary).toMatch(/^The model predicted [\d,]+ repeat orders over the \d+ weeks/);
    expect(page.holdout!.bins.map((bin) => bin.label)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7+"]);

    // The model's figures as the insight and its run recorded them. ClvRun's columns (float8,
    // Json) can come back from the database a last digit different from the insight's jsonb,
    // hence "close to" for the run's copies.
    expect(page.model).toMatchObject({
      kind: run.model,
      params: data.prediction.params,
      spendParams: data.prediction.spendParams,
      repeatBuyers: run.repeatCustomers,
      fittedOnCustomers: data.prediction.fittedOnCustomers,
      customersScored: data.prediction.customersScored,
      grossMargin: data.prediction.settings.grossMargin,
      annualDiscountRate: data.prediction.settings.annualDiscountRate,
    });
    expect(Math.abs(page.model.logLikelihood! - run.logLikelihood!) / Math.abs(run.logLikelihood!)).toBeLessThan(1e-12);
    const runParams = { ...(run.params as Record<string, number>), ...(run.spendParams as Record<string, number>) };
    for (const [name, value] of Object.entries({ ...page.model.params, ...page.model.spendParams })) {
      expect(Math.abs(value - runParams[name]) / Math.abs(runParams[name])).toBeLessThan(1e-12);
    }
    expect(Object.keys(page.model.params).sort()).toEqual(["a", "alpha", "b", "r"]);
    expect(page.averagePredictedClv).toBe(data.averagePredictedClv);
    expect(page.simpleFormula).toEqual(data.simpleFormula);
    expect(page.simpleFormula.customerValue).toBeGreaterThan(0);
  });

  it("warns that the figures are older when the latest refresh failed", async () => {
    const { insight } = await stored(shop);
    await prisma.clvRun.create({
      data: {
        shopId: insight.shopId,
        status: "failed",
        trigger: "test",
        message: "database went away",
        startedAt: new Date(Date.now() + 1000),
        finishedAt: new Date(Date.now() + 2000),
      },
    });
    const page = await modelAccuracyOf(shop);
    expect(page.state).toBe("ready");
    if (page.state !== "ready") return;
    expect(page.failedRun).toMatchObject({ message: "database went away" });
    expect(page.holdout).not.toBeNull(); // the previous insight is still shown
  });

  it("Home shows the stored figures, the charts' data, and the repeat rate's change over the trend", async () => {
    const home = await homeOf(shop);
    const { insight, data } = await stored(shop);
    expect(home.overview).toMatchObject({
      countedAt: insight.computedAt.toISOString(),
      customers: data.totals.customersWithOrders,
      orders: data.totals.orders,
    });
    if (home.insight.state !== "ready") throw new Error(`expected a ready insight, got ${home.insight.state}`);
    expect(home.insight.cohorts).toEqual(data.cohorts);
    expect(home.insight.daysToSecondOrder).toEqual(data.daysToSecondOrder);
    expect(home.insight.clvDistribution).toEqual(data.clvDistribution);
    expect(home.insight.cohorts).toHaveLength(12);
    expect(home.clv).toMatchObject({
      averageHistoricalClv: data.averageHistoricalClv,
      averagePredictedClv: data.averagePredictedClv,
      atRisk: data.atRisk,
    });
  });

  it("Home, on an analysis stored without a previous period, has the repeat rate's change over its trend", async () => {
    const { insight, data } = await stored(shop);
    const older = { ...data };
    delete older.previousPeriod;
    await prisma.shopInsight.update({ where: { shopId: insight.shopId }, data: { data: older } });
    try {
      const home = await homeOf(shop);
      // The trend's last month end before the analysis (the analysis's own month is its last
      // point; an analysis made at a month's start has the month before ending with it), as
      // stored now (jsonb can give a double back a last digit different).
      const monthEndOf = (point: { month: string }) => {
        const [year, month] = point.month.split("-").map(Number);
        return Date.UTC(year, month, 1);
      };
      const monthEnds = (await stored(shop)).data.repeatPurchaseRateTrend
        .slice(0, -1)
        .filter((point: { month: string }) => monthEndOf(point) < insight.asOf.getTime());
      const point = monthEnds.at(-1);
      const since = new Date(monthEndOf(point)).toISOString();
      expect(Date.parse(since)).toBeLessThan(insight.asOf.getTime());
      const rate = home.overview!.repeatPurchaseRate!;
      expect(home.changes).toEqual({
        customers: null,
        repeatPurchaseRate: {
          current: rate,
          previous: point.repeatPurchaseRate,
          difference: rate - point.repeatPurchaseRate,
          relative: (rate - point.repeatPurchaseRate) / point.repeatPurchaseRate,
          since,
        },
        averageNetRevenuePerCustomer: null,
        averageHistoricalClv: null,
        averagePredictedClv: null,
        atRiskCustomers: null,
      });
    } finally {
      await prisma.shopInsight.update({ where: { shopId: insight.shopId }, data: { data } });
    }
  });

  it("Home shows every headline figure's change against the previous period the analysis stores", async () => {
    const { insight, data } = await stored(shop);
    const { orders, customers } = await orderColumns(insight.shopId);
    const model: ClvModel = {
      timeUnit: "week",
      purchases: { kind: data.prediction.model, params: data.prediction.params },
      spend: data.prediction.spendParams,
    };
    const options = { model, settings: data.prediction.settings, atRisk: AT_RISK };
    // As of the analysis, the core reproduces the refresh's own figures: the previous period is
    // the same definitions, 30 days earlier.
    const now = headlineFiguresAsOf(orders, customers, insight.asOf, options);
    expect(now.customers).toBe(data.repeatPurchaseRate.customers);
    expect(now.repeatCustomers).toBe(data.repeatPurchaseRate.repeatCustomers);
    expect(now.averageHistoricalClv).toBeCloseTo(data.averageHistoricalClv, 9);
    expect(now.averagePredictedClv).toBeCloseTo(data.averagePredictedClv, 9);
    expect(now.atRisk!.customers).toBe(data.atRisk.customers);
    expect(now.atRisk!.predictedClv).toBeCloseTo(data.atRisk.predictedClv, 6);

    const previousPeriod = previousPeriodFigures(orders, customers, insight.asOf, options);
    expect(previousPeriod.customers).toBeLessThan(now.customers);
    // A refresh that stores the previous period stores exactly this.
    if (data.previousPeriod) {
      expect(data.previousPeriod).toMatchObject({
        asOf: previousPeriod.asOf,
        days: 30,
        customers: previousPeriod.customers,
        repeatCustomers: previousPeriod.repeatCustomers,
        atRisk: { customers: previousPeriod.atRisk!.customers },
      });
      expect(data.previousPeriod.averagePredictedClv).toBeCloseTo(previousPeriod.averagePredictedClv!, 9);
      expect(data.previousPeriod.averageHistoricalClv).toBeCloseTo(previousPeriod.averageHistoricalClv!, 9);
    }
    await prisma.shopInsight.update({
      where: { shopId: insight.shopId },
      data: { data: { ...data, previousPeriod } },
    });
    try {
      const home = await homeOf(shop);
      const overview = home.overview!;
      const clv = home.clv!;
      // As stored (jsonb can give a double back a last digit different).
      const previous = (await stored(shop)).data.previousPeriod;
      const change = (current: number, before: number) => ({
        current,
        previous: before,
        difference: current - before,
        relative: (current - before) / before,
        since: previousPeriod.asOf,
      });
      expect(home.changes).toEqual({
        customers: change(overview.customers, previous.customers),
        repeatPurchaseRate: change(overview.repeatPurchaseRate!, previous.repeatPurchaseRate),
        averageNetRevenuePerCustomer: change(overview.averageNetRevenuePerCustomer!, previous.averageHistoricalClv),
        averageHistoricalClv: change(clv.averageHistoricalClv!, previous.averageHistoricalClv),
        averagePredictedClv: change(clv.averagePredictedClv!, previous.averagePredictedClv),
        atRiskCustomers: change(clv.atRisk!.customers, previous.atRisk.customers),
      });
      expect(previous.repeatPurchaseRate).toBeCloseTo(previousPeriod.repeatPurchaseRate!, 12);
      expect(previousPeriod.asOf).toBe(new Date(insight.asOf.getTime() - 30 * 86_400_000).toISOString());
    } finally {
      await prisma.shopInsight.update({ where: { shopId: insight.shopId }, data: { data } });
    }
  });

  it("refuses a request without a session token", async () => {
    const unsigned = new Request(`${process.env.SHOPIFY_APP_URL}/app/segments?shop=${shop}&embedded=1`);
    for (const loader of [segmentsLoader, modelAccuracyLoader, homeLoader]) {
      const refused = await loader(routeArgs(unsigned)).then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(refused).toBeInstanceOf(Response);
      expect([302, 401, 410]).toContain((refused as Response).status);
    }
  });
});

describe("insight pages before and without a model", () => {
  it("shows the empty state when the shop has never been analysed", async () => {
    const shop = uniqueShop("insight-empty");
    await ensureShop(shop);
    await storeOfflineSession(shop);
    expect(await segmentsOf(shop)).toEqual({ state: "empty", failedRun: null });
    expect(await modelAccuracyOf(shop)).toEqual({ state: "empty", failedRun: null });
    const home = await homeOf(shop);
    expect(home.insight).toEqual({ state: "empty" });
    expect(home.overview).toMatchObject({ customers: 0, orders: 0, countedAt: null });
    expect(Object.values(home.changes).every((change) => change === null)).toBe(true);
  });

  it("shows the stored reason when there is too little data to fit", async () => {
    const shop = uniqueShop("insight-small");
    await seedDemoStore(DEMO_HISTORY.end, { ...DEMO_HISTORY, customers: 40, seed: 5 }, shop);
    const result = await refreshClv(shop, { trigger: "test", asOf: DEMO_HISTORY.end });
    expect(result.status).toBe("insufficient");
    await storeOfflineSession(shop);
    const { data, run } = await stored(shop);
    expect(data.prediction.reason).toMatch(/^Too little data to fit/);
    expect(run.message).toBe(data.prediction.reason);

    const accuracy = await modelAccuracyOf(shop);
    expect(accuracy).toMatchObject({ state: "insufficient", reason: data.prediction.reason });

    // The measured figures do not need the model: Segments still shows them, with the reason.
    const segments = await segmentsOf(shop);
    if (segments.state !== "ready") throw new Error(`expected a ready page, got ${segments.state}`);
    expect(segments.insufficientReason).toBe(data.prediction.reason);
    expect(segments.segments.reduce((sum, segment) => sum + segment.customers, 0)).toBeGreaterThan(0);
    expect(segments.segments.every((segment) => segment.predictedClvPerCustomer === null)).toBe(true);
    expect(segments.clvDistribution).toBeNull();
  });

  it("asks for a new analysis when the stored insight has an older shape", async () => {
    const shop = uniqueShop("insight-old");
    const { id } = await ensureShop(shop);
    await storeOfflineSession(shop);
    await prisma.shopInsight.create({
      data: { shopId: id, computedAt: new Date(), asOf: new Date(), data: { currencyCode: "USD", segments: [] } },
    });
    expect(await segmentsOf(shop)).toMatchObject({ state: "outdated" });
    expect(await modelAccuracyOf(shop)).toMatchObject({ state: "outdated" });
    const home = await homeOf(shop);
    expect(home.insight).toMatchObject({ state: "outdated" });
    expect(Object.values(home.changes).every((change) => change === null)).toBe(true);
  });
});
