import { describe, expect, it } from "vitest";

import { pointsForSpend } from "~/core/loyalty/decimal";
import { loyaltySettingsSchema, manualAdjustmentSchema, type LoyaltySettingsInput } from "~/core/loyalty/settings";

function messagesFor(input: unknown): string[] {
  const result = loyaltySettingsSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

const goldAndSilver = {
  basis: "netSpend",
  window: "rolling12Months",
  review: "quarterly",
  levels: [
    { id: "silver", name: "Silver", threshold: "500", earnMultiplier: "1.5" },
    { id: "gold", name: "Gold", threshold: "1000", earnMultiplier: 2 },
  ],
} satisfies LoyaltySettingsInput["tiers"];

describe("loyalty settings", () => {
  it("accepts a minimal program and fills in the defaults", () => {
    expect(loyaltySettingsSchema.parse({ earnRate: 0.1 })).toEqual({
      earnRate: "0.1",
      includeTax: false,
      includeShipping: false,
      availability: { when: "paid" },
      bonuses: { signUp: 0, birthday: 0, firstOrder: 0 },
      expiry: null,
      rewards: [],
      returnRedeemedPointsOnCancel: true,
      tiers: null,
      excludedCustomerTags: [],
    });
  });

  it("keeps rates and amounts as exact decimal strings, and re-parses to the same settings", () => {
    const settings = loyaltySettingsSchema.parse({
      earnRate: "0.100",
      availability: { when: "afterDays", days: "14" },
      expiry: { inactiveDays: 365 },
      rewards: [
        { id: "five", name: "$5 off", pointsCost: 100, minimumOrder: 25, discount: { type: "fixedAmount", amount: 5 } },
      ],
      tiers: goldAndSilver,
    });
    expect(settings.earnRate).toBe("0.1");
    expect(settings.availability).toEqual({ when: "afterDays", days: 14 });
    expect(settings.expiry).toEqual({ inactiveDays: 365, warningDays: 30 });
    expect(settings.rewards[0]).toMatchObject({ minimumOrder: "25.00", discount: { amount: "5.00" } });
    expect(settings.tiers?.levels.map((level) => level.earnMultiplier)).toEqual(["1.5", "2"]);
    expect(loyaltySettingsSchema.parse(settings)).toEqual(settings);
  });

  it("explains what is wrong with the earn rate", () => {
    expect(messagesFor({ earnRate: "ten" })).toEqual(["earnRate: Earn rate must be a number, like 0.1."]);
    expect(messagesFor({ earnRate: 0 })).toEqual(["earnRate: Earn rate must be more than 0."]);
    expect(messagesFor({ earnRate: "-1" })).toEqual(["earnRate: Earn rate can't be negative."]);
    expect(messagesFor({ earnRate: "0.1234567" })).toEqual(["earnRate: Earn rate can have at most 6 decimal places."]);
    expect(messagesFor({ earnRate: 0.1 + 0.2 })).toEqual(["earnRate: Earn rate can have at most 6 decimal places."]);
    expect(messagesFor({ earnRate: 5000 })).toEqual(["earnRate: Earn rate can be at most 1000."]);
    expect(messagesFor({})).toEqual(["earnRate: Earn rate must be a number, like 0.1."]);
  });

  it("explains availability, expiry, bonus and reward mistakes", () => {
    expect(messagesFor({ earnRate: 1, availability: { when: "someday" } })).toEqual([
      "availability.when: Choose when points become available: on payment, on fulfilment, or after a number of days.",
    ]);
    expect(messagesFor({ earnRate: 1, availability: { when: "afterDays", days: 0 } })).toEqual([
      "availability.days: Pending period must be at least 1.",
    ]);
    expect(messagesFor({ earnRate: 1, expiry: { inactiveDays: 60, warningDays: 90 } })).toEqual([
      "expiry.warningDays: The expiry warning must come before the points expire.",
    ]);
    expect(messagesFor({ earnRate: 1, bonuses: { birthday: 2.5 } })).toEqual([
      "bonuses.birthday: Birthday bonus must be a whole number.",
    ]);
    expect(
      messagesFor({
        earnRate: 1,
        rewards: [
          { id: "r", name: "", pointsCost: 0, discount: { type: "percentage", percent: 150 } },
          { id: "r", name: "Ship", pointsCost: 50, minimumOrder: "10.005", discount: { type: "freeShipping" } },
        ],
      }),
    ).toEqual([
      "rewards.0.name: Give the reward a name.",
      "rewards.0.pointsCost: Points cost must be at least 1.",
      "rewards.0.discount.percent: Percentage off can be at most 100.",
      "rewards.1.minimumOrder: Minimum order can have at most 2 decimal places.",
      "rewards.1.id: Each reward needs its own id.",
    ]);
    expect(
      messagesFor({
        earnRate: 1,
        rewards: [
          { id: "r", name: "A", pointsCost: 10, discount: { type: "freeShipping" } },
          { id: "r", name: "B", pointsCost: 10, discount: { type: "cashback" } },
        ],
      }),
    ).toEqual(["rewards.1.discount.type: Choose a reward type: amount off, percentage off, or free shipping."]);
  });

  it("explains tier mistakes: order, whole points, duplicates", () => {
    expect(
      messagesFor({
        earnRate: 1,
        tiers: { ...goldAndSilver, levels: [...goldAndSilver.levels].reverse() },
      }),
    ).toEqual(["tiers.levels.1.threshold: Silver must need more than Gold (1000); list tiers from lowest to highest."]);
    expect(
      messagesFor({
        earnRate: 1,
        tiers: {
          ...goldAndSilver,
          basis: "pointsEarned",
          levels: [
            { id: "a", name: "A", threshold: "10.5" },
            { id: "a", name: "B", threshold: 20, earnMultiplier: 0 },
          ],
        },
      }),
    ).toEqual([
      "tiers.levels.1.earnMultiplier: Earn multiplier must be more than 0.",
      "tiers.levels.0.threshold: A points threshold must be a whole number of points.",
      "tiers.levels.1.id: Each tier needs its own id.",
    ]);
    expect(
      messagesFor({
        earnRate: 1,
        tiers: { ...goldAndSilver, levels: [{ id: "a", name: "A", threshold: "lots" }] },
        expiry: { inactiveDays: 90, warningDays: "soon" },
      }),
    ).toEqual([
      "expiry.warningDays: Days of warning before points expire must be a whole number.",
      "tiers.levels.0.threshold: Tier threshold must be a number, like 500.",
    ]);
    expect(messagesFor({ earnRate: 1, tiers: { ...goldAndSilver, review: "weekly", levels: [] } })).toEqual([
      "tiers.review: Choose when members can move down a tier: monthly, quarterly, yearly or never.",
      "tiers.levels: Add at least one tier, or turn tiers off.",
    ]);
  });

  it("requires a staff member and a reason for a manual adjustment", () => {
    const result = manualAdjustmentSchema.safeParse({ adjustmentId: "a1", points: 0, staffMember: " ", reason: "" });
    expect(result.success ? [] : result.error.issues.map((issue) => issue.message)).toEqual([
      "Add or remove at least 1 point.",
      "Say which staff member is making the adjustment.",
      "Give a reason for the adjustment; the customer's history shows it.",
    ]);
    expect(
      manualAdjustmentSchema.parse({ adjustmentId: "a1", points: "-25", staffMember: "Ana", reason: "Goodwill" }),
    ).toEqual({ adjustmentId: "a1", points: -25, staffMember: "Ana", reason: "Goodwill" });
  });
});

describe("points for a spend", () => {
  it("is floor(spend × rate × multiplier / 100), computed exactly", () => {
    expect(pointsForSpend(9_999, "0.1", "1")).toBe(9);
    expect(pointsForSpend(1_000, "0.1", "1")).toBe(1);
    // In floats 0.29 × 100 is 28.999999999999996, which would floor to 28.
    expect(pointsForSpend(10_000, "0.29", "1")).toBe(29);
    // One floor at the end: 1.5 × 0.1 points per unit on $10 is 1.5 points, so 1, not 1 × 1.5 floored twice.
    expect(pointsForSpend(1_000, "0.1", "1.5")).toBe(1);
    expect(pointsForSpend(2_000, "0.1", "1.5")).toBe(3);
    expect(pointsForSpend(0, "5", "2")).toBe(0);
    expect(pointsForSpend(-500, "5", "2")).toBe(0);
    // No overflow on a very large order at the highest rate and multiplier.
    expect(pointsForSpend(9_000_000_000_000, "1000", "100")).toBe(9_000_000_000_000_000);
  });
});
