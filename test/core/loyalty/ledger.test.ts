import { describe, expect, it } from "vitest";

import {
  adjustPoints,
  applyChange,
  applyOrderEvent,
  applyRefund,
  auditLedger,
  awardBirthdayBonus,
  awardSignUpBonus,
  birthdayBonusYear,
  evaluateTier,
  expirePoints,
  loyaltySettingsSchema,
  newLoyaltyAccount,
  pointsExpiry,
  redeemReward,
  releasePendingPoints,
  returnRedeemedPoints,
  tierProgress,
  type LedgerChange,
  type LoyaltySettings,
  type LoyaltySettingsInput,
  type LoyaltyState,
  type ManualAdjustmentInput,
  type OrderEvent,
  type RedemptionRequest,
} from "~/core/loyalty";

const day = 86_400_000;
const start = Date.UTC(2026, 0, 1);
/** Midnight UTC, `days` after 1 January 2026. */
const on = (days: number) => new Date(start + days * day).toISOString();

function program(input: Partial<LoyaltySettingsInput> = {}): LoyaltySettings {
  return loyaltySettingsSchema.parse({ earnRate: "0.1", ...input });
}

/** One customer's ledger, folded the way a service would persist each change. */
function shopper(settings: LoyaltySettings, details: { customerTags?: string[]; birthday?: string } = {}) {
  let state: LoyaltyState = { account: newLoyaltyAccount("c1", details), entries: [], orders: [] };
  const keep = (change: LedgerChange) => {
    state = applyChange(state, change);
    return change;
  };
  const order = (fields: Partial<OrderEvent> & { updatedAt: string }): OrderEvent => ({
    orderId: "o1",
    customerId: "c1",
    placedAt: on(0),
    paid: true,
    fulfilled: false,
    cancelled: false,
    merchandiseCents: 0,
    taxCents: 0,
    shippingCents: 0,
    refunds: [],
    redemptionIds: [],
    ...fields,
  });
  return {
    settings,
    get state() {
      return state;
    },
    get balance() {
      return state.account.pointsBalance;
    },
    get pending() {
      return state.account.pendingPoints;
    },
    get owed() {
      return state.account.owedPoints;
    },
    get tier() {
      return state.account.tierId;
    },
    order: (fields: Partial<OrderEvent> & { updatedAt: string }, at = fields.updatedAt) =>
      keep(applyOrderEvent(state, settings, order(fields), at)),
    redeem(request: Partial<RedemptionRequest> & { redemptionId: string }, at: string) {
      const result = redeemReward(
        state,
        settings,
        {
          rewardId: "five-off",
          code: `CODE-${request.redemptionId}`,
          cartToken: "cart1",
          cartSubtotalCents: 5_000,
          ...request,
        },
        at,
      );
      if (result.ok) keep(result.change);
      return result;
    },
    adjust(adjustment: ManualAdjustmentInput, at: string) {
      const result = adjustPoints(state, adjustment, at);
      if (!result.ok) throw new Error(result.messages.join(" "));
      return keep(result.change);
    },
    keep,
  };
}

const fiveOff = {
  id: "five-off",
  name: "$5 off",
  pointsCost: 50,
  minimumOrder: "20.00",
  discount: { type: "fixedAmount" as const, amount: "5.00" },
};

