// The Segments and Model accuracy loaders on a database: they show exactly what the last CLV
// refresh stored (ShopInsight, ClvRun), their empty and insufficient-data states, and refuse a
// request without a valid session token.
import { beforeAll, describe, expect, it } from "vitest";

import prisma from "~/db.server";
import { DEMO_HISTORY } from "~/core/demo/synthetic-history";
import { SEGMENTS } from "~/core/metrics/rfm";
import { loader as modelAccuracyLoader } from "~/routes/app.model-accuracy";
import { loader as segmentsLoader } from "~/routes/app.segments";
import { refreshClv } from "~/services/clv-refresh.server";
import { seedDemoStore } from "~/services/demo-store.server";
import { ensureShop } from "~/services/shops.server";

import { adminDocumentRequest, routeArgs, storeOfflineSession, uniqueShop } from "./helpers/shopify";

async function segmentsOf(shop: string) {
  return (await segmentsLoader(routeArgs(await adminDocumentRequest(shop, "/app/segments")))).page;
}

async function modelAccuracyOf(shop: string) {
  return (await modelAccuracyLoader(routeArgs(await adminDocumentRequest(shop, "/app/model-accuracy")))).page;
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
    await seedDemoStore({ ...DEMO_HISTORY, customers: 800, seed: 11 }, shop);
    const result = await refreshClv(shop, { trigger: "test" });
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

  it("refuses a request without a session token", async () => {
    const unsigned = new Request(`${process.env.SHOPIFY_APP_URL}/app/segments?shop=${shop}&embedded=1`);
    for (const loader of [segmentsLoader, modelAccuracyLoader]) {
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
  });

  it("shows the stored reason when there is too little data to fit", async () => {
    const shop = uniqueShop("insight-small");
    await seedDemoStore({ ...DEMO_HISTORY, customers: 40, seed: 5 }, shop);
    const result = await refreshClv(shop, { trigger: "test" });
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
  });
});
