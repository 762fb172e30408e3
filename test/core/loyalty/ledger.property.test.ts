// Property tests: random histories of orders, edits, refunds, cancellations, redemptions (some
// failing), expiries and staff adjustments, delivered shuffled and with duplicates. The ledger
// must keep its sums non-negative and equal to its entries, ignore every repeat, and agree step
// by step with `ReferenceModel` below: a separate, deliberately plain implementation of the
// rules in docs/decisions/005-loyalty-ledger.md that keeps running totals and no entries.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  adjustPoints,
  applyChange,
  applyOrderEvent,
  applyRefund,
  auditLedger,
  awardSignUpBonus,
  expirePoints,
  loyaltySettingsSchema,
  newLoyaltyAccount,
  redeemReward,
  releasePendingPoints,
  returnRedeemedPoints,
  type LedgerChange,
  type LoyaltySettings,
  type LoyaltyState,
  type OrderEvent,
  type OrderRefund,
} from "~/core/loyalty";

const hour = 3_600_000;
const day = 24 * hour;
const start = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

// --- the program under test ------------------------------------------------------------------

interface Program {
  rate: { text: string; numerator: number; denominator: number };
  includeTax: boolean;
  includeShipping: boolean;
  availability: "paid" | "fulfilled" | "afterDays";
  firstOrderBonus: number;
  signUpBonus: number;
  expires: boolean;
  returnOnCancel: boolean;
  excluded: boolean;
}

const pendingDays = 3;
const inactiveDays = 30;
const reward = { id: "reward", cost: 60, minimumCents: 3_000 };

const programArb: fc.Arbitrary<Program> = fc.record({
  rate: fc.constantFrom(
    { text: "0.1", numerator: 1, denominator: 10 },
    { text: "1", numerator: 1, denominator: 1 },
    { text: "0.25", numerator: 1, denominator: 4 },
    { text: "2.5", numerator: 5, denominator: 2 },
  ),
  includeTax: fc.boolean(),
  includeShipping: fc.boolean(),
  availability: fc.constantFrom("paid", "fulfilled", "afterDays"),
  firstOrderBonus: fc.constantFrom(0, 15),
  signUpBonus: fc.constantFrom(0, 10),
  expires: fc.boolean(),
  returnOnCancel: fc.boolean(),
  excluded: fc.constantFrom(false, false, false, true),
});

function settingsFor(program: Program): LoyaltySettings {
  return loyaltySettingsSchema.parse({
    earnRate: program.rate.text,
    includeTax: program.includeTax,
    includeShipping: program.includeShipping,
    availability:
      program.availability === "afterDays" ? { when: "afterDays", days: pendingDays } : { when: program.availability },
    bonuses: { firstOrder: program.firstOrderBonus, signUp: program.signUpBonus },
    expiry: program.expires ? { inactiveDays, warningDays: 7 } : null,
    rewards: [
      {
        id: reward.id,
        name: "Reward",
        pointsCost: reward.cost,
        minimumOrder: reward.minimumCents / 100,
        discount: { type: "percentage", percent: 10 },
      },
    ],
    returnRedeemedPointsOnCancel: program.returnOnCancel,
    excludedCustomerTags: ["staff"],
  });
}

// --- histories -----------------------------------------------------------------------------

type Action =
  | { type: "order"; event: OrderEvent }
  | { type: "refund"; orderId: string; refund: OrderRefund }
  | { type: "redeem"; redemptionId: string; cartToken: string; cartSubtotalCents: number }
  | { type: "redemptionFailed"; redemptionId: string }
  | { type: "adjust"; adjustmentId: string; points: number }
  | { type: "signUp" }
  | { type: "release" }
  | { type: "expire" };

/** An action and when it is delivered (in 3-hour slots), plus when its duplicates are. */
interface Delivery {
  action: Action;
  slot: number;
  copies: number[];
}

