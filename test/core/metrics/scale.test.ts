// A million synthetic customers through the shop-level figures: proves the columnar paths work
// at that size (speed itself is measured by benchmarks, not asserted here) and checks invariants
// that only show at scale.
import { describe, expect, it } from "vitest";

import { seededRandom } from "~/core/random/seeded";
import { MS_PER_DAY } from "~/core/metrics/calendar";
import { customerRollupsFromOrders } from "~/core/metrics/customer-metrics";
import { clvDistribution, clvPercentiles, daysToSecondOrder } from "~/core/metrics/distribution";
import { NO_SEGMENT, rfmSegmentation, segmentSizes } from "~/core/metrics/rfm";
import { cohortTable, repeatPurchaseRateTrend, returnWithinDays, simpleClvFormula } from "~/core/metrics/retention";

const CUSTOMERS = 1_000_000;
const asOf = new Date("2024-06-30T12:00:00Z");

function syntheticShop() {
  const random = seededRandom(4);
  const start = asOf.getTime() - 3 * 365 * MS_PER_DAY;
  const customer = new Int32Array(CUSTOMERS * 3);
  const processedAt = new Float64Array(CUSTOMERS * 3);
  const netRevenue = new Float64Array(CUSTOMERS * 3);
  const predictedClv = new Float64Array(CUSTOMERS);
  let orders = 0;
  for (let c = 0; c < CUSTOMERS; c++) {
    let at = start + random.uniform() * 3 * 365 * MS_PER_DAY;
    // About 60% buy once; the rest up to twice more, weeks to months apart.
    const count = random.uniform() < 0.6 ? 1 : 2 + Math.floor(random.uniform() * 2);
    for (let k = 0; k < count; k++) {
      customer[orders] = c;
      processedAt[orders] = at;
      netRevenue[orders] = Math.round((20 + random.uniform() * 180) * 100) / 100; // cents: the sorting path
      orders++;
      at += random.uniform() * 200 * MS_PER_DAY;
    }
    // A few customers have no prediction.
    predictedClv[c] = c % 1000 === 0 ? NaN : random.uniform() * random.uniform() * 500;
  }
  return {
    orders: {
      customer: customer.subarray(0, orders),
      processedAt: processedAt.subarray(0, orders),
      netRevenue: netRevenue.subarray(0, orders),
    },
    predictedClv,
  };
}

describe("a million customers", () => {
  it("run through rollups, RFM, percentiles, distributions, retention and cohorts", () => {
    const { orders, predictedClv } = syntheticShop();
    const rollups = customerRollupsFromOrders(orders, CUSTOMERS, asOf);

    const rfm = rfmSegmentation(rollups, asOf);
    const withOrders = rollups.ordersCount.reduce((sum, count) => sum + (count > 0 ? 1 : 0), 0);
    expect(rfm.customers).toBe(withOrders);
    // Net revenue is nearly continuous, so the monetary fifths are nearly equal.
    const perScore = [0, 0, 0, 0, 0, 0];
    for (const score of rfm.monetaryScore) perScore[score]++;
    for (let score = 1; score <= 5; score++) expect(perScore[score] / withOrders).toBeCloseTo(0.2, 2);
    const sizes = segmentSizes(rfm.segment, rollups.netRevenue, predictedClv);
    expect(sizes.reduce((sum, size) => sum + size.customers, 0)).toBe(withOrders);
    expect(rfm.segment.filter((code) => code === NO_SEGMENT).length).toBe(CUSTOMERS - withOrders);

    const percentiles = clvPercentiles(predictedClv);
    // Three customers checked against a direct count, in one pass over the shop.
    const sampled = [1, 12_345, 999_999];
    const lower = [0, 0, 0];
    let others = -1;
    for (let i = 0; i < CUSTOMERS; i++) {
      const value = predictedClv[i];
      if (Number.isNaN(value)) continue;
      others++;
      for (let k = 0; k < 3; k++) if (value < predictedClv[sampled[k]]) lower[k]++;
    }
    sampled.forEach((c, k) => expect(percentiles[c]).toBeCloseTo((100 * lower[k]) / others, 9));
    expect(percentiles[0]).toBeNaN();

    const distribution = clvDistribution(predictedClv);
    expect(distribution.customers).toBe(CUSTOMERS - 1000);
    expect(distribution.bins.reduce((sum, bin) => sum + bin.customers, 0)).toBe(CUSTOMERS - 1000);

    const secondOrders = daysToSecondOrder(rollups, asOf);
    expect(secondOrders.bins.reduce((sum, bin) => sum + bin.customers, 0)).toBe(secondOrders.customers);
    const windows = returnWithinDays(rollups, asOf);
    // Longer windows admit fewer customers (older first orders only).
    const eligible = windows.map((window) => window.eligibleCustomers);
    expect(eligible).toEqual([...eligible].sort((a, b) => b - a));
    for (const window of windows) expect(window.returnedCustomers).toBeLessThanOrEqual(window.eligibleCustomers);

    const trend = repeatPurchaseRateTrend(rollups, asOf);
    expect(trend.at(-1)?.customers).toBe(withOrders);
    expect(trend.at(-1)?.repeatCustomers).toBe(secondOrders.customers);

    const cohorts = cohortTable(orders, CUSTOMERS, asOf);
    expect(cohorts).toHaveLength(12);
    const formula = simpleClvFormula(orders, CUSTOMERS, asOf);
    expect(formula.customerValue).toBeGreaterThan(0);
  });
});
