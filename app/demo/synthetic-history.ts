// A realistic order history for the demo store, drawn from the buying process the CLV models
// assume: each customer buys at their own rate (gamma-distributed across customers), may stop
// for good after any purchase (beta-distributed dropout), and spends around their own mean
// (gamma-gamma). Guest orders, discounts, refunds, cancellations and test orders are mixed in.
//
// Prefix-stable: every customer and every guest order draws from its own seeded stream, and
// customers arrive at fixed points of a growing acquisition curve, so a history that ends later
// only adds orders (and the refunds and cancellations that came due) to the one that ends
// earlier. The demo relies on that to bring itself up to date day by day.
import type { CustomerSnapshot, OrderSnapshot } from "~/core/orders/snapshot";
import { seededRandom, streamSeed, type Random } from "~/core/random/seeded";

export interface SyntheticCustomer {
  shopifyId: bigint;
  firstName: string;
  lastName: string;
  email: string;
  createdAt: Date;
}

export interface SyntheticRefund {
  shopifyId: bigint;
  processedAt: Date;
  amountCents: number; // money returned: the merchandise and its share of the tax
  merchandiseCents: number;
}

export interface SyntheticOrder {
  shopifyId: bigint;
  name: string;
  customerShopifyId: bigint | null;
  processedAt: Date;
  // Shop-currency amounts, in cents to keep the arithmetic exact.
  subtotalCents: number; // after discounts, before tax and shipping
  discountCents: number;
  shippingCents: number;
  taxCents: number;
  test: boolean;
  // What happened to the order afterwards, when it happened before the history's end.
  cancelledAt: Date | null;
  refund: SyntheticRefund | null;
}

export interface SyntheticHistory {
  customers: SyntheticCustomer[];
  orders: SyntheticOrder[];
}

export interface SyntheticHistoryOptions {
  seed: number;
  /** Customers acquired over the store's first two years; afterwards they keep the pace reached. */
  customers: number;
  /** The store's first day (midnight UTC). */
  openedAt: Date;
  /** The history holds what happened before this midnight (UTC). */
  end: Date;
}

const DAY = 86_400_000;
/** How long acquisition grows before it levels off: the first two years. */
export const GROWTH_DAYS = 730;

/** A fixed two-year history, for tests and anything else that needs the same dates every day. */
export const DEMO_HISTORY: SyntheticHistoryOptions = {
  seed: 20261122,
  customers: 6200,
  openedAt: new Date("2024-11-01T00:00:00Z"),
  end: new Date("2026-11-01T00:00:00Z"),
};

// Ids beyond 2^53, as Shopify's are, so every layer must keep them exact.
const CUSTOMER_ID_BASE = 9_007_199_254_800_000n;
const ORDER_ID_BASE = 9_107_199_254_800_000n;
const REFUND_ID_BASE = 9_207_199_254_800_000n;

// Independent random streams, one per customer and one per guest order.
const CUSTOMER_STREAM = 1;
const GUEST_STREAM = 2;
// Guest checkouts: about one order in twelve.
const GUESTS_PER_CUSTOMER = 0.21;

const FIRST_NAMES = [
  "Ada",
  "Ben",
  "Chloe",
  "Dev",
  "Elena",
  "Farid",
  "Grace",
  "Hugo",
  "Ines",
  "Jonah",
  "Kaia",
  "Liam",
  "Maya",
  "Noor",
  "Owen",
  "Priya",
  "Quinn",
  "Rosa",
  "Sami",
  "Tara",
  "Uma",
  "Victor",
  "Wren",
  "Yusuf",
  "Zoe",
];
const LAST_NAMES = [
  "Abbott",
  "Baptiste",
  "Castillo",
  "Dubois",
  "Eriksen",
  "Fischer",
  "Garcia",
  "Haddad",
  "Ito",
  "Jensen",
  "Kowalski",
  "Lindqvist",
  "Moreau",
  "Nakamura",
  "Okafor",
  "Petrov",
  "Quispe",
  "Rossi",
  "Schmidt",
  "Tanaka",
];

/**
 * The day (since opening, fractional) by which `count` arrivals have happened, for a pace that
 * grows linearly from a fifth of the average to 1.8 times it over GROWTH_DAYS, then holds:
 * exactly `perGrowthPeriod` arrivals in the first two years, more of them in recent months.
 */
