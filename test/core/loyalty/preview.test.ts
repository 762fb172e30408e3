import { describe, expect, it } from "vitest";

import { loyaltySettingsSchema, pointsForSpend, type LoyaltySettingsInput } from "~/core/loyalty";
import { earnRateInWholeNumbers, loyaltyPreview } from "~/core/loyalty/preview";
import { loyaltyStrings } from "~/strings/loyalty";

const words = loyaltyStrings.preview;

function previewOf(input: LoyaltySettingsInput, options: { enabled?: boolean; currencyCode?: string } = {}) {
  return loyaltyPreview(options.enabled ?? true, loyaltySettingsSchema.parse(input), {
    currencyCode: options.currencyCode ?? "USD",
    words,
  });
}

describe("the shopper preview's earn sentence", () => {
  it.each([
    ["0.1", "Earn 1 point for every $10 spent"],
    ["1", "Earn 1 point for every $1 spent"],
    ["2", "Earn 2 points for every $1 spent"],
    ["0.25", "Earn 1 point for every $4 spent"],
    ["1.5", "Earn 3 points for every $2 spent"],
    ["0.3", "Earn 3 points for every $10 spent"],
    ["0.015", "Earn 3 points for every $200 spent"],
    ["0.001", "Earn 1 point for every $1,000 spent"],
    // No small amount is exact: the smallest round amount that earns, with what it really earns.
    ["0.333333", "Earn 33 points for every $100 spent"],
    ["0.000123", "Earn 1 point for every $10,000 spent"],
  ])("words an earn rate of %s as %j", (earnRate, sentence) => {
    expect(previewOf({ earnRate }).earn).toBe(sentence);
  });

  it("promises exactly what the ledger awards for that amount", () => {
    for (const earnRate of ["0.1", "0.25", "1.5", "0.3", "0.015", "0.333333", "0.000123", "7", "0.07"]) {
      const { points, amount } = earnRateInWholeNumbers(earnRate);
      const cents = Number((amount.numerator * 100n) / amount.denominator);
      expect([earnRate, pointsForSpend(cents, earnRate, "1")]).toEqual([earnRate, points]);
    }
  });

  it("uses the shop's currency", () => {
    expect(previewOf({ earnRate: "0.1" }, { currencyCode: "EUR" }).earn).toBe("Earn 1 point for every €10 spent");
    expect(previewOf({ earnRate: "0.1" }, { currencyCode: "GBP" }).earn).toBe("Earn 1 point for every £10 spent");
  });

  it("says what spend counts", () => {
    expect(previewOf({ earnRate: 1 }).spendBasis).toBe(words.spendBasis.merchandise);
    expect(previewOf({ earnRate: 1, includeTax: true }).spendBasis).toBe(words.spendBasis.withTax);
    expect(previewOf({ earnRate: 1, includeShipping: true }).spendBasis).toBe(words.spendBasis.withShipping);
    expect(previewOf({ earnRate: 1, includeTax: true, includeShipping: true }).spendBasis).toBe(
      words.spendBasis.withTaxAndShipping,
    );
  });
});

