// Loyalty results on the embedded database: a shop whose members earned, redeemed, had points
// expire and taken back at known times, so every figure of the page is known in advance; the
// precomputed sums plus the live part agree with the ledger and the accounts; the page's empty,
// computing and ready states through the route's loader with a session token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  adjustPoints,
  applyOrderEvent,
  awardSignUpBonus,
  expirePoints,
  redeemReward,
  returnRedeemedPoints,
  type LedgerChange,
  type LoyaltySettingsInput,
  type LoyaltyState,
  type OrderEvent,
} from "~/core/loyalty";
import prisma from "~/db.server";
import { loader as resultsLoader } from "~/routes/app.loyalty.results";
import { jobQueue, QUEUES, stopJobQueue } from "~/platform/jobs.server";
import { changeLoyaltyAccount, loadLoyaltyProgram } from "~/loyalty/ledger.server";
import { saveLoyaltyProgram } from "~/loyalty/program.server";
import {
  loadLoyaltyResults,
  refreshLoyaltyResults,
  RESULTS_REFRESH_AFTER_MS,
  type LoyaltyResults,
} from "~/loyalty/results.server";
import { ensureShop } from "~/sync/shops.server";
import { loadHome } from "~/insight/home.server";

import { deliver } from "../helpers/deliver";
import { orderPayload } from "../helpers/orders";
import { adminDocumentRequest, routeArgs, storeOfflineSession, uniqueShop } from "../helpers/shopify";

const DAY = 86_400_000;
const NOW = new Date();
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

const SETTINGS: LoyaltySettingsInput = {
  earnRate: "1",
  bonuses: { signUp: 100 },
  expiry: { inactiveDays: 60, warningDays: 10 },
  rewards: [
    { id: "five", name: "$5 off", pointsCost: 500, discount: { type: "fixedAmount", amount: "5.00" } },
    { id: "ten", name: "$10 off", pointsCost: 800, discount: { type: "fixedAmount", amount: "10.00" } },
    { id: "pct", name: "10% off", pointsCost: 1000, discount: { type: "percentage", percent: 10 } },
  ],
};

async function createCustomer(
  shopId: string,
  shopifyId: number,
  figures: { ordersCount: number; netRevenue: number; predictedClv365d: number | null },
) {
  return prisma.customer.create({
    data: { shopId, shopifyId: BigInt(shopifyId), firstName: `Customer ${shopifyId}`, ...figures },
  });
}

/** One change to a member's points, made by the loyalty core and saved as the services save it. */
async function change(
  shopId: string,
  customerId: string,
  decide: (state: LoyaltyState) => LedgerChange | null,
): Promise<void> {
  await prisma.$transaction((tx) =>
    changeLoyaltyAccount(tx, shopId, customerId, (state) => ({ change: decide(state), result: null })),
  );
}

function order(customerId: string, placedAt: string, merchandiseCents: number, refunds: OrderEvent["refunds"] = []) {
  return {
    orderId: "9001",
    customerId,
    updatedAt: refunds.length ? ago(4 * DAY) : placedAt,
    placedAt,
    paid: true,
    fulfilled: false,
    cancelled: false,
    merchandiseCents,
    taxCents: 0,
    shippingCents: 0,
    refunds,
    redemptionIds: [],
  } satisfies OrderEvent;
}

/**
 * The scenario (days before now):
 *   c1: sign-up bonus 100 (400 d), staff +1000 (20 d), redeems $5 off (10 d) and again (8 d), the
 *       second given back (7 d): 600 left.
 *   c2: sign-up bonus 100 (200 d), staff +300 (100 d), all 400 expire (30 d): 0 left.
 *   c3: staff +50 (2 min), staff −20 (1 min): both after the refresh's cut-off, counted live: 30.
 *   c4: an order of $123.45 earns 123 (5 d); a $23.45 refund takes 23 back (4 d): 100 left.
 *   c7: a member without orders or points. c5, c6: customers who never joined.
 */