function arrivalDay(count: number, perGrowthPeriod: number): number {
  const base = perGrowthPeriod / GROWTH_DAYS;
  if (count >= perGrowthPeriod) return GROWTH_DAYS + (count - perGrowthPeriod) / (1.8 * base);
  // Arrivals by day t: base * (0.2 t + 0.8 t² / GROWTH_DAYS); solved for t.
  const a = (0.8 * base) / GROWTH_DAYS;
  const b = 0.2 * base;
  return (-b + Math.sqrt(b * b + 4 * a * count)) / (2 * a);
}

interface Purchase {
  at: number;
  customer: bigint | null;
  // Ties at the same millisecond: customers in id order, then guests.
  tieBreak: number;
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  taxCents: number;
  test: boolean;
  cancelAfter: number | null;
  refund: { after: number; merchandiseCents: number } | null;
}

// One order's amounts and fate, drawn from the stream of whoever placed it.
function drawPurchase(random: Random, spendRate: number): Omit<Purchase, "at" | "customer" | "tieBreak"> {
  // Spend per order ~ Gamma(6, ν) with ν ~ Gamma(4, 40) per customer: about $80 an order.
  const listCents = Math.max(500, Math.round(random.gamma(6, spendRate) * 100));
  const discountCents = random.chance(0.2) ? Math.round(listCents * random.pick([0.1, 0.15, 0.2])) : 0;
  const freeOrder = random.chance(0.004);
  const subtotalCents = freeOrder ? 0 : listCents - discountCents;
  // Cancelled within two days; refunded (fully or partly) three to thirty days later.
  const cancelAfter = random.chance(0.02) ? random.uniform() * 2 * DAY : null;
  let refund: Purchase["refund"] = null;
  if (cancelAfter === null && subtotalCents > 0 && random.chance(0.06)) {
    const merchandiseCents = random.chance(0.5) ? subtotalCents : Math.round(subtotalCents * random.uniform());
    refund = { after: (3 + 27 * random.uniform()) * DAY, merchandiseCents };
  }
  return {
    subtotalCents,
    discountCents,
    shippingCents: subtotalCents >= 7500 || freeOrder ? 0 : 695,
    taxCents: Math.round(subtotalCents * 0.08),
    test: random.chance(0.003),
    cancelAfter,
    refund,
  };
}

function checkMidnight(date: Date, name: string): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms) || ms % DAY !== 0) throw new RangeError(`${name} must be a midnight (UTC)`);
  return ms;
}

export function generateSyntheticHistory(options: SyntheticHistoryOptions = DEMO_HISTORY): SyntheticHistory {
  const opened = checkMidnight(options.openedAt, "openedAt");
  const end = checkMidnight(options.end, "end");
  const customers: SyntheticCustomer[] = [];
  const purchases: Purchase[] = [];

  for (let index = 0; ; index++) {
    const random = seededRandom(streamSeed(options.seed, CUSTOMER_STREAM, index));
    const acquiredAt = Math.round(opened + arrivalDay(index + random.uniform(), options.customers) * DAY);
    if (acquiredAt >= end) break;
    const shopifyId = CUSTOMER_ID_BASE + BigInt(index);
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    customers.push({
      shopifyId,
      firstName,
      lastName,
      email: `${firstName}.${lastName}.${index}@example.com`.toLowerCase(),
      // The account is opened up to a day before the first order, never before the store.
      createdAt: new Date(Math.round(acquiredAt - random.uniform() * Math.min(DAY, acquiredAt - opened))),
    });
    const purchasesPerDay = random.gamma(0.9, 0.9 * 70); // one order every ~70 days on average
    const dropout = random.beta(1.1, 2.6);
    const spendRate = random.gamma(4, 40);
    for (let at = acquiredAt; at < end; at = Math.round(at + random.exponential(purchasesPerDay) * DAY)) {
      purchases.push({ at, customer: shopifyId, tieBreak: index, ...drawPurchase(random, spendRate) });
      if (random.chance(dropout)) break;
    }
  }
  for (let index = 0; ; index++) {
    const random = seededRandom(streamSeed(options.seed, GUEST_STREAM, index));
    const at = Math.round(opened + arrivalDay(index + random.uniform(), options.customers * GUESTS_PER_CUSTOMER) * DAY);
    if (at >= end) break;
    // A guest is nobody's regular: their spend rate is drawn afresh.
    purchases.push({
      at,
      customer: null,
      tieBreak: Number.MAX_SAFE_INTEGER - index,
      ...drawPurchase(random, random.gamma(4, 40)),
    });
  }
  // Time order gives the ids: an order placed later always gets a larger one, so a longer
  // history never renumbers a shorter one's orders.
  purchases.sort((left, right) => left.at - right.at || left.tieBreak - right.tieBreak);

  const orders = purchases.map((purchase, index): SyntheticOrder => {
    const cancelledAt = purchase.cancelAfter === null ? null : Math.round(purchase.at + purchase.cancelAfter);
    const refundedAt = purchase.refund ? Math.round(purchase.at + purchase.refund.after) : null;
    const refund =
      purchase.refund && refundedAt! < end
        ? {
            shopifyId: REFUND_ID_BASE + BigInt(index),
            processedAt: new Date(refundedAt!),
            merchandiseCents: purchase.refund.merchandiseCents,
            amountCents:
              purchase.refund.merchandiseCents +
              Math.round((purchase.refund.merchandiseCents * purchase.taxCents) / Math.max(purchase.subtotalCents, 1)),
          }
        : null;
    return {
      shopifyId: ORDER_ID_BASE + BigInt(index),
      name: `#${1001 + index}`,
      customerShopifyId: purchase.customer,
      processedAt: new Date(purchase.at),
      subtotalCents: purchase.subtotalCents,
      discountCents: purchase.discountCents,
      shippingCents: purchase.shippingCents,
      taxCents: purchase.taxCents,
      test: purchase.test,
      cancelledAt: cancelledAt !== null && cancelledAt < end ? new Date(cancelledAt) : null,
      refund,
    };
  });
  return { customers, orders };
}

