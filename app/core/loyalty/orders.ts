// Orders in the ledger. Each order's points are brought in line with what the order is worth now:
//   points = floor(net spend × earn rate × tier multiplier / 100)
// using the rate, multiplier and spend basis locked when the order first earned. Refunds,
// cancellations and edits therefore reverse exactly what the kept spend no longer earns, at the
// original rate, and any number of partial refunds add up to the same points as one.
//
// Webhooks arrive late, twice or out of order. The order's amounts come from its newest version
// (updatedAt); paid, fulfilled and cancelled only ever turn on; refunds are merged by id. The
// result depends on which versions have arrived, not on the order they arrived in, and a
// version seen before changes nothing.
import { pointsForSpend } from "./decimal";
import { LedgerDraft, orderPointsOf, type EntrySource } from "./ledger";
import { isOrderUndone, orderNetSpendCents } from "./net-spend";
import { giveBackRedemption } from "./redemptions";
import { isExcludedCustomer, type LoyaltySettings } from "./settings";
import { evaluateTier, tierMultiplier } from "./tiers";
import { dayMs, toMillis } from "./time";
import type {
  IsoTime,
  LedgerChange,
  LoyaltyAccount,
  LoyaltyOrder,
  LoyaltyState,
  OrderEvent,
  OrderRefund,
  TierChange,
} from "./types";

const canonicalTime = (time: IsoTime) => new Date(toMillis(time)).toISOString();

function mergeRefunds(known: readonly OrderRefund[], incoming: readonly OrderRefund[]): OrderRefund[] {
  const merged = [...known];
  const ids = new Set(known.map((refund) => refund.refundId));
  for (const refund of incoming)
    if (!ids.has(refund.refundId)) {
      ids.add(refund.refundId);
      merged.push(refund);
    }
  return merged;
}

/** The order as the ledger should know it once this version has arrived. */
export function mergeOrderEvent(known: LoyaltyOrder | null, event: OrderEvent): LoyaltyOrder {
  const newer = !known || toMillis(event.updatedAt) > toMillis(known.updatedAt);
  const amounts = newer ? event : known;
  return {
    orderId: event.orderId,
    customerId: event.customerId,
    updatedAt: canonicalTime(amounts.updatedAt),
    placedAt: canonicalTime(known?.placedAt ?? event.placedAt),
    merchandiseCents: amounts.merchandiseCents,
    taxCents: amounts.taxCents,
    shippingCents: amounts.shippingCents,
    paid: (known?.paid ?? false) || event.paid,
    fulfilled: (known?.fulfilled ?? false) || event.fulfilled,
    cancelled: (known?.cancelled ?? false) || event.cancelled,
    refunds: mergeRefunds(known?.refunds ?? [], event.refunds),
    redemptionIds: [...new Set([...(known?.redemptionIds ?? []), ...event.redemptionIds])],
    earning: known?.earning ?? null,
    excluded: known?.excluded ?? false,
  };
}

/** Points the order is worth now, counting only the given refunds. */
export function orderTargetPoints(order: LoyaltyOrder, refunds: readonly OrderRefund[] = order.refunds): number {
  if (!order.earning || order.cancelled) return 0;
  const spend = orderNetSpendCents(order, refunds, order.earning);
  return pointsForSpend(spend, order.earning.earnRate, order.earning.tierMultiplier);
}

/** Whether the order's points can be redeemed yet, under the program's availability rule. */
export function orderPointsAvailable(settings: LoyaltySettings, order: LoyaltyOrder, at: IsoTime): boolean {
  const availability = settings.availability;
  if (availability.when === "paid") return true;
  if (availability.when === "fulfilled") return order.fulfilled;
  return toMillis(at) >= toMillis(order.placedAt) + availability.days * dayMs;
}