const slotArb = fc.nat({ max: 1_000 });
// About a third of deliveries arrive twice.
const copiesArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant<number[]>([]) },
  { weight: 1, arbitrary: fc.tuple(slotArb).map((slot) => [...slot]) },
);

const versionArb = fc.record({
  merchandiseCents: fc.integer({ min: 0, max: 20_000 }),
  taxCents: fc.integer({ min: 0, max: 2_000 }),
  shippingCents: fc.integer({ min: 0, max: 1_500 }),
  paid: fc.constantFrom(true, true, false),
  fulfilled: fc.boolean(),
  refund: fc.option(
    fc.record({
      merchandiseCents: fc.integer({ min: 0, max: 8_000 }),
      taxCents: fc.integer({ min: 0, max: 800 }),
      shippingCents: fc.integer({ min: 0, max: 600 }),
      alsoAlone: fc.boolean(),
    }),
    { freq: 2 },
  ),
  redemption: fc.option(fc.nat({ max: 2 }), { freq: 2 }),
  slot: slotArb,
  copies: copiesArb,
});

const orderArb = fc.record({
  placedDay: fc.nat({ max: 100 }),
  versions: fc.array(versionArb, { minLength: 1, maxLength: 4 }),
  cancelledAtEnd: fc.constantFrom(false, false, true),
});

type GeneratedOrder = typeof orderArb extends fc.Arbitrary<infer Order> ? Order : never;

/** The versions of one order as Shopify would send them: flags only turn on, refunds accumulate. */
function orderDeliveries(index: number, order: GeneratedOrder): Delivery[] {
  const orderId = `o${index}`;
  const placedAt = start + order.placedDay * day;
  const deliveries: Delivery[] = [];
  const refunds: OrderRefund[] = [];
  const redemptionIds: string[] = [];
  let paid = false;
  let fulfilled = false;
  order.versions.forEach((version, k) => {
    paid ||= version.paid;
    fulfilled ||= paid && version.fulfilled;
    if (version.refund) {
      const { alsoAlone, ...amounts } = version.refund;
      const refund = { refundId: `${orderId}-r${k}`, ...amounts };
      refunds.push(refund);
      if (alsoAlone) deliveries.push({ action: { type: "refund", orderId, refund }, slot: version.slot, copies: [] });
    }
    if (version.redemption !== null && !redemptionIds.includes(`red${version.redemption}`))
      redemptionIds.push(`red${version.redemption}`);
    const event: OrderEvent = {
      orderId,
      customerId: "c1",
      updatedAt: iso(placedAt + (k + 1) * hour),
      placedAt: iso(placedAt),
      paid,
      fulfilled,
      cancelled: order.cancelledAtEnd && k === order.versions.length - 1,
      merchandiseCents: version.merchandiseCents,
      taxCents: version.taxCents,
      shippingCents: version.shippingCents,
      refunds: [...refunds],
      redemptionIds: [...redemptionIds],
    };
    deliveries.push({ action: { type: "order", event }, slot: version.slot, copies: version.copies });
  });
  return deliveries;
}

