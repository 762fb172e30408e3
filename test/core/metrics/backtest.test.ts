import { describe, expect, it } from "vitest";

import { backtestComparison, backtestSummary } from "~/core/metrics/backtest";

describe("backtestComparison", () => {
  const result = backtestComparison(
    {
      calibrationRepeatOrders: [0, 0, 1, 2, 7, 9],
      predictedHoldoutRepeatOrders: [0.2, 0.3, 0.5, 1, 3, 4],
      actualHoldoutRepeatOrders: [0, 1, 1, 0, 2, 5],
    },
    { holdoutDays: 273 },
  );

  it("sums predicted and actual repeat orders per calibration frequency, 7+ together", () => {
    expect(result.bins.map((bin) => bin.label)).toEqual(["0", "1", "2", "3", "4", "5", "6", "7+"]);
    expect(result.bins[0]).toMatchObject({ customers: 2, predicted: 0.5, actual: 1, absolutePercentageError: 0.5 });
    expect(result.bins[0].predictedPerCustomer).toBe(0.25);
    expect(result.bins[1]).toMatchObject({ customers: 1, predicted: 0.5, actual: 1, absolutePercentageError: 0.5 });
    // Nobody in bin 2 ordered: no percentage error. Bins 3-6 are empty.
    expect(result.bins[2]).toMatchObject({ customers: 1, predicted: 1, actual: 0, absolutePercentageError: null });
    expect(result.bins[3]).toMatchObject({ customers: 0, predictedPerCustomer: null, absolutePercentageError: null });
    expect(result.bins[7]).toMatchObject({ from: 7, to: null, customers: 2, predicted: 7, actual: 7 });
    expect(result.bins[7].absolutePercentageError).toBe(0);
  });

  it("gives the totals and accuracy figures", () => {
    expect(result.customers).toBe(6);
    expect(result.predicted).toBe(9);
    expect(result.actual).toBe(9);
    expect(result.actualVersusPredicted).toBe(0);
    // Bins 0, 1 and 7+: (0.5 + 0.5 + 0) / 3.
    expect(result.meanAbsolutePercentageError).toBeCloseTo(1 / 3, 12);
    // |0.2| + |0.7| + |0.5| + |1| + |1| + |1| = 4.4 over 6 customers.
    expect(result.meanAbsoluteErrorPerCustomer).toBeCloseTo(4.4 / 6, 12);
    expect(result.summary).toBe(
      "The model predicted 9 repeat orders over the 39 weeks after the calibration period; customers placed 9 (about as many as predicted).",
    );
  });

  it("refuses invalid rows", () => {
    const bad = { calibrationRepeatOrders: [0], predictedHoldoutRepeatOrders: [NaN], actualHoldoutRepeatOrders: [0] };
    expect(() => backtestComparison(bad, { holdoutDays: 7 })).toThrow(RangeError);
    const uneven = {
      calibrationRepeatOrders: [0, 1],
      predictedHoldoutRepeatOrders: [1],
      actualHoldoutRepeatOrders: [0],
    };
    expect(() => backtestComparison(uneven, { holdoutDays: 7 })).toThrow(RangeError);
  });
});

describe("backtestSummary", () => {
  it("says how far off the model was, in the merchant's words", () => {
    // 1,882 / 1,653 = 1.1385: 14% more.
    expect(backtestSummary(1653.2, 1882, 273)).toBe(
      "The model predicted 1,653 repeat orders over the 39 weeks after the calibration period; customers placed 1,882 (14% more than predicted).",
    );
    expect(backtestSummary(100, 95, 30)).toBe(
      "The model predicted 100 repeat orders over the 30 days after the calibration period; customers placed 95 (5% fewer than predicted).",
    );
    expect(backtestSummary(1, 3, 7)).toBe(
      "The model predicted 1 repeat order over the 1 week after the calibration period; customers placed 3 (200% more than predicted).",
    );
    expect(backtestSummary(0.2, 4, 7)).toContain("customers placed 4 (none were predicted).");
  });
});
