import { describe, expect, it } from "vitest";

import { headlineChanges } from "~/core/metrics/headline-changes";

const overview = {
  countedAt: "2027-01-31T00:00:00.000Z",
  customers: 120,
  repeatPurchaseRate: 0.3,
  averageNetRevenuePerCustomer: 80,
};
const clv = { averageHistoricalClv: 80, averagePredictedClv: 40, atRisk: { customers: 9 } };
const previousPeriod = {
  asOf: "2027-01-01T00:00:00.000Z",
  customers: 100,
  repeatCustomers: 25,
  repeatPurchaseRate: 0.25,
  averageHistoricalClv: 75,
  averagePredictedClv: 50,
  atRisk: { customers: 10, predictedClv: 400 },
};

describe("the home's headline changes", () => {
  it("compares each figure with the stored previous period, from its instant", () => {
    const changes = headlineChanges(overview, clv, { state: "ready", previousPeriod, repeatRateMonthEnd: null });
    expect(changes.customers).toEqual({
      current: 120,
      previous: 100,
      difference: 20,
      relative: 0.2,
      since: previousPeriod.asOf,
    });
    expect(changes.averagePredictedClv?.relative).toBeCloseTo(-0.2, 12);
    expect(changes.atRiskCustomers?.difference).toBe(-1);
  });

  it("falls back to the repeat rate's last month end, and has nothing for a live count or no insight", () => {
    const monthEnd = { asOf: "2027-01-01T00:00:00.000Z", repeatPurchaseRate: 0.2 };
    const fallback = headlineChanges(overview, clv, {
      state: "ready",
      previousPeriod: null,
      repeatRateMonthEnd: monthEnd,
    });
    expect(fallback.repeatPurchaseRate?.previous).toBe(0.2);
    expect(fallback.customers).toBeNull();
    const live = headlineChanges({ ...overview, countedAt: null }, clv, {
      state: "ready",
      previousPeriod,
      repeatRateMonthEnd: null,
    });
    expect(Object.values(live).every((change) => change === null)).toBe(true);
    expect(headlineChanges(overview, clv, { state: "empty" }).customers).toBeNull();
  });
});