describe("earning", () => {
  it("gives 1 point per $10: $99.99 earns 9 points", () => {
    const customer = shopper(program({ earnRate: 0.1 }));
    customer.order({ updatedAt: on(0), merchandiseCents: 9_999 });
    expect(customer.balance).toBe(9);
    expect(customer.state.entries).toMatchObject([
      {
        key: "order:o1@2026-01-01T00:00:00.000Z:points",
        kind: "earn",
        points: 9,
        earnRate: "0.1",
        tierMultiplier: "1",
      },
    ]);
  });

  it("earns on net spend after discounts; tax and shipping only when included", () => {
    const amounts = { merchandiseCents: 10_000, taxCents: 2_000, shippingCents: 1_000 };
    const plain = shopper(program({ earnRate: 1 }));
    plain.order({ updatedAt: on(0), ...amounts });
    const withTax = shopper(program({ earnRate: 1, includeTax: true }));
    withTax.order({ updatedAt: on(0), ...amounts });
    const withBoth = shopper(program({ earnRate: 1, includeTax: true, includeShipping: true }));
    withBoth.order({ updatedAt: on(0), ...amounts });
    expect([plain.balance, withTax.balance, withBoth.balance]).toEqual([100, 120, 130]);
  });

  it("earns nothing until the order is paid", () => {
    const customer = shopper(program({ earnRate: 1 }));
    const change = customer.order({ updatedAt: on(0), paid: false, merchandiseCents: 5_000 });
    expect(change.entries).toEqual([]);
    expect(change.order).toMatchObject({ orderId: "o1", paid: false, earning: null });
    customer.order({ updatedAt: on(1), paid: true, merchandiseCents: 5_000 });
    expect(customer.balance).toBe(50);
  });

  it("adjusts an edited order to its new net spend", () => {
    const customer = shopper(program({ earnRate: 1 }));
    customer.order({ updatedAt: on(0), merchandiseCents: 5_000 });
    customer.order({ updatedAt: on(1), merchandiseCents: 3_000 });
    expect(customer.balance).toBe(30);
    customer.order({ updatedAt: on(2), merchandiseCents: 8_000 });
    expect(customer.balance).toBe(80);
    expect(customer.state.entries.map((entry) => [entry.kind, entry.reason, entry.points])).toEqual([
      ["earn", "orderPaid", 50],
      ["reversal", "orderEdited", -20],
      ["earn", "orderEdited", 50],
    ]);
  });

  it("ignores a replayed or older version of an order", () => {
    const customer = shopper(program({ earnRate: 1 }));
    customer.order({ updatedAt: on(2), merchandiseCents: 3_000 });
    expect(customer.order({ updatedAt: on(2), merchandiseCents: 3_000 }).entries).toEqual([]);
    expect(customer.order({ updatedAt: on(1), merchandiseCents: 9_000 }).entries).toEqual([]);
    expect(customer.balance).toBe(30);
  });
});