const historyArb = fc
  .record({
    program: programArb,
    orders: fc.array(orderArb, { minLength: 1, maxLength: 4 }),
    redemptions: fc.array(
      fc.record({
        cartToken: fc.constantFrom("cartA", "cartB"),
        cartSubtotalCents: fc.integer({ min: 0, max: 10_000 }),
        failsAfter: fc.option(fc.integer({ min: 1, max: 40 }), { freq: 2 }),
        slot: slotArb,
        copies: copiesArb,
      }),
      { maxLength: 4 },
    ),
    adjustments: fc.array(
      fc.record({ points: fc.integer({ min: -80, max: 80 }).filter((n) => n !== 0), slot: slotArb, copies: copiesArb }),
      { maxLength: 3 },
    ),
    signUp: fc.option(fc.record({ slot: slotArb, copies: copiesArb })),
    releases: fc.array(slotArb, { maxLength: 4 }),
    expiries: fc.array(slotArb, { maxLength: 4 }),
  })
  .map((history) => {
    const deliveries: Delivery[] = history.orders.flatMap((order, index) => orderDeliveries(index, order));
    history.redemptions.forEach((redemption, index) => {
      const redemptionId = `red${index}`;
      const { cartToken, cartSubtotalCents, slot, copies } = redemption;
      deliveries.push({ action: { type: "redeem", redemptionId, cartToken, cartSubtotalCents }, slot, copies });
      // A failure is only ever reported after the redemption it is about.
      if (redemption.failsAfter !== null)
        deliveries.push({
          action: { type: "redemptionFailed", redemptionId },
          slot: slot + redemption.failsAfter,
          copies: copies.map((copy) => Math.max(copy, slot) + 1),
        });
    });
    history.adjustments.forEach(({ points, slot, copies }, index) =>
      deliveries.push({ action: { type: "adjust", adjustmentId: `adj${index}`, points }, slot, copies }),
    );
    if (history.signUp) deliveries.push({ action: { type: "signUp" }, ...history.signUp });
    for (const slot of history.releases) deliveries.push({ action: { type: "release" }, slot, copies: [] });
    for (const slot of history.expiries) deliveries.push({ action: { type: "expire" }, slot, copies: [] });
    const delivered = deliveries
      .flatMap((delivery, index) => [delivery.slot, ...delivery.copies].map((slot) => ({ slot, index, delivery })))
      .sort((a, b) => a.slot - b.slot || a.index - b.index)
      .map(({ slot, delivery }) => ({ at: start + slot * 3 * hour, action: delivery.action }));
    return { program: history.program, delivered };
  });

// --- the implementation, driven -------------------------------------------------------------

function perform(state: LoyaltyState, settings: LoyaltySettings, action: Action, now: number): LedgerChange {
  const at = iso(now);
  switch (action.type) {
    case "order":
      return applyOrderEvent(state, settings, action.event, at);
    case "refund":
      return applyRefund(state, settings, { orderId: action.orderId, ...action.refund }, at);
    case "redeem": {
      const { type: _type, ...request } = action;
      const result = redeemReward(state, settings, { ...request, rewardId: reward.id, code: request.redemptionId }, at);
      return result.ok ? result.change : { entries: [], account: state.account, order: null, tierChange: null };
    }
    case "redemptionFailed":
      return returnRedeemedPoints(state, { redemptionId: action.redemptionId, reason: "codeCreationFailed" }, at);
    case "adjust": {
      const result = adjustPoints(
        state,
        { adjustmentId: action.adjustmentId, points: action.points, staffMember: "Sam", reason: "Correction" },
        at,
      );
      return result.ok ? result.change : { entries: [], account: state.account, order: null, tierChange: null };
    }
    case "signUp":
      return awardSignUpBonus(state, settings, at);
    case "release":
      return releasePendingPoints(state, settings, at);
    case "expire":
      return expirePoints(state, settings, at);
  }
}

// --- the reference model ------------------------------------------------------------------------

interface ModelOrder {
  version: number;
  placedAt: number;
  merchandiseCents: number;
  taxCents: number;
  shippingCents: number;
  paid: boolean;
  fulfilled: boolean;
  cancelled: boolean;
  refunds: Map<string, OrderRefund>;
  redemptionIds: Set<string>;
  /** "none" until paid; "excluded" if the customer was excluded then. */
  earns: "none" | "yes" | "excluded";
  points: number;
  pending: number;
  bonus: "never" | "holding" | "lost";
}

/** Running totals and plain loops; no entries, no keys, nothing shared with the implementation. */
class ReferenceModel {
  balance = 0;
  pending = 0;
  owed = 0;
  lastActivity: number | null = null;
  orders = new Map<string, ModelOrder>();
  redemptions = new Map<string, { cartToken: string; returned: boolean }>();
  adjustments = new Set<string>();
  signedUp = false;
  now = 0;