async function seedScenario(shop: string) {
  const { id: shopId } = await ensureShop(shop);
  const saved = await saveLoyaltyProgram(shop, { enabled: true, settings: SETTINGS }, "staff test");
  if (!saved.ok) throw new Error(JSON.stringify(saved.problems));
  const program = (await loadLoyaltyProgram(prisma, shopId))!;
  const settings = program.settings;
  const c1 = await createCustomer(shopId, 1, { ordersCount: 3, netRevenue: 300, predictedClv365d: 120 });
  const c2 = await createCustomer(shopId, 2, { ordersCount: 1, netRevenue: 50, predictedClv365d: null });
  const c3 = await createCustomer(shopId, 3, { ordersCount: 2, netRevenue: 80.5, predictedClv365d: 40 });
  const c4 = await createCustomer(shopId, 4, { ordersCount: 1, netRevenue: 100, predictedClv365d: 30 });
  await createCustomer(shopId, 5, { ordersCount: 1, netRevenue: 20, predictedClv365d: 10 });
  await createCustomer(shopId, 6, { ordersCount: 4, netRevenue: 400, predictedClv365d: 200 });
  const c7 = await createCustomer(shopId, 7, { ordersCount: 0, netRevenue: 0, predictedClv365d: null });
  await createCustomer(shopId, 8, { ordersCount: 0, netRevenue: 0, predictedClv365d: null });

  const adjust = (points: number, at: string, id: string) => (state: LoyaltyState) => {
    const result = adjustPoints(state, { adjustmentId: id, points, staffMember: "staff test", reason: "test" }, at);
    if (!result.ok) throw new Error(result.messages.join(" "));
    return result.change;
  };
  const redeem = (redemptionId: string, at: string) => (state: LoyaltyState) => {
    const result = redeemReward(
      state,
      settings,
      {
        redemptionId,
        rewardId: "five",
        code: `CODE-${redemptionId}`,
        cartToken: redemptionId,
        cartSubtotalCents: 5000,
      },
      at,
    );
    if (!result.ok) throw new Error(result.message);
    return result.change;
  };

  await change(shopId, c1.id, (state) => awardSignUpBonus(state, settings, ago(400 * DAY)));
  await change(shopId, c1.id, adjust(1000, ago(20 * DAY), "c1-add"));
  await change(shopId, c1.id, redeem("r1", ago(10 * DAY)));
  await change(shopId, c1.id, redeem("r2", ago(8 * DAY)));
  await change(shopId, c1.id, (state) =>
    returnRedeemedPoints(state, { redemptionId: "r2", reason: "codeCreationFailed" }, ago(7 * DAY)),
  );
  await change(shopId, c2.id, (state) => awardSignUpBonus(state, settings, ago(200 * DAY)));
  await change(shopId, c2.id, adjust(300, ago(100 * DAY), "c2-add"));
  await change(shopId, c2.id, (state) => expirePoints(state, settings, ago(30 * DAY)));
  await change(shopId, c3.id, adjust(50, ago(2 * 60_000), "c3-add"));
  await change(shopId, c3.id, adjust(-20, ago(60_000), "c3-remove"));
  await change(shopId, c4.id, (state) =>
    applyOrderEvent(state, settings, order(c4.id, ago(5 * DAY), 12345), ago(5 * DAY)),
  );
  const refund = { refundId: "r-1", merchandiseCents: 2345, taxCents: 0, shippingCents: 0 };
  await change(shopId, c4.id, (state) =>
    applyOrderEvent(state, settings, order(c4.id, ago(5 * DAY), 12345, [refund]), ago(4 * DAY)),
  );
  await change(shopId, c7.id, () => null);
  return shopId;
}

function ready(page: Awaited<ReturnType<typeof loadLoyaltyResults>>): LoyaltyResults {
  if (page.state !== "ready") throw new Error(`expected results, got ${page.state}`);
  return page;
}

afterAll(async () => {
  await stopJobQueue();
});

