import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { MS_PER_DAY } from "~/core/metrics/calendar";
import {
  NO_SEGMENT,
  quintileScores,
  RFM_GRID,
  rfmSegmentation,
  segmentFor,
  SEGMENTS,
  segmentSizes,
  type SegmentId,
} from "~/core/metrics/rfm";

describe("quintileScores", () => {
  it("splits distinct values into fifths", () => {
    const { scores, thresholds } = quintileScores([7, 2, 9, 4, 1, 10, 3, 6, 5, 8], "higher-is-better");
    // 1, 2 -> 1; 3, 4 -> 2; 5, 6 -> 3; 7, 8 -> 4; 9, 10 -> 5.
    expect(Array.from(scores)).toEqual([4, 1, 5, 2, 1, 5, 2, 3, 3, 4]);
    expect(thresholds).toEqual([3, 5, 7, 9]);
  });

  it("gives equal values the same (lower) score", () => {
    // 1 has no one below (score 1); 2 has 6 below: 1 + floor(5 * 6 / 10) = 4; 3 has 8: 5; 4 has 9: 5.
    const { scores, thresholds } = quintileScores([1, 2, 1, 4, 1, 1, 3, 2, 1, 1], "higher-is-better");
    expect(Array.from(scores)).toEqual([1, 4, 1, 5, 1, 1, 5, 4, 1, 1]);
    expect(thresholds).toEqual([2, 2, 2, 3]);
  });

  it("scores fewer days higher when lower is better, and skips NaN", () => {
    const days = [40, 0, 5, 365, 10, 40, 20, 100, 5, 40, NaN];
    // Customers strictly worse (more days): 0 -> 9, 5 -> 7, 10 -> 6, 20 -> 5, 40 -> 2, 100 -> 1, 365 -> 0.
    const { scores, thresholds } = quintileScores(days, "lower-is-better");
    expect(Array.from(scores)).toEqual([2, 5, 4, 1, 4, 2, 3, 1, 4, 2, 0]);
    expect(thresholds).toEqual([40, 20, 10, 0]);
  });

  it("matches the definition for any values, in any order, counted or sorted", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 60 }),
        fc.boolean(),
        // Whole numbers are counted; fractions and whole numbers far apart are sorted.
        fc.constantFrom(
          (v: number) => v,
          (v: number) => v + 0.5,
          (v: number) => v * 10_000_000,
        ),
        (wholeValues, higherIsBetter, transform) => {
          const values = wholeValues.map(transform);
          const { scores } = quintileScores(values, higherIsBetter ? "higher-is-better" : "lower-is-better");
          values.forEach((value, i) => {
            const worse = values.filter((other) => (higherIsBetter ? other < value : other > value)).length;
            expect(scores[i]).toBe(1 + Math.floor((5 * worse) / values.length));
          });
        },
      ),
    );
  });
});

describe("segments", () => {
  it("maps recency and frequency scores with the R/F grid", () => {
    const cases: [number, number, SegmentId][] = [
      [5, 5, "champions"],
      [5, 4, "champions"],
      [4, 5, "loyal"],
      [3, 4, "loyal"],
      [5, 2, "potentialLoyalist"],
      [4, 3, "potentialLoyalist"],
      [5, 1, "newCustomers"],
      [4, 1, "promising"],
      [3, 3, "needAttention"],
      [3, 1, "aboutToSleep"],
      [3, 2, "aboutToSleep"],
      [2, 3, "atRisk"],
      [1, 4, "atRisk"],
      [1, 5, "cantLoseThem"],
      [2, 5, "cantLoseThem"],
      [2, 2, "hibernating"],
      [1, 2, "hibernating"],
      [2, 1, "hibernating"],
      [1, 1, "lost"],
    ];
    for (const [recency, frequency, id] of cases) expect(segmentFor(recency, frequency).id).toBe(id);
    expect(() => segmentFor(0, 3)).toThrow(RangeError);
  });

  it("uses every segment in the grid, each with its own advice", () => {
    const inGrid = new Set(Object.values(RFM_GRID).flat());
    expect([...inGrid].sort()).toEqual(SEGMENTS.map((segment) => segment.id).sort());
    expect(SEGMENTS.map((segment) => segment.name)).toEqual([
      "Champions",
      "Loyal",
      "Potential loyalist",
      "New customers",
      "Promising",
      "Need attention",
      "About to sleep",
      "At risk",
      "Can't lose them",
      "Hibernating",
      "Lost",
    ]);
    expect(new Set(SEGMENTS.map((segment) => segment.whatToDo)).size).toBe(SEGMENTS.length);
  });
});

describe("rfmSegmentation", () => {
  const asOf = new Date("2024-06-30T12:00:00Z");
  // Customer i ordered last i + 1 days before asOf; the eleventh has no orders.
  const ordersCount = Int32Array.from([8, 1, 5, 1, 2, 1, 3, 1, 2, 1, 0]);
  const netRevenue = Float64Array.from([800, 30, 400, 20, 90, 50, 150, 10, 60, 40, 0]);
  const lastOrderAt = Float64Array.from({ length: 11 }, (_, i) =>
    i < 10 ? asOf.getTime() - (i + 1) * MS_PER_DAY : NaN,
  );
  const result = rfmSegmentation({ ordersCount, lastOrderAt, netRevenue }, asOf);

  it("scores recency, frequency and revenue across the shop's customers", () => {
    expect(result.customers).toBe(10);
    expect(Array.from(result.daysSinceLastOrder)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, NaN]);
    expect(Array.from(result.recencyScore)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0]);
    // Five one-order customers tie at 1; two-order customers have 5 below: 1 + floor(2.5) = 3.
    expect(Array.from(result.frequencyScore)).toEqual([5, 1, 5, 1, 3, 1, 4, 1, 3, 1, 0]);
    expect(Array.from(result.monetaryScore)).toEqual([5, 2, 5, 1, 4, 3, 4, 1, 3, 2, 0]);
    expect(result.thresholds.ordersCount).toEqual([2, 2, 3, 5]);
    expect(result.thresholds.daysSinceLastOrder).toEqual([8, 6, 4, 2]);
  });

  it("names each customer's segment", () => {
    const ids = Array.from(result.segment, (code) => (code === NO_SEGMENT ? null : SEGMENTS[code].id));
    expect(ids).toEqual([
      "champions",
      "newCustomers",
      "loyal",
      "promising",
      "needAttention",
      "aboutToSleep",
      "atRisk",
      "hibernating",
      "atRisk",
      "lost",
      null,
    ]);
  });

  it("sizes the segments by customers, revenue and predicted CLV", () => {
    const predicted = Float64Array.from([500, 20, 300, 15, 40, 10, 60, 1, NaN, 2, NaN]);
    const sizes = segmentSizes(result.segment, netRevenue, predicted);
    expect(sizes.map((size) => size.id)).toEqual(SEGMENTS.map((segment) => segment.id));
    const atRisk = sizes.find((size) => size.id === "atRisk");
    expect(atRisk).toMatchObject({
      customers: 2,
      shareOfCustomers: 0.2,
      netRevenue: 210,
      predictedClv: 60,
      customersWithPrediction: 1,
    });
    expect(atRisk?.shareOfNetRevenue).toBeCloseTo(210 / 1650, 12);
    expect(sizes.find((size) => size.id === "cantLoseThem")).toMatchObject({ customers: 0, netRevenue: 0 });
    expect(sizes.reduce((sum, size) => sum + size.customers, 0)).toBe(10);
    expect(segmentSizes(result.segment, netRevenue).every((size) => size.predictedClv === null)).toBe(true);
  });
});