  constructor(readonly program: Program) {}

  apply(action: Action, now: number): void {
    this.now = now;
    if (action.type === "order") this.order(action.event);
    if (action.type === "refund") this.refund(action.orderId, action.refund);
    if (action.type === "redeem") this.redeem(action.redemptionId, action.cartToken, action.cartSubtotalCents);
    if (action.type === "redemptionFailed") this.giveBack(action.redemptionId);
    if (action.type === "adjust") this.adjust(action.adjustmentId, action.points);
    if (action.type === "signUp" && !this.signedUp && !this.program.excluded && this.program.signUpBonus > 0) {
      this.signedUp = true;
      this.gain(this.program.signUpBonus, true, null);
    }
    if (action.type === "release") for (const order of this.orders.values()) this.release(order);
    if (action.type === "expire") this.expire();
  }

  private gain(points: number, available: boolean, order: ModelOrder | null): void {
    if (points <= 0) return;
    this.lastActivity = this.now;
    if (!available) {
      this.pending += points;
      if (order) order.pending += points;
      return;
    }
    const paidOff = Math.min(this.owed, points);
    this.owed -= paidOff;
    this.balance += points - paidOff;
  }

  private lose(points: number, order: ModelOrder | null): void {
    let left = points;
    if (order) {
      const fromPending = Math.min(left, order.pending);
      order.pending -= fromPending;
      this.pending -= fromPending;
      left -= fromPending;
    }
    const fromBalance = Math.min(left, this.balance);
    this.balance -= fromBalance;
    this.owed += left - fromBalance;
  }

  private release(order: ModelOrder): void {
    if (order.pending === 0 || !this.availableNow(order)) return;
    const points = order.pending;
    order.pending = 0;
    this.pending -= points;
    this.lastActivity = this.now;
    const paidOff = Math.min(this.owed, points);
    this.owed -= paidOff;
    this.balance += points - paidOff;
  }

  private availableNow(order: ModelOrder): boolean {
    if (this.program.availability === "paid") return true;
    if (this.program.availability === "fulfilled") return order.fulfilled;
    return this.now >= order.placedAt + pendingDays * day;
  }

  private worth(order: ModelOrder): number {
    if (order.earns !== "yes" || order.cancelled) return 0;
    let merchandise = order.merchandiseCents;
    let tax = order.taxCents;
    let shipping = order.shippingCents;
    for (const refund of order.refunds.values()) {
      merchandise -= refund.merchandiseCents;
      tax -= refund.taxCents;
      shipping -= refund.shippingCents;
    }
    let spend = Math.max(merchandise, 0);
    if (this.program.includeTax) spend += Math.max(tax, 0);
    if (this.program.includeShipping) spend += Math.max(shipping, 0);
    const { numerator, denominator } = this.program.rate;
    const hundredths = spend * numerator;
    return (hundredths - (hundredths % (denominator * 100))) / (denominator * 100);
  }

  private catchUp(order: ModelOrder): void {
    const difference = this.worth(order) - order.points;
    if (difference > 0) this.gain(difference, this.availableNow(order), order);
    if (difference < 0) this.lose(-difference, order);
    order.points += difference;
  }

  private order(event: OrderEvent): void {
    const version = Date.parse(event.updatedAt);
    let order = this.orders.get(event.orderId);
    if (!order) {
      order = {
        version,
        placedAt: Date.parse(event.placedAt),
        merchandiseCents: event.merchandiseCents,
        taxCents: event.taxCents,
        shippingCents: event.shippingCents,
        paid: false,
        fulfilled: false,
        cancelled: false,
        refunds: new Map(),
        redemptionIds: new Set(),
        earns: "none",
        points: 0,
        pending: 0,
        bonus: "never",
      };
      this.orders.set(event.orderId, order);
    } else if (version > order.version) {
      order.version = version;
      order.merchandiseCents = event.merchandiseCents;
      order.taxCents = event.taxCents;
      order.shippingCents = event.shippingCents;
    }
    order.paid ||= event.paid;
    order.fulfilled ||= event.fulfilled;
    order.cancelled ||= event.cancelled;
    for (const id of event.redemptionIds) order.redemptionIds.add(id);
    if (order.paid && !order.cancelled && order.earns === "none")
      order.earns = this.program.excluded ? "excluded" : "yes";
    this.catchUp(order);
    for (const refund of event.refunds)
      if (!order.refunds.has(refund.refundId)) {
        order.refunds.set(refund.refundId, refund);
        this.catchUp(order);
      }
    this.afterOrderChange(order);
  }