/** Brings the order's points to what it is worth with these refunds counted. */
function bringOrderInLine(
  draft: LedgerDraft,
  order: LoyaltyOrder,
  refunds: readonly OrderRefund[],
  source: { key: string; refundId: string | null },
  available: boolean,
): void {
  const earning = order.earning;
  if (!earning) return;
  const current = orderPointsOf(draft.entries(), order.orderId);
  const target = orderTargetPoints(order, refunds);
  const difference = target - current;
  const entry: EntrySource = {
    ...source,
    kind: difference > 0 ? "earn" : "reversal",
    orderId: order.orderId,
    earnRate: earning.earnRate,
    tierMultiplier: earning.tierMultiplier,
    netSpendCents: orderNetSpendCents(order, refunds, earning),
    reason: order.cancelled
      ? "orderCancelled"
      : source.refundId
        ? "refund"
        : current === 0 && difference > 0
          ? "orderPaid"
          : "orderEdited",
  };
  if (difference > 0) draft.credit(entry, difference, available);
  else draft.takeBack(entry, -difference);
}

/**
 * The customer's first paid order earns the first-order bonus, with that order's availability.
 * If that order is cancelled, the bonus is taken back and passes to the earliest other paid,
 * uncancelled order, so the customer ends up with it exactly when they have such an order.
 */
function settleFirstOrderBonus(
  draft: LedgerDraft,
  settings: LoyaltySettings,
  orders: readonly LoyaltyOrder[],
  at: IsoTime,
): void {
  const bonusKey = (orderId: string) => `order:${orderId}:firstOrderBonus`;
  let holder: LoyaltyOrder | null = null;
  for (const order of orders) {
    const bonus = draft.find((entry) => entry.key === bonusKey(order.orderId));
    if (!bonus || draft.has(`${bonusKey(order.orderId)}:reversal`)) continue;
    if (!order.cancelled) {
      holder = order;
      continue;
    }
    draft.takeBack(
      {
        key: `${bonusKey(order.orderId)}:reversal`,
        kind: "reversal",
        bonus: "firstOrder",
        orderId: order.orderId,
        reason: "orderCancelled",
      },
      bonus.points + bonus.pendingPoints - bonus.owedPoints,
    );
  }
  if (holder || settings.bonuses.firstOrder <= 0 || isExcludedCustomer(settings, draft.state.account.customerTags))
    return;
  const next = orders
    .filter((order) => order.earning && order.paid && !order.cancelled && !draft.has(bonusKey(order.orderId)))
    .sort((a, b) => toMillis(a.placedAt) - toMillis(b.placedAt) || (a.orderId < b.orderId ? -1 : 1))[0];
  if (!next) return;
  draft.credit(
    { key: bonusKey(next.orderId), kind: "bonus", bonus: "firstOrder", orderId: next.orderId, reason: "firstOrder" },
    settings.bonuses.firstOrder,
    orderPointsAvailable(settings, next, at),
  );
}

function releaseOrder(draft: LedgerDraft, settings: LoyaltySettings, order: LoyaltyOrder, at: IsoTime): void {
  if (!orderPointsAvailable(settings, order, at)) return;
  // Keyed by the last entry that added pending points: each batch of pending points is released once.
  let lastPending: string | null = null;
  for (const entry of draft.entries())
    if (entry.orderId === order.orderId && entry.pendingPoints > 0) lastPending = entry.key;
  if (!lastPending) return;
  draft.release({
    key: `release:${lastPending}`,
    kind: "pendingReleased",
    orderId: order.orderId,
    reason: { paid: "orderPaid", fulfilled: "orderFulfilled", afterDays: "pendingPeriodOver" }[
      settings.availability.when
    ],
  });
}

function combineTierChanges(
  original: LoyaltyAccount,
  final: LoyaltyAccount,
  ...changes: (TierChange | null)[]
): TierChange | null {
  const last = changes.filter((change) => change !== null).at(-1);
  if (!last || original.tierId === final.tierId) return null;
  return { ...last, fromTierId: original.tierId };
}