describe("the shopper preview", () => {
  it("words availability, bonuses and expiry", () => {
    const preview = previewOf({
      earnRate: "0.1",
      availability: { when: "afterDays", days: 14 },
      bonuses: { signUp: 100, birthday: 1, firstOrder: 0 },
      expiry: { inactiveDays: 365, warningDays: 30 },
    });
    expect(preview.availability).toBe("Points can be used 14 days after you place your order.");
    expect(preview.bonuses).toEqual(["100 points when you join", "1 point on your birthday"]);
    expect(preview.expiry).toEqual([
      "Points expire after 365 days without earning or redeeming any.",
      "We'll tell you 30 days before any of your points expire.",
    ]);
    expect(previewOf({ earnRate: 1, availability: { when: "fulfilled" } }).availability).toBe(
      "Points can be used once your order has shipped.",
    );
    expect(previewOf({ earnRate: 1 }).expiry).toEqual(["Your points never expire."]);
    expect(previewOf({ earnRate: 1 }).bonuses).toEqual([]);
  });

  it("lists rewards cheapest first, with what each gives and its minimum order", () => {
    const preview = previewOf({
      earnRate: 1,
      rewards: [
        {
          id: "ten",
          name: "10% off",
          pointsCost: 1000,
          minimumOrder: "50",
          discount: { type: "percentage", percent: 10 },
        },
        { id: "five", name: "$5 off", pointsCost: 500, discount: { type: "fixedAmount", amount: "5" } },
        { id: "ship", name: "Free shipping", pointsCost: 1, discount: { type: "freeShipping" } },
        {
          id: "odd",
          name: "Odd amount",
          pointsCost: 2500,
          minimumOrder: "12.5",
          discount: { type: "fixedAmount", amount: "7.25" },
        },
      ],
    });
    expect(preview.rewards).toEqual([
      { id: "ship", name: "Free shipping", cost: "1 point", details: ["Free shipping on your order"] },
      { id: "five", name: "$5 off", cost: "500 points", details: ["$5 off your order"] },
      {
        id: "ten",
        name: "10% off",
        cost: "1,000 points",
        details: ["10% off your order", "On orders of $50 or more"],
      },
      {
        id: "odd",
        name: "Odd amount",
        cost: "2,500 points",
        details: ["$7.25 off your order", "On orders of $12.50 or more"],
      },
    ]);
    expect(preview.rewardRules).toEqual([words.onePerOrder, words.returnOnCancel]);
  });

  it("leaves out the cancellation promise when points don't come back, and says when there is nothing to redeem", () => {
    const rewards = [{ id: "five", name: "$5", pointsCost: 5, discount: { type: "fixedAmount" as const, amount: 5 } }];
    expect(previewOf({ earnRate: 1, rewards, returnRedeemedPointsOnCancel: false }).rewardRules).toEqual([
      words.onePerOrder,
    ]);
    expect(previewOf({ earnRate: 1 }).rewardRules).toEqual([words.noRewards]);
  });

  it("shows the tier ladder with what reaches each tier and what it gives", () => {
    const preview = previewOf({
      earnRate: 1,
      tiers: {
        basis: "netSpend",
        window: "rolling12Months",
        review: "quarterly",
        levels: [
          { id: "member", name: "Member", threshold: "0", earnMultiplier: "1" },
          { id: "silver", name: "Silver", threshold: "500", earnMultiplier: "1.5" },
          { id: "gold", name: "Gold", threshold: "1000.50", earnMultiplier: "2" },
        ],
      },
    });
    expect(preview.tiers).toEqual([
      { id: "member", name: "Member", requirement: "Every member starts here", perk: "Earn points at the usual rate" },
      { id: "silver", name: "Silver", requirement: "Spend $500 in 12 months", perk: "Earn 1.5× points" },
      { id: "gold", name: "Gold", requirement: "Spend $1,000.50 in 12 months", perk: "Earn 2× points" },
    ]);
    expect(preview.tierRules).toEqual([words.tiers.movesUp, words.tiers.review.quarterly]);

    const byPoints = previewOf({
      earnRate: 1,
      tiers: {
        basis: "pointsEarned",
        window: "lifetime",
        review: "never",
        levels: [
          { id: "one", name: "One", threshold: "1", earnMultiplier: "1.25" },
          { id: "vip", name: "VIP", threshold: "5000", earnMultiplier: "3" },
        ],
      },
    });
    expect(byPoints.tiers?.map((tier) => tier.requirement)).toEqual([
      "Earn 1 point in total",
      "Earn 5,000 points in total",
    ]);
    expect(byPoints.tiers?.[0].perk).toBe("Earn 1.25× points");
    expect(byPoints.tierRules).toEqual([words.tiers.movesUp, words.tiers.review.never]);
    expect(previewOf({ earnRate: 1 }).tiers).toBeNull();
  });

  it("says shoppers see nothing while the program is off", () => {
    expect(previewOf({ earnRate: 1 }, { enabled: false }).offNotice).toBe(words.programOff);
    expect(previewOf({ earnRate: 1 }).offNotice).toBeNull();
  });
});