  private refund(orderId: string, refund: OrderRefund): void {
    const order = this.orders.get(orderId);
    if (!order) return;
    if (!order.refunds.has(refund.refundId)) {
      order.refunds.set(refund.refundId, refund);
      this.catchUp(order);
    }
    this.afterOrderChange(order);
  }

  private afterOrderChange(order: ModelOrder): void {
    // First-order bonus: taken back from a cancelled holder, then given to the earliest order that can hold it.
    let someoneHolds = false;
    for (const other of this.orders.values()) {
      if (other.bonus !== "holding") continue;
      if (other.cancelled) {
        other.bonus = "lost";
        this.lose(this.program.firstOrderBonus, other);
      } else someoneHolds = true;
    }
    if (!someoneHolds && this.program.firstOrderBonus > 0 && !this.program.excluded) {
      const candidates = [...this.orders.entries()]
        .filter(([, other]) => other.earns === "yes" && other.paid && !other.cancelled && other.bonus === "never")
        .sort(([idA, a], [idB, b]) => a.placedAt - b.placedAt || idA.localeCompare(idB));
      if (candidates.length > 0) {
        const holder = candidates[0][1];
        holder.bonus = "holding";
        this.gain(this.program.firstOrderBonus, this.availableNow(holder), holder);
      }
    }
    let refundedMerchandise = 0;
    for (const refund of order.refunds.values()) refundedMerchandise += refund.merchandiseCents;
    const undone = order.cancelled || (order.refunds.size > 0 && order.merchandiseCents <= refundedMerchandise);
    if (this.program.returnOnCancel && undone) for (const id of order.redemptionIds) this.giveBack(id);
    this.release(order);
  }

  private redeem(redemptionId: string, cartToken: string, cartSubtotalCents: number): void {
    if (this.redemptions.has(redemptionId) || this.program.excluded) return;
    if (this.balance < reward.cost || cartSubtotalCents < reward.minimumCents) return;
    for (const other of this.redemptions.values()) if (other.cartToken === cartToken && !other.returned) return;
    this.redemptions.set(redemptionId, { cartToken, returned: false });
    this.balance -= reward.cost;
    this.lastActivity = this.now;
  }

  private giveBack(redemptionId: string): void {
    const redemption = this.redemptions.get(redemptionId);
    if (!redemption || redemption.returned) return;
    redemption.returned = true;
    this.gain(reward.cost, true, null);
  }

  private adjust(adjustmentId: string, points: number): void {
    if (this.adjustments.has(adjustmentId)) return;
    if (points < 0 && -points > this.balance) return;
    this.adjustments.add(adjustmentId);
    if (points > 0) this.gain(points, true, null);
    else {
      this.balance += points;
      this.lastActivity = this.now;
    }
  }

  private expire(): void {
    if (!this.program.expires || this.balance === 0 || this.lastActivity === null) return;
    if (this.now >= this.lastActivity + inactiveDays * day) this.balance = 0;
  }
}

// --- properties -------------------------------------------------------------------------------