describe("refunds and cancellations", () => {
  it("reverses a refund at the rate and tier multiplier in force when the points were earned", () => {
    const tiers = {
      basis: "netSpend" as const,
      window: "lifetime" as const,
      review: "never" as const,
      levels: [{ id: "gold", name: "Gold", threshold: "0", earnMultiplier: "2" }],
    };
    const customer = shopper(program({ earnRate: 1, tiers }));
    customer.order({ updatedAt: on(0), merchandiseCents: 10_000 });
    expect(customer.tier).toBe("gold");
    expect(customer.balance).toBe(200);

    // The merchant then doubles the earn rate and makes Gold 3×.
    const changed = program({
      earnRate: 2,
      tiers: { ...tiers, levels: [{ ...tiers.levels[0], earnMultiplier: "3" }] },
    });
    customer.keep(
      applyRefund(
        customer.state,
        changed,
        { orderId: "o1", refundId: "r1", merchandiseCents: 5_000, taxCents: 0, shippingCents: 0 },
        on(3),
      ),
    );
    expect(customer.balance).toBe(100);
    expect(customer.state.entries.at(-1)).toMatchObject({
      key: "refund:r1",
      kind: "reversal",
      points: -100,
      earnRate: "1",
      tierMultiplier: "2",
      netSpendCents: 5_000,
      reason: "refund",
    });
  });

  it("makes partial refunds add up to the full refund, whichever way they arrive", () => {
    const customer = shopper(program({ earnRate: "0.1" }));
    const refund = (refundId: string, merchandiseCents: number) => ({
      refundId,
      merchandiseCents,
      taxCents: 0,
      shippingCents: 0,
    });
    customer.order({ updatedAt: on(0), merchandiseCents: 9_999 });
    // refunds/create first, then the order version that lists it, then a second refund.
    customer.keep(applyRefund(customer.state, customer.settings, { orderId: "o1", ...refund("r1", 3_333) }, on(1)));
    expect(customer.balance).toBe(6); // floor(66.66 × 0.1)
    customer.order({ updatedAt: on(1), merchandiseCents: 9_999, refunds: [refund("r1", 3_333)] });
    expect(customer.balance).toBe(6);
    customer.order({
      updatedAt: on(2),
      merchandiseCents: 9_999,
      refunds: [refund("r1", 3_333), refund("r2", 6_666)],
    });
    expect(customer.balance).toBe(0);
  });

  it("reverses all of a cancelled order's points, its first-order bonus and returns its reward's points", () => {
    const settings = program({ earnRate: 1, bonuses: { firstOrder: 25 }, rewards: [fiveOff] });
    const customer = shopper(settings);
    customer.adjust({ adjustmentId: "a1", points: 50, staffMember: "Ana", reason: "Welcome gift" }, on(0));
    expect(customer.redeem({ redemptionId: "red1" }, on(1)).ok).toBe(true);
    expect(customer.balance).toBe(0);
    customer.order({ updatedAt: on(2), merchandiseCents: 4_000, redemptionIds: ["red1"] });
    expect(customer.balance).toBe(40 + 25);
    customer.order({ updatedAt: on(3), merchandiseCents: 4_000, redemptionIds: ["red1"], cancelled: true });
    expect(customer.balance).toBe(50);
    expect(customer.state.entries.slice(-3).map((entry) => [entry.key, entry.points])).toEqual([
      ["order:o1@2026-01-04T00:00:00.000Z:points", -40],
      ["order:o1:firstOrderBonus:reversal", -25],
      ["redemption:red1:return", 50],
    ]);
    // Replaying the cancellation changes nothing.
    expect(customer.order({ updatedAt: on(3), cancelled: true, merchandiseCents: 4_000 }).entries).toEqual([]);
  });

  it("keeps the reward's points spent when the merchant chose not to return them", () => {
    const customer = shopper(program({ earnRate: 1, rewards: [fiveOff], returnRedeemedPointsOnCancel: false }));
    customer.order({ orderId: "o0", updatedAt: on(0), merchandiseCents: 5_000 });
    customer.redeem({ redemptionId: "red1" }, on(1));
    customer.order({ updatedAt: on(2), merchandiseCents: 3_000, redemptionIds: ["red1"], cancelled: true });
    expect(customer.balance).toBe(0);
  });

  it("never lets the balance go negative: a reversal larger than the balance is owed, then paid off", () => {
    const customer = shopper(program({ earnRate: 1, rewards: [fiveOff] }));
    customer.order({ orderId: "o1", updatedAt: on(0), merchandiseCents: 6_000 });
    customer.redeem({ redemptionId: "red1" }, on(1)); // 60 - 50
    customer.order({ orderId: "o1", updatedAt: on(2), merchandiseCents: 6_000, cancelled: true });
    expect([customer.balance, customer.owed]).toEqual([0, 50]);
    expect(customer.state.entries.at(-1)).toMatchObject({ kind: "reversal", points: -10, owedPoints: 50 });

    customer.order({ orderId: "o2", updatedAt: on(3), merchandiseCents: 8_000 });
    expect([customer.balance, customer.owed]).toEqual([30, 0]);
    expect(customer.state.entries.at(-1)).toMatchObject({ kind: "earn", points: 30, owedPoints: -50 });
    expect(auditLedger(customer.state.account, customer.state.entries)).toMatchObject({
      hasDrift: false,
      problems: [],
    });
  });
});

describe("pending points", () => {
  it("holds points for the pending period, counted from when the order was placed", () => {
    const customer = shopper(program({ earnRate: 1, availability: { when: "afterDays", days: 14 } }));
    customer.order({ updatedAt: on(1), placedAt: on(0), merchandiseCents: 5_000 });
    expect([customer.balance, customer.pending]).toEqual([0, 50]);
    expect(customer.keep(releasePendingPoints(customer.state, customer.settings, on(13))).entries).toEqual([]);
    customer.keep(releasePendingPoints(customer.state, customer.settings, on(14)));
    expect([customer.balance, customer.pending]).toEqual([50, 0]);
    expect(customer.keep(releasePendingPoints(customer.state, customer.settings, on(15))).entries).toEqual([]);
    expect(customer.state.entries.at(-1)).toMatchObject({ kind: "pendingReleased", points: 50, pendingPoints: -50 });
  });

  it("takes a refund from the order's pending points first", () => {
    const customer = shopper(program({ earnRate: 1, availability: { when: "fulfilled" } }));
    customer.order({ orderId: "o1", updatedAt: on(0), merchandiseCents: 5_000, fulfilled: true });
    customer.order({ orderId: "o2", updatedAt: on(1), merchandiseCents: 3_000 });
    expect([customer.balance, customer.pending]).toEqual([50, 30]);
    customer.order({
      orderId: "o2",
      updatedAt: on(2),
      merchandiseCents: 3_000,
      refunds: [{ refundId: "r1", merchandiseCents: 1_000, taxCents: 0, shippingCents: 0 }],
    });
    expect([customer.balance, customer.pending]).toEqual([50, 20]);
    customer.order({ orderId: "o2", updatedAt: on(3), merchandiseCents: 3_000, fulfilled: true });
    expect([customer.balance, customer.pending]).toEqual([70, 0]);
  });
});