describe("loyalty results", () => {
  const shop = uniqueShop("loyalty-results");
  let shopId: string;

  beforeAll(async () => {
    shopId = await seedScenario(shop);
    await storeOfflineSession(shop);
    expect(await refreshLoyaltyResults(shop, { now: NOW })).toBe("refreshed");
  }, 120_000);

  it("counts points issued, redeemed, expired and taken back in each period and all time", async () => {
    const month = ready(await loadLoyaltyResults(shop, 30, NOW));
    expect(month.period).toEqual({
      issued: 1000 + 50 + 123,
      redeemed: 500 + 500 - 500,
      expired: 0,
      takenBack: 20 + 23,
    });
    expect(month.allTime).toEqual({
      issued: 100 + 1000 + 100 + 300 + 50 + 123,
      redeemed: 500,
      expired: 400,
      takenBack: 43,
    });
    const quarter = ready(await loadLoyaltyResults(shop, 90, NOW));
    expect(quarter.period).toEqual({ issued: 1173, redeemed: 500, expired: 400, takenBack: 43 });
    const year = ready(await loadLoyaltyResults(shop, 365, NOW));
    expect(year.period).toEqual({ issued: 1173 + 100 + 300, redeemed: 500, expired: 400, takenBack: 43 });
    expect(year.allTime).toEqual(month.allTime);
  });

  it("values outstanding points as a liability, less the expected breakage", async () => {
    const results = ready(await loadLoyaltyResults(shop, 30, NOW));
    expect(results.outstanding).toEqual({ points: 600 + 0 + 30 + 100, pendingPoints: 0, owedPoints: 0 });
    // The ledger's sum is the accounts' sum.
    const accounts = await prisma.loyaltyAccount.aggregate({ where: { shopId }, _sum: { pointsBalance: true } });
    expect(results.outstanding.points).toBe(accounts._sum.pointsBalance);
    expect(results.members).toBe(5);
    // The amount-off rewards: $5 for 500 points and $10 for 800 points, 1 and 1.25 cents a point.
    expect(results.value).toEqual({
      method: "fixedAmountAverage",
      perPoint: 0.01125,
      rewards: [
        { name: "$5 off", amount: "5.00", pointsCost: 500 },
        { name: "$10 off", amount: "10.00", pointsCost: 800 },
      ],
    });
    expect(results.liability).toBe(8.21);
    expect(results.breakage).toEqual({ method: "history", share: 400 / 900, expired: 400, closed: 900 });
    expect(results.expectedCost).toBe(Math.round(8.21 * (500 / 900) * 100) / 100);
    expect(results.currencyCode).toBe("USD");
    expect(results.enabled).toBe(true);
  });

  it("compares members with customers who never joined, among customers with an order", async () => {
    const { comparison } = ready(await loadLoyaltyResults(shop, 30, NOW));
    expect(comparison.members).toEqual({
      customers: 4,
      repeatCustomers: 2,
      repeatRate: 0.5,
      averageNetRevenue: 132.63,
      scored: 3,
      averagePredictedClv: 63.33,
    });
    expect(comparison.nonMembers).toEqual({
      customers: 2,
      repeatCustomers: 1,
      repeatRate: 0.5,
      averageNetRevenue: 210,
      scored: 2,
      averagePredictedClv: 105,
    });
  });

  it("charts the last 12 months of points issued and redeemed", async () => {
    const { months, allTime } = ready(await loadLoyaltyResults(shop, 30, NOW));
    expect(months).toHaveLength(12);
    expect(months.at(-1)!.month).toBe(NOW.toISOString().slice(0, 7));
    // Everything but c1's sign-up bonus, 400 days ago, is within the 12 months.
    expect(months.reduce((sum, month) => sum + month.issued, 0)).toBe(allTime.issued - 100);
    expect(months.reduce((sum, month) => sum + month.redeemed, 0)).toBe(500);
  });

  it("agrees with the ledger summed directly, for every period", async () => {
    for (const days of [30, 90, 365] as const) {
      const results = ready(await loadLoyaltyResults(shop, days, NOW));
      const start = new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate() - (days - 1)));
      const [sums] = await prisma.$queryRaw<{ issued: number; redeemed: number; expired: number; takenBack: number }[]>`
        SELECT coalesce(sum(net) FILTER (WHERE kind IN ('earn', 'bonus') OR (kind = 'adjustment' AND net > 0)), 0)::int AS "issued",
               coalesce(sum(-net) FILTER (WHERE kind IN ('redemption', 'redemptionRefund')), 0)::int AS "redeemed",
               coalesce(sum(-net) FILTER (WHERE kind = 'expiry'), 0)::int AS "expired",
               coalesce(sum(-net) FILTER (WHERE kind = 'reversal' OR (kind = 'adjustment' AND net < 0)), 0)::int AS "takenBack"
          FROM (SELECT kind, "points" + "pendingPoints" - "owedPoints" AS net FROM "LedgerEntry"
                 WHERE "shopId" = ${shopId} AND "occurredAt" >= ${start}) AS entry`;
      expect(results.period).toEqual(sums);
    }
  });

  it("counts new entries at once, and backdated ones at the next refresh", async () => {
    const before = ready(await loadLoyaltyResults(shop, 30, NOW));
    const c3 = await prisma.customer.findFirstOrThrow({ where: { shopId, shopifyId: 3n } });
    const adjust = (id: string, points: number, at: string) => (state: LoyaltyState) => {
      const result = adjustPoints(state, { adjustmentId: id, points, staffMember: "staff test", reason: "later" }, at);
      if (!result.ok) throw new Error(result.messages.join(" "));
      return result.change;
    };
    await change(shopId, c3.id, adjust("c3-now", 7, NOW.toISOString()));
    const live = ready(await loadLoyaltyResults(shop, 30, NOW));
    expect(live.period.issued).toBe(before.period.issued + 7);
    expect(live.outstanding.points).toBe(before.outstanding.points + 7);

    // Recorded now but dated before the refresh's cut-off: not seen until the next refresh.
    await change(shopId, c3.id, adjust("c3-backdated", 3, ago(2 * DAY)));
    expect(ready(await loadLoyaltyResults(shop, 30, NOW)).period.issued).toBe(before.period.issued + 7);
    await refreshLoyaltyResults(shop, { now: NOW });
    const refreshed = ready(await loadLoyaltyResults(shop, 30, NOW));
    expect(refreshed.period.issued).toBe(before.period.issued + 10);
    expect(refreshed.outstanding.points).toBe(before.outstanding.points + 10);
    const accounts = await prisma.loyaltyAccount.aggregate({ where: { shopId }, _sum: { pointsBalance: true } });
    expect(refreshed.outstanding.points).toBe(accounts._sum.pointsBalance);
  });

  it("refreshes in the background when the stored results are old, and keeps showing them meanwhile", async () => {
    const later = new Date(NOW.getTime() + RESULTS_REFRESH_AFTER_MS + 60_000);
    const stale = ready(await loadLoyaltyResults(shop, 30, later));
    expect(stale.computedAt).toBe(NOW.toISOString());
    await runQueuedRefresh(shop);
    const fresh = ready(await loadLoyaltyResults(shop, 30));
    expect(Date.parse(fresh.computedAt)).toBeGreaterThan(NOW.getTime());
    expect(fresh.allTime).toEqual(stale.allTime);
  });

  it("serves the results page to the shop's admin, for the period in the URL", async () => {
    const request = await adminDocumentRequest(shop, "/app/loyalty/results?period=90");
    const { page, periods } = await resultsLoader(routeArgs(request));
    expect(periods).toEqual([30, 90, 365]);
    const results = ready(page);
    expect(results.periodDays).toBe(90);
    expect(results.period).toEqual(ready(await loadLoyaltyResults(shop, 90)).period);
    const fallback = await resultsLoader(routeArgs(await adminDocumentRequest(shop, "/app/loyalty/results?period=7")));
    expect(ready(fallback.page).periodDays).toBe(30);
  });

  it("keeps each shop's results to itself", async () => {
    const other = uniqueShop("loyalty-results-other");
    const { id: otherId } = await ensureShop(other);
    const saved = await saveLoyaltyProgram(other, { enabled: true, settings: SETTINGS }, "staff test");
    expect(saved.ok).toBe(true);
    const customer = await createCustomer(otherId, 1, { ordersCount: 1, netRevenue: 10, predictedClv365d: 5 });
    const settings = (await loadLoyaltyProgram(prisma, otherId))!.settings;
    await change(otherId, customer.id, (state) => awardSignUpBonus(state, settings, ago(DAY)));
    await refreshLoyaltyResults(other);
    const results = ready(await loadLoyaltyResults(other));
    expect(results.allTime).toEqual({ issued: 100, redeemed: 0, expired: 0, takenBack: 0 });
    expect(results.outstanding.points).toBe(100);
    expect(results.comparison.members.customers).toBe(1);
    expect(results.comparison.nonMembers.customers).toBe(0);
    expect(results.breakage).toMatchObject({ method: "noHistory", share: 0 });
    expect(ready(await loadLoyaltyResults(shop, 30, NOW)).allTime.issued).toBeGreaterThan(1000);
  });
});

