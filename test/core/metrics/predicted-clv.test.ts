import { describe, expect, it } from "vitest";

import {
  DEFAULT_ANNUAL_DISCOUNT_RATE,
  DEFAULT_GROSS_MARGIN,
  predictedTwelveMonthClv,
  predictedTwelveMonthClvColumns,
  twelveMonthDiscountFactor,
} from "~/core/metrics/predicted-clv";

// (1/12) * sum_{m=1..12} 1.1^(-m/12), computed separately (Python) for the 10% default.
const FACTOR_AT_TEN_PERCENT = 0.950040652444224;

describe("twelveMonthDiscountFactor", () => {
  it("discounts a twelfth of the year's value at each month end", () => {
    expect(twelveMonthDiscountFactor(0.1)).toBeCloseTo(FACTOR_AT_TEN_PERCENT, 12);
    expect(twelveMonthDiscountFactor(0)).toBe(1);
    // Closed form of the same geometric series at 20%: v (1 - v^12) / (1 - v) / 12, v^12 = 1/1.2.
    const v = Math.pow(1.2, -1 / 12);
    expect(twelveMonthDiscountFactor(0.2)).toBeCloseTo((v * (1 - 1 / 1.2)) / (1 - v) / 12, 12);
  });

  it("refuses a negative rate", () => {
    expect(() => twelveMonthDiscountFactor(-0.1)).toThrow(RangeError);
  });
});

describe("predictedTwelveMonthClv", () => {
  it("multiplies expected orders, value per order, margin and the discount factor", () => {
    expect(DEFAULT_GROSS_MARGIN).toBe(0.5);
    expect(DEFAULT_ANNUAL_DISCOUNT_RATE).toBe(0.1);
    // 2.4 orders x $50 x 0.5 margin = $60 undiscounted.
    expect(predictedTwelveMonthClv({ expectedOrders: 2.4, expectedOrderValue: 50 })).toBeCloseTo(
      60 * FACTOR_AT_TEN_PERCENT,
      10,
    );
    expect(
      predictedTwelveMonthClv(
        { expectedOrders: 2.4, expectedOrderValue: 50 },
        { grossMargin: 0.3, annualDiscountRate: 0 },
      ),
    ).toBeCloseTo(36, 12);
  });

  it("falls back to a given order value without a spend model, else has no prediction", () => {
    const noSpendModel = { expectedOrders: 2, expectedOrderValue: NaN };
    expect(predictedTwelveMonthClv(noSpendModel, { annualDiscountRate: 0 }, 30)).toBe(30);
    expect(predictedTwelveMonthClv(noSpendModel)).toBeNull();
    expect(predictedTwelveMonthClv(noSpendModel, {}, null)).toBeNull();
    expect(predictedTwelveMonthClv(null)).toBeNull();
  });

  it("refuses a margin outside (0, 1]", () => {
    expect(() => predictedTwelveMonthClv({ expectedOrders: 1, expectedOrderValue: 1 }, { grossMargin: 1.5 })).toThrow(
      RangeError,
    );
  });
});

describe("predictedTwelveMonthClvColumns", () => {
  it("values many customers at once, NaN where there is no prediction", () => {
    const forecasts = {
      expectedOrders: Float64Array.from([1, 2, 3, 0.5]),
      expectedOrderValue: Float64Array.from([100, NaN, NaN, 40]),
    };
    const settings = { grossMargin: 0.4, annualDiscountRate: 0 };
    expect(Array.from(predictedTwelveMonthClvColumns(forecasts, settings))).toEqual([40, NaN, NaN, 8]);
    expect(Array.from(predictedTwelveMonthClvColumns(forecasts, settings, 10))).toEqual([40, 8, 12, 8]);
    expect(Array.from(predictedTwelveMonthClvColumns(forecasts, settings, [0, 20, NaN, 0]))).toEqual([40, 16, NaN, 8]);
    const reused = new Float64Array(4);
    expect(predictedTwelveMonthClvColumns(forecasts, settings, 10, reused)).toBe(reused);
    expect(predictedTwelveMonthClvColumns(forecasts)[0]).toBeCloseTo(50 * FACTOR_AT_TEN_PERCENT, 10);
  });
});