describe("the loyalty ledger under random histories", () => {
  it("keeps balance = sum of entries ≥ 0, ignores repeats, and matches the reference model", () => {
    fc.assert(
      fc.property(historyArb, ({ program, delivered }) => {
        const settings = settingsFor(program);
        const model = new ReferenceModel(program);
        let state: LoyaltyState = {
          account: newLoyaltyAccount("c1", { customerTags: program.excluded ? ["Staff"] : [] }),
          entries: [],
          orders: [],
        };
        for (const { at, action } of delivered) {
          state = applyChange(state, perform(state, settings, action, at));
          model.apply(action, at);

          const { pointsBalance, pendingPoints, owedPoints } = state.account;
          expect({ pointsBalance, pendingPoints, owedPoints }).toEqual({
            pointsBalance: model.balance,
            pendingPoints: model.pending,
            owedPoints: model.owed,
          });
          expect(pointsBalance).toBeGreaterThanOrEqual(0);
          expect(pendingPoints).toBeGreaterThanOrEqual(0);
          expect(owedPoints).toBeGreaterThanOrEqual(0);
          // Owed points are paid off by the first points that come in.
          if (owedPoints > 0) expect(pointsBalance).toBe(0);
          // The same delivery again, at once, adds nothing.
          expect(perform(state, settings, action, at).entries).toEqual([]);
        }
        const audit = auditLedger(state.account, state.entries);
        expect(audit.hasDrift).toBe(false);
        expect(audit.problems).toEqual([]);
      }),
      { numRuns: 2_000 },
    );
  });

  it("ends with the same points whatever order the order webhooks arrive in", () => {
    // Orders only, so nothing depends on timing: after everything has arrived and pending points
    // have had time to be released, each order holds exactly what its final state earns.
    const ordersOnlyArb = fc.record({
      program: programArb.map((program) => ({ ...program, excluded: false })),
      orders: fc.array(orderArb, { minLength: 1, maxLength: 5 }),
    });
    fc.assert(
      fc.property(ordersOnlyArb, ({ program, orders }) => {
        const settings = settingsFor(program);
        const deliveries = orders.flatMap((order, index) => orderDeliveries(index, order));
        const delivered = deliveries
          .flatMap((delivery) => [delivery.slot, ...delivery.copies].map((slot) => ({ slot, action: delivery.action })))
          .sort((a, b) => a.slot - b.slot);
        let state: LoyaltyState = { account: newLoyaltyAccount("c1"), entries: [], orders: [] };
        for (const { slot, action } of delivered)
          state = applyChange(state, perform(state, settings, action, start + slot * hour));
        state = applyChange(state, releasePendingPoints(state, settings, iso(start + 400 * day)));

        // The closed form: each order's final version, all its refunds, one first-order bonus if any order stands.
        let expected = 0;
        let anyStanding = false;
        for (const order of deliveries.filter((delivery) => delivery.action.type === "order")) {
          const event = (order.action as { event: OrderEvent }).event;
          const isFinal = !deliveries.some(
            (other) =>
              other.action.type === "order" &&
              other.action.event.orderId === event.orderId &&
              other.action.event.updatedAt > event.updatedAt,
          );
          if (!isFinal || !event.paid || event.cancelled) continue;
          anyStanding = true;
          const sum = (pick: (refund: OrderRefund) => number) => event.refunds.reduce((total, r) => total + pick(r), 0);
          const spend =
            Math.max(0, event.merchandiseCents - sum((r) => r.merchandiseCents)) +
            (program.includeTax ? Math.max(0, event.taxCents - sum((r) => r.taxCents)) : 0) +
            (program.includeShipping ? Math.max(0, event.shippingCents - sum((r) => r.shippingCents)) : 0);
          expected += Math.floor((spend * program.rate.numerator) / (program.rate.denominator * 100));
        }
        if (anyStanding) expected += program.firstOrderBonus;
        expect(state.account.pointsBalance + state.account.pendingPoints).toBe(expected);
        expect(state.account.owedPoints).toBe(0);
        if (program.availability !== "fulfilled") expect(state.account.pendingPoints).toBe(0);
      }),
      { numRuns: 1_000 },
    );
  });
});