describe("redemptions", () => {
  const settings = program({ earnRate: 1, rewards: [fiveOff] });

  it("checks points, the minimum order and one reward per order", () => {
    const customer = shopper(settings);
    expect(customer.redeem({ redemptionId: "x" }, on(0))).toMatchObject({ ok: false, refusal: "notEnoughPoints" });
    customer.order({ updatedAt: on(0), merchandiseCents: 20_000 });
    expect(customer.redeem({ redemptionId: "x", cartSubtotalCents: 1_999 }, on(1))).toMatchObject({
      ok: false,
      refusal: "belowMinimumOrder",
      message: "$5 off needs an order of at least 20.00.",
    });
    expect(customer.redeem({ redemptionId: "x", rewardId: "gone" }, on(1))).toMatchObject({ refusal: "unknownReward" });
    const first = customer.redeem({ redemptionId: "red1" }, on(1));
    expect(first).toMatchObject({
      ok: true,
      codeRequest: {
        redemptionId: "red1",
        customerId: "c1",
        code: "CODE-red1",
        discount: { type: "fixedAmount", amountCents: 500 },
        minimumOrderCents: 2_000,
        usageLimit: 1,
      },
    });
    expect(customer.redeem({ redemptionId: "red2" }, on(1))).toMatchObject({ refusal: "rewardAlreadyOnOrder" });
    expect(customer.redeem({ redemptionId: "red2", cartToken: "cart2" }, on(1)).ok).toBe(true);
    expect(customer.balance).toBe(100);
  });

  it("returns the points once when Shopify fails to create the code, and a retry redeems nothing more", () => {
    const customer = shopper(settings);
    customer.order({ updatedAt: on(0), merchandiseCents: 6_000 });
    const retry = () => customer.redeem({ redemptionId: "red1" }, on(1));
    expect(retry().ok).toBe(true);
    expect(retry()).toMatchObject({ ok: true, change: { entries: [] } });
    expect(customer.balance).toBe(10);
    const failed = { redemptionId: "red1", reason: "codeCreationTimedOut" } as const;
    expect(customer.keep(returnRedeemedPoints(customer.state, failed, on(2))).entries).toMatchObject([
      { key: "redemption:red1:return", kind: "redemptionRefund", points: 50, reason: "codeCreationTimedOut" },
    ]);
    expect(customer.keep(returnRedeemedPoints(customer.state, failed, on(2))).entries).toEqual([]);
    expect(retry()).toMatchObject({ ok: false, refusal: "redemptionClosed" });
    expect(customer.balance).toBe(60);
    // The cart is free again for another reward.
    expect(customer.redeem({ redemptionId: "red2" }, on(3)).ok).toBe(true);
  });
});