export interface SyntheticOrderEvent {
  at: Date;
  /** The order as Shopify would send it then: as placed, or again once cancelled or refunded. */
  snapshot: OrderSnapshot;
}

/** The customer as Shopify sends it (customers/create, and inside their orders). */
export function syntheticCustomerSnapshot(customer: SyntheticCustomer): CustomerSnapshot {
  return {
    shopifyId: customer.shopifyId,
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    tags: [],
    createdAt: customer.createdAt,
    updatedAt: customer.createdAt,
  };
}

function orderSnapshot(order: SyntheticOrder, customer: SyntheticCustomer | null, changed: boolean): OrderSnapshot {
  const refund = changed ? order.refund : null;
  const cancelledAt = changed ? order.cancelledAt : null;
  return {
    shopifyId: order.shopifyId,
    name: order.name,
    processedAt: order.processedAt,
    updatedAt: cancelledAt ?? refund?.processedAt ?? order.processedAt,
    cancelledAt,
    test: order.test,
    currencyCode: "USD",
    financialStatus: cancelledAt
      ? "voided"
      : !refund
        ? "paid"
        : refund.merchandiseCents >= order.subtotalCents
          ? "refunded"
          : "partially_refunded",
    fulfillmentStatus: refund ? "fulfilled" : null,
    discountCodes: [],
    customer: customer ? syntheticCustomerSnapshot(customer) : null,
    subtotalCents: order.subtotalCents,
    currentSubtotalCents: order.subtotalCents - (refund?.merchandiseCents ?? 0),
    discountsCents: order.discountCents,
    shippingCents: order.shippingCents,
    taxCents: order.taxCents,
    totalCents: order.subtotalCents + order.shippingCents + order.taxCents,
    refunds: refund
      ? [
          {
            shopifyId: refund.shopifyId,
            orderShopifyId: order.shopifyId,
            processedAt: refund.processedAt,
            amountCents: refund.amountCents,
            merchandiseCents: refund.merchandiseCents,
          },
        ]
      : [],
  };
}

/**
 * What Shopify would have sent from `from` to the history's end, in time order: each order when
 * it was placed, and again when it was cancelled or refunded. Applied in turn to the history up
 * to `from`, they give the history up to its end.
 */
export function syntheticOrderEvents(history: SyntheticHistory, from: Date): SyntheticOrderEvent[] {
  const customers = new Map(history.customers.map((customer) => [customer.shopifyId, customer]));
  const events: SyntheticOrderEvent[] = [];
  for (const order of history.orders) {
    const customer = order.customerShopifyId === null ? null : customers.get(order.customerShopifyId)!;
    if (order.processedAt >= from)
      events.push({ at: order.processedAt, snapshot: orderSnapshot(order, customer, false) });
    const changedAt = order.cancelledAt ?? order.refund?.processedAt;
    if (changedAt && changedAt >= from) events.push({ at: changedAt, snapshot: orderSnapshot(order, customer, true) });
  }
  // Stable: the events of one instant keep the orders' id order.
  return events.sort((left, right) => left.at.getTime() - right.at.getTime());
}