// No workers run in tests: take the refresh the page queued and run it as the worker would.
async function runQueuedRefresh(shop: string): Promise<void> {
  const boss = await jobQueue();
  const jobs = await boss.fetch<{ shop: string }>(QUEUES.loyaltyResults, { batchSize: 10 });
  expect(jobs.filter((job) => job.data.shop === shop)).toHaveLength(1);
  for (const job of jobs) {
    await refreshLoyaltyResults(job.data.shop);
    await boss.complete(QUEUES.loyaltyResults, job.id);
  }
}

describe("the results page's states", () => {
  it("has no results without a program", async () => {
    const shop = uniqueShop("loyalty-results-none");
    await ensureShop(shop);
    await storeOfflineSession(shop);
    const { page } = await resultsLoader(routeArgs(await adminDocumentRequest(shop, "/app/loyalty/results")));
    expect(page).toEqual({ state: "noProgram" });
  });

  it("works the first results out in the background, then says there are no members yet", async () => {
    const shop = uniqueShop("loyalty-results-new");
    await ensureShop(shop);
    await storeOfflineSession(shop);
    const saved = await saveLoyaltyProgram(shop, { enabled: false, settings: { earnRate: "0.1" } }, "staff test");
    expect(saved.ok).toBe(true);
    const first = await resultsLoader(routeArgs(await adminDocumentRequest(shop, "/app/loyalty/results")));
    expect(first.page).toEqual({ state: "computing", enabled: false });
    await runQueuedRefresh(shop);
    const second = await resultsLoader(routeArgs(await adminDocumentRequest(shop, "/app/loyalty/results")));
    expect(second.page).toEqual({ state: "noMembers", enabled: false });
  });

  it("says that no breakage is expected when points never expire, and has no currency value without amount-off rewards", async () => {
    const shop = uniqueShop("loyalty-results-no-expiry");
    const { id: shopId } = await ensureShop(shop);
    const settings = { earnRate: "1", rewards: [SETTINGS.rewards![2]] };
    expect((await saveLoyaltyProgram(shop, { enabled: true, settings }, "staff test")).ok).toBe(true);
    const customer = await createCustomer(shopId, 1, { ordersCount: 1, netRevenue: 10, predictedClv365d: null });
    await change(shopId, customer.id, (state) => {
      const result = adjustPoints(state, { adjustmentId: "a", points: 40, staffMember: "s", reason: "r" }, ago(DAY));
      return result.ok ? result.change : null;
    });
    await refreshLoyaltyResults(shop);
    const results = ready(await loadLoyaltyResults(shop));
    expect(results.breakage).toEqual({ method: "noExpiry", share: 0, expired: 0, closed: 0 });
    expect(results.value).toEqual({ method: "none", perPoint: null, rewards: [] });
    expect(results.liability).toBeNull();
    expect(results.expectedCost).toBeNull();
    expect(results.outstanding.points).toBe(40);
  });
});