describe("tiers", () => {
  const tiers = {
    basis: "netSpend" as const,
    window: "rolling12Months" as const,
    review: "quarterly" as const,
    levels: [
      { id: "silver", name: "Silver", threshold: "100", earnMultiplier: "1.5" },
      { id: "gold", name: "Gold", threshold: "500", earnMultiplier: "2" },
    ],
  };

  it("moves members up at once and down only at the review", () => {
    const customer = shopper(program({ earnRate: 1, tiers }));
    const change = customer.order({ orderId: "o1", updatedAt: on(10), placedAt: on(10), merchandiseCents: 60_000 });
    expect(change.tierChange).toEqual({
      customerId: "c1",
      fromTierId: null,
      toTierId: "gold",
      at: on(10),
      reason: "qualified",
    });
    // Earned at 1× (no tier when the order came in); the next order earns at Gold's 2×.
    customer.order({ orderId: "o2", updatedAt: on(20), placedAt: on(20), merchandiseCents: 1_000 });
    expect(customer.balance).toBe(600 + 20);

    // A refund takes the 12-month spend below Gold in February: still Gold until the April review.
    customer.order({
      orderId: "o1",
      updatedAt: on(40),
      merchandiseCents: 60_000,
      refunds: [{ refundId: "r1", merchandiseCents: 50_000, taxCents: 0, shippingCents: 0 }],
    });
    expect(customer.tier).toBe("gold");
    const march = evaluateTier(customer.state, customer.settings, on(88));
    expect(march.tierChange).toBeNull();
    const april = evaluateTier(customer.state, customer.settings, "2026-04-01T00:00:00.000Z");
    expect(april.tierChange).toMatchObject({ fromTierId: "gold", toTierId: "silver", reason: "review" });
  });

  it("re-evaluates members when the merchant changes the thresholds", () => {
    const customer = shopper(program({ earnRate: 1, tiers }));
    customer.order({ updatedAt: on(10), placedAt: on(10), merchandiseCents: 20_000 });
    expect(customer.tier).toBe("silver");
    expect(tierProgress(customer.state, customer.settings, on(11))).toEqual({
      tierId: "silver",
      counted: 20_000,
      nextTier: { tierId: "gold", name: "Gold", remaining: 30_000 },
    });

    const lower = program({
      earnRate: 1,
      tiers: { ...tiers, levels: [tiers.levels[0], { ...tiers.levels[1], threshold: "150" }] },
    });
    expect(evaluateTier(customer.state, lower, on(12)).account.tierId).toBe("gold");

    const higher = program({
      earnRate: 1,
      tiers: { ...tiers, levels: [{ ...tiers.levels[0], threshold: "300" }, tiers.levels[1]] },
    });
    expect(evaluateTier(customer.state, higher, on(12)).account.tierId).toBe("silver");
    expect(evaluateTier(customer.state, higher, "2026-04-01T00:00:00.000Z").account.tierId).toBeNull();

    const renamed = program({
      earnRate: 1,
      tiers: { ...tiers, levels: [{ ...tiers.levels[0], id: "bronze" }, tiers.levels[1]] },
    });
    expect(evaluateTier(customer.state, renamed, on(12)).tierChange).toMatchObject({
      fromTierId: "silver",
      toTierId: "bronze",
      reason: "tierRemoved",
    });
  });

  it("counts points earned over the whole history when the merchant chose so", () => {
    const byPoints = {
      ...tiers,
      basis: "pointsEarned" as const,
      window: "lifetime" as const,
      levels: [{ id: "silver", name: "Silver", threshold: "100" }],
    };
    const customer = shopper(program({ earnRate: 1, tiers: byPoints, bonuses: { firstOrder: 500 } }));
    customer.order({ orderId: "o1", updatedAt: on(0), merchandiseCents: 9_900 });
    expect(customer.tier).toBeNull(); // 99 points from orders; the bonus doesn't count
    customer.order({ orderId: "o2", updatedAt: on(400), placedAt: on(400), merchandiseCents: 100 });
    expect(customer.tier).toBe("silver");
  });
});

describe("expiry", () => {
  const settings = program({ earnRate: 1, expiry: { inactiveDays: 365, warningDays: 30 }, rewards: [fiveOff] });

  it("warns the shopper before the points expire, then expires them", () => {
    const customer = shopper(settings);
    customer.order({ updatedAt: on(0), merchandiseCents: 7_000 });
    expect(pointsExpiry(customer.state, settings, on(300))).toEqual({
      points: 70,
      expiresAt: "2027-01-01T00:00:00.000Z",
      expiringSoon: false,
    });
    expect(pointsExpiry(customer.state, settings, on(340))).toMatchObject({ points: 70, expiringSoon: true });
    expect(customer.keep(expirePoints(customer.state, settings, on(364))).entries).toEqual([]);
    customer.keep(expirePoints(customer.state, settings, on(365)));
    expect(customer.balance).toBe(0);
    expect(customer.keep(expirePoints(customer.state, settings, on(366))).entries).toEqual([]);
    expect(pointsExpiry(customer.state, settings, on(366))).toBeNull();
  });

  it("starts the clock again at every activity", () => {
    const customer = shopper(settings);
    customer.order({ updatedAt: on(0), merchandiseCents: 7_000 });
    customer.redeem({ redemptionId: "red1" }, on(200));
    expect(pointsExpiry(customer.state, settings, on(201))?.expiresAt).toBe(on(565));
    expect(customer.keep(expirePoints(customer.state, settings, on(400))).entries).toEqual([]);
  });
});

