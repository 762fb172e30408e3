// Loyalty results' arithmetic on plain data (the database test, test/loyalty/results.test.ts,
// checks the same figures against a real ledger).
import { describe, expect, it } from "vitest";

import { loyaltySettingsSchema, type LedgerEntryKind } from "~/core/loyalty";
import {
  addKindSums,
  breakageEstimate,
  daysBefore,
  flowsOf,
  groupFigures,
  monthKeys,
  NO_SUMS,
  parseResultsPeriod,
  pointValue,
  type KindSums,
} from "~/core/loyalty/results";

const sums = (gained: number, lost = 0): KindSums => ({ ...NO_SUMS, gained, lost });

describe("points flows", () => {
  it("adds each kind's sums and reads issued, redeemed, expired and taken back from them", () => {
    const byKind = new Map<LedgerEntryKind, KindSums>();
    addKindSums(byKind, "earn", sums(300));
    addKindSums(byKind, "earn", sums(200));
    addKindSums(byKind, "bonus", sums(100));
    addKindSums(byKind, "adjustment", sums(50, 20));
    addKindSums(byKind, "redemption", sums(0, 500));
    addKindSums(byKind, "redemptionRefund", sums(100));
    addKindSums(byKind, "expiry", sums(0, 70));
    addKindSums(byKind, "reversal", sums(0, 30));
    expect(flowsOf(byKind)).toEqual({ issued: 650, redeemed: 400, expired: 70, takenBack: 50 });
    expect(flowsOf(new Map())).toEqual({ issued: 0, redeemed: 0, expired: 0, takenBack: 0 });
  });
});

describe("what a point is worth and the expected breakage", () => {
  const settings = loyaltySettingsSchema.parse({
    earnRate: "1",
    rewards: [
      { id: "a", name: "$5 off", pointsCost: 500, discount: { type: "fixedAmount", amount: "5.00" } },
      { id: "b", name: "$20 off", pointsCost: 1000, discount: { type: "fixedAmount", amount: "20.00" } },
      { id: "c", name: "10% off", pointsCost: 800, discount: { type: "percentage", percent: 10 } },
    ],
    expiry: { inactiveDays: 365, warningDays: 30 },
  });

  it("averages the amount-off rewards' amount per point, ignoring percentage rewards", () => {
    const value = pointValue(settings);
    expect(value.method).toBe("fixedAmountAverage");
    expect(value.perPoint).toBeCloseTo((0.01 + 0.02) / 2, 12);
    expect(value.rewards.map((reward) => reward.name)).toEqual(["$5 off", "$20 off"]);
    expect(pointValue({ ...settings, rewards: [] })).toEqual({ method: "none", perPoint: null, rewards: [] });
  });

  it("is expired over closed points, none without expiry, and none before anything closed", () => {
    const flows = { issued: 1000, redeemed: 300, expired: 100, takenBack: 0 };
    expect(breakageEstimate(settings, flows)).toEqual({ method: "history", share: 0.25, expired: 100, closed: 400 });
    expect(breakageEstimate({ ...settings, expiry: null }, flows).method).toBe("noExpiry");
    expect(breakageEstimate(settings, { ...flows, redeemed: 0, expired: 0 }).method).toBe("noHistory");
  });
});

describe("the comparison and the calendar", () => {
  it("gives a group's rates and averages, in cents, and nothing for an empty group", () => {
    const row = { member: true, customers: 3, repeatCustomers: 1, netRevenue: 100, scored: 2, predictedClv: 50.005 };
    expect(groupFigures(row)).toEqual({
      customers: 3,
      repeatCustomers: 1,
      repeatRate: 1 / 3,
      averageNetRevenue: 33.33,
      scored: 2,
      averagePredictedClv: 25,
    });
    expect(groupFigures(undefined).repeatRate).toBeNull();
  });

  it("counts periods, days and months from the time it is given", () => {
    expect(parseResultsPeriod("90")).toBe(90);
    expect(parseResultsPeriod("45")).toBe(30);
    expect(daysBefore(new Date("2027-03-01T12:00:00Z"), 30)).toBe("2027-01-30");
    expect(monthKeys(new Date("2027-02-15T00:00:00Z"), 3)).toEqual(["2026-12", "2027-01", "2027-02"]);
  });
});
