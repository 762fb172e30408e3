import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { MS_PER_DAY } from "~/core/metrics/calendar";
import { clvDistribution, clvPercentiles, daysToSecondOrder, niceStep } from "~/core/metrics/distribution";

describe("clvPercentiles", () => {
  it("is the share of the other customers with a strictly lower value", () => {
    const percentiles = clvPercentiles([10, 20, 20, 40, NaN]);
    expect(percentiles[0]).toBe(0);
    expect(percentiles[1]).toBeCloseTo(100 / 3, 12);
    expect(percentiles[2]).toBeCloseTo(100 / 3, 12);
    expect(percentiles[3]).toBe(100);
    expect(percentiles[4]).toBeNaN();
    expect(Array.from(clvPercentiles([7]))).toEqual([100]);
    expect(Array.from(clvPercentiles([]))).toEqual([]);
  });

  it("matches a direct count for any values", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(NaN)), { maxLength: 40 }),
        (values) => {
          const percentiles = clvPercentiles(values);
          const valid = values.filter((value) => !Number.isNaN(value));
          values.forEach((value, i) => {
            if (Number.isNaN(value)) return expect(percentiles[i]).toBeNaN();
            const lower = valid.filter((other) => other < value).length;
            expect(percentiles[i]).toBeCloseTo(valid.length > 1 ? (100 * lower) / (valid.length - 1) : 100, 10);
          });
        },
      ),
    );
  });
});

describe("daysToSecondOrder", () => {
  const day = MS_PER_DAY;
  const asOf = new Date(1_000 * day);

  it("bins repeat customers' calendar days from first to second order and finds the median", () => {
    const gaps = [0, 7, 8, 15, 30, 31, 90, 91, 365, 366, 700];
    const result = daysToSecondOrder(
      {
        firstOrderAt: [...gaps.map(() => 100 * day), 100 * day, NaN],
        // One customer returned after asOf (not counted), one never ordered.
        secondOrderAt: [...gaps.map((gap) => (100 + gap) * day + 3_600_000), 1_001 * day, NaN],
      },
      asOf,
    );
    expect(result.customers).toBe(11);
    expect(result.medianDays).toBe(31);
    expect(result.bins.map((bin) => [bin.label, bin.customers])).toEqual([
      ["0–7 days", 2],
      ["8–14 days", 1],
      ["15–30 days", 2],
      ["31–60 days", 1],
      ["61–90 days", 1],
      ["91–180 days", 1],
      ["181–365 days", 1],
      ["Over 365 days", 2],
    ]);
    expect(result.bins[0].share).toBeCloseTo(2 / 11, 12);
  });

  it("averages the two middle values for an even count and has no median without repeat customers", () => {
    const result = daysToSecondOrder({ firstOrderAt: [0, 0], secondOrderAt: [0, 15 * day] }, asOf);
    expect(result.medianDays).toBe(7.5);
    const none = daysToSecondOrder({ firstOrderAt: [0], secondOrderAt: [NaN] }, asOf);
    expect(none.customers).toBe(0);
    expect(none.medianDays).toBeNull();
    expect(none.bins.every((bin) => bin.customers === 0 && bin.share === 0)).toBe(true);
  });
});

describe("niceStep", () => {
  it("rounds up to 1, 2, 2.5 or 5 times a power of ten", () => {
    expect([9.9, 0.03, 1.2, 2.1, 3, 7, 1, 250, 260].map(niceStep)).toEqual([10, 0.05, 2, 2.5, 5, 10, 1, 250, 500]);
  });
});

describe("clvDistribution", () => {
  it("cuts round-number bins up to the 99th percentile", () => {
    const result = clvDistribution([68, 0, 5, 12, 18, 25, 33, 47, 51, 99, NaN]);
    expect(result.customers).toBe(10);
    expect(result.total).toBe(358);
    expect(result.mean).toBeCloseTo(35.8, 12);
    expect(result.median).toBe(29);
    // Range 0..99 in about 10 bins: steps of 10.
    expect(result.bins.map((bin) => [bin.from, bin.to, bin.customers])).toEqual([
      [0, 10, 2],
      [10, 20, 2],
      [20, 30, 1],
      [30, 40, 1],
      [40, 50, 1],
      [50, 60, 1],
      [60, 70, 1],
      [70, 80, 0],
      [80, 90, 0],
      [90, 100, 1],
    ]);
    expect(result.bins[0].label).toBe("0–10");
  });

  it("puts the largest 1% in an open last bin rather than stretching the scale", () => {
    const values = [...Array.from({ length: 200 }, (_, i) => i + 1), 100_000];
    const result = clvDistribution(values, { formatValue: (value) => `$${value}` });
    // 99th percentile: the 199th of 201 values, 199. Rough step 19.9, so 20.
    expect(result.bins.map((bin) => bin.customers)).toEqual([19, 20, 20, 20, 20, 20, 20, 20, 20, 20, 2]);
    expect(result.bins.at(-1)).toMatchObject({ from: 200, to: null, label: "$200 and more" });
    expect(result.bins.reduce((sum, bin) => sum + bin.share, 0)).toBeCloseTo(1, 12);
  });

  it("copes with all-equal values, small decimals and no values", () => {
    expect(clvDistribution([0, 0, 0]).bins).toEqual([{ from: 0, to: 0.1, label: "0–0.1", customers: 3, share: 1 }]);
    const small = clvDistribution([0.1, 0.2, 0.3]);
    expect(small.bins.map((bin) => bin.to)).toEqual([0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
    expect(small.bins.map((bin) => bin.customers)).toEqual([0, 0, 1, 0, 1, 0, 1]);
    expect(clvDistribution([NaN])).toEqual({ customers: 0, total: 0, mean: null, median: null, bins: [] });
  });
});