describe("bonuses and exclusions", () => {
  it("gives the sign-up bonus once and the birthday bonus once per year", () => {
    const settings = program({ bonuses: { signUp: 100, birthday: 200 } });
    const customer = shopper(settings, { birthday: "02-29" });
    customer.keep(awardSignUpBonus(customer.state, settings, on(0)));
    customer.keep(awardSignUpBonus(customer.state, settings, on(1)));
    expect(customer.balance).toBe(100);
    expect(birthdayBonusYear("02-29", "2026-02-27")).toBeNull();
    expect(birthdayBonusYear("02-29", "2026-02-28")).toBe(2026);
    expect(birthdayBonusYear("12-30", "2027-01-04")).toBe(2026);
    customer.keep(awardBirthdayBonus(customer.state, settings, "2026-02-28", on(58)));
    customer.keep(awardBirthdayBonus(customer.state, settings, "2026-03-01", on(59)));
    expect(customer.balance).toBe(300);
    customer.keep(awardBirthdayBonus(customer.state, settings, "2027-03-01", on(424)));
    expect(customer.balance).toBe(500);
  });

  it("leaves customers with an excluded tag out of earning, bonuses, tiers and rewards", () => {
    const settings = program({
      earnRate: 1,
      excludedCustomerTags: ["wholesale"],
      bonuses: { signUp: 100, firstOrder: 50 },
      rewards: [fiveOff],
      tiers: {
        basis: "netSpend",
        window: "lifetime",
        review: "never",
        levels: [{ id: "member", name: "Member", threshold: "0" }],
      },
    });
    const customer = shopper(settings, { customerTags: ["VIP", " Wholesale "] });
    customer.keep(awardSignUpBonus(customer.state, settings, on(0)));
    const change = customer.order({ updatedAt: on(1), merchandiseCents: 50_000 });
    expect(change.entries).toEqual([]);
    expect(change.order).toMatchObject({ excluded: true, earning: null });
    expect(customer.tier).toBeNull();
    expect(customer.redeem({ redemptionId: "red1" }, on(2))).toMatchObject({ refusal: "excluded" });

    const member = shopper(settings, { customerTags: ["VIP"] });
    member.order({ updatedAt: on(1), merchandiseCents: 50_000 });
    expect([member.balance, member.tier]).toEqual([550, "member"]);
  });
});

describe("manual adjustments and audit", () => {
  it("records who adjusted and why, once per adjustment, and refuses to remove more than there is", () => {
    const customer = shopper(program());
    const add = { adjustmentId: "adj1", points: 40, staffMember: "Ana", reason: "Damaged parcel" };
    customer.adjust(add, on(0));
    expect(adjustPoints(customer.state, add, on(0))).toMatchObject({ ok: true, change: { entries: [] } });
    expect(customer.state.entries).toMatchObject([
      { key: "adjustment:adj1", kind: "adjustment", points: 40, staffMember: "Ana", reason: "Damaged parcel" },
    ]);
    expect(
      adjustPoints(customer.state, { adjustmentId: "adj2", points: -41, staffMember: "Ana", reason: "Typo" }, on(1)),
    ).toEqual({ ok: false, messages: ["Can't remove 41 points: the customer has 40 available."] });
    expect(
      adjustPoints(customer.state, { adjustmentId: "adj3", points: -5, staffMember: "", reason: "" }, on(1)),
    ).toEqual({
      ok: false,
      messages: [
        "Say which staff member is making the adjustment.",
        "Give a reason for the adjustment; the customer's history shows it.",
      ],
    });
  });

  it("reports drift between the stored balance and the ledger", () => {
    const customer = shopper(program({ earnRate: 1 }));
    customer.order({ updatedAt: on(0), merchandiseCents: 5_000 });
    const clean = auditLedger(customer.state.account, customer.state.entries);
    expect(clean).toMatchObject({ hasDrift: false, problems: [], recomputed: { pointsBalance: 50 } });
    const drifted = auditLedger({ ...customer.state.account, pointsBalance: 65 }, [
      ...customer.state.entries,
      customer.state.entries[0],
    ]);
    expect(drifted).toMatchObject({
      hasDrift: true,
      stored: { pointsBalance: 65 },
      recomputed: { pointsBalance: 100 },
      drift: { pointsBalance: 35, pendingPoints: 0, owedPoints: 0 },
      problems: ["Entry key order:o1@2026-01-01T00:00:00.000Z:points appears more than once."],
    });
  });
});