function reconcileOrder(
  state: LoyaltyState,
  settings: LoyaltySettings,
  known: LoyaltyOrder | null,
  merged: LoyaltyOrder,
  versionKey: string | null,
  at: IsoTime,
): LedgerChange {
  // Review the tier first, so an order earns at the multiplier the customer holds today.
  const before = evaluateTier(state, settings, at);
  let order = merged;
  if (order.paid && !order.cancelled && !order.earning && !order.excluded) {
    order = isExcludedCustomer(settings, before.account.customerTags)
      ? { ...order, excluded: true }
      : {
          ...order,
          earning: {
            earnRate: settings.earnRate,
            tierMultiplier: tierMultiplier(settings, before.account.tierId),
            tierId: before.account.tierId,
            includeTax: settings.includeTax,
            includeShipping: settings.includeShipping,
            earnedAt: canonicalTime(at),
          },
        };
  }
  const orders = [...state.orders.filter((other) => other.orderId !== order.orderId), order];
  const draft = new LedgerDraft({ ...state, account: before.account, orders }, at);
  const available = orderPointsAvailable(settings, order, at);

  // Amount and status changes first, then each new refund on its own entry keyed by the refund.
  const knownRefundIds = new Set(known?.refunds.map((refund) => refund.refundId));
  const counted = order.refunds.filter((refund) => knownRefundIds.has(refund.refundId));
  if (versionKey) bringOrderInLine(draft, order, counted, { key: versionKey, refundId: null }, available);
  for (const refund of order.refunds.filter((refund) => !knownRefundIds.has(refund.refundId))) {
    counted.push(refund);
    bringOrderInLine(draft, order, counted, { key: `refund:${refund.refundId}`, refundId: refund.refundId }, available);
  }

  settleFirstOrderBonus(draft, settings, orders, at);
  if (settings.returnRedeemedPointsOnCancel && isOrderUndone(order))
    for (const redemptionId of order.redemptionIds)
      giveBackRedemption(draft, redemptionId, order.cancelled ? "orderCancelled" : "orderRefunded", order.orderId);
  releaseOrder(draft, settings, order, at);

  const afterOrder = draft.change({ account: before.account });
  const after = evaluateTier({ account: afterOrder.account, entries: [...draft.entries()], orders }, settings, at);
  return {
    ...afterOrder,
    account: after.account,
    order,
    tierChange: combineTierChanges(state.account, after.account, before.tierChange, after.tierChange),
  };
}

/**
 * Applies one version of an order: earns, reverses or adjusts its points, gives back the
 * first-order bonus and reward points when it is cancelled, and moves the customer up a tier
 * if it qualifies them. Returns the order to upsert even when no entries are needed.
 */
export function applyOrderEvent(
  state: LoyaltyState,
  settings: LoyaltySettings,
  event: OrderEvent,
  at: IsoTime,
): LedgerChange {
  if (event.customerId !== state.account.customerId)
    throw new Error(`Order ${event.orderId} belongs to customer ${event.customerId}, not ${state.account.customerId}`);
  const known = state.orders.find((order) => order.orderId === event.orderId) ?? null;
  const merged = mergeOrderEvent(known, event);
  const versionKey = `order:${event.orderId}@${canonicalTime(event.updatedAt)}:points`;
  return reconcileOrder(state, settings, known, merged, versionKey, at);
}

/**
 * Applies a refund delivered on its own (refunds/create), before or after the order version
 * that lists it; a refund seen either way is counted once. A refund for an order the ledger
 * has not seen yet changes nothing: the order's own event will carry it.
 */
export function applyRefund(
  state: LoyaltyState,
  settings: LoyaltySettings,
  refund: OrderRefund & { orderId: string },
  at: IsoTime,
): LedgerChange {
  const known = state.orders.find((order) => order.orderId === refund.orderId) ?? null;
  if (!known) return { entries: [], account: state.account, order: null, tierChange: null };
  const { orderId: _orderId, ...refundOnly } = refund;
  const merged = { ...known, refunds: mergeRefunds(known.refunds, [refundOnly]) };
  return reconcileOrder(state, settings, known, merged, null, at);
}

/**
 * Makes pending points available where the program's rule now allows: after the pending period,
 * on fulfilment, or at once when the merchant has switched to "on payment". Run it daily.
 */
export function releasePendingPoints(state: LoyaltyState, settings: LoyaltySettings, at: IsoTime): LedgerChange {
  const draft = new LedgerDraft(state, at);
  for (const order of state.orders) releaseOrder(draft, settings, order, at);
  return draft.change();
}