describe("the home page's loyalty figure", () => {
  it("compares members' repeat-purchase rate with other customers', as of the stored results", async () => {
    const shop = uniqueShop("home-loyalty");
    await ensureShop(shop);
    await storeOfflineSession(shop);
    await saveLoyaltyProgram(shop, { enabled: true, settings: { earnRate: "1" } }, "staff 1", new Date("2026-01-01"));
    const order = (id: bigint, customer: bigint, processedAt: string) =>
      orderPayload({ id, updatedAt: processedAt, processedAt, customer: { id: customer }, subtotalCents: 2_000 });
    // A member who came back, a member who did not, and a customer from before the launch.
    await deliver({ topic: "orders/create", shop, payload: order(1n, 11n, "2026-02-01T00:00:00Z") });
    await deliver({ topic: "orders/create", shop, payload: order(2n, 11n, "2026-03-01T00:00:00Z") });
    await deliver({ topic: "orders/create", shop, payload: order(3n, 12n, "2026-02-01T00:00:00Z") });
    await deliver({ topic: "orders/create", shop, payload: order(4n, 13n, "2025-06-01T00:00:00Z") });
    expect((await loadHome(shop)).loyalty).toBeNull();
    await refreshLoyaltyResults(shop);
    expect((await loadHome(shop)).loyalty).toMatchObject({ members: 0.5, nonMembers: 0 });
  });
});
