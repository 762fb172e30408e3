// A realistic order history for the demo store, drawn from the buying process the CLV models
// assume: each customer buys at their own rate (gamma-distributed across customers), may stop
// for good after any purchase (beta-distributed dropout), and spends around their own mean
// (gamma-gamma). Guest orders, discounts, refunds, cancellations and test orders are mixed in.
import { seededRandom } from "~/core/random/seeded";

export interface SyntheticCustomer {
  shopifyId: bigint;
  firstName: string;
  lastName: string;
  email: string;
  createdAt: Date;
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
  refundedCents: number; // total refunded
  refundedMerchandiseCents: number; // the part of the refund that was merchandise
  cancelled: boolean;
  test: boolean;
}

export interface SyntheticHistory {
  customers: SyntheticCustomer[];
  orders: SyntheticOrder[];
}

export interface SyntheticHistoryOptions {
  seed: number;
  customers: number;
  months: number;
  end: Date;
}

export const DEMO_HISTORY: SyntheticHistoryOptions = {
  seed: 20261122,
  customers: 6200,
  months: 24,
  end: new Date("2026-11-01T00:00:00Z"),
};

const DAY = 86_400_000;
// Ids beyond 2^53, as Shopify's are, so every layer must keep them exact.
const CUSTOMER_ID_BASE = 9_007_199_254_800_000n;
const ORDER_ID_BASE = 9_107_199_254_800_000n;

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

export function generateSyntheticHistory(options: SyntheticHistoryOptions = DEMO_HISTORY): SyntheticHistory {
  const random = seededRandom(options.seed);
  const end = options.end.getTime();
  const start = end - Math.round(options.months * 30.44 * DAY);
  const customers: SyntheticCustomer[] = [];
  const purchases: { customer: bigint | null; at: number }[] = [];

  for (let index = 0; index < options.customers; index++) {
    const shopifyId = CUSTOMER_ID_BASE + BigInt(index);
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    // Acquisition grows over time: more new customers in recent months.
    const acquiredAt = start + Math.sqrt(random.uniform()) * (end - start - DAY);
    customers.push({
      shopifyId,
      firstName,
      lastName,
      email: `${firstName}.${lastName}.${index}@example.com`.toLowerCase(),
      createdAt: new Date(acquiredAt - random.uniform() * DAY),
    });
    const purchasesPerDay = random.gamma(0.9, 0.9 * 70); // one order every ~70 days on average
    const dropout = random.beta(1.1, 2.6);
    let at = acquiredAt;
    while (at < end) {
      purchases.push({ customer: shopifyId, at });
      if (random.chance(dropout)) break;
      at += random.exponential(purchasesPerDay) * DAY;
    }
  }
  // Guest checkouts: about one order in twelve.
  const guestOrders = Math.round(purchases.length / 11);
  for (let index = 0; index < guestOrders; index++) {
    purchases.push({ customer: null, at: start + random.uniform() * (end - start) });
  }
  purchases.sort((left, right) => left.at - right.at);

  // Each customer spends around their own mean (gamma-gamma spend).
  const spendRateByCustomer = new Map<bigint | null, number>();
  const orders = purchases.map((purchase, index): SyntheticOrder => {
    // Spend per order ~ Gamma(6, ν) with ν ~ Gamma(4, 40) per customer: about $80 an order.
    let spendRate = spendRateByCustomer.get(purchase.customer);
    if (spendRate === undefined || purchase.customer === null) {
      spendRate = random.gamma(4, 40);
      spendRateByCustomer.set(purchase.customer, spendRate);
    }
    const listCents = Math.max(500, Math.round(random.gamma(6, spendRate) * 100));
    const discountCents = random.chance(0.2) ? Math.round(listCents * random.pick([0.1, 0.15, 0.2])) : 0;
    const freeOrder = random.chance(0.004);
    const subtotalCents = freeOrder ? 0 : listCents - discountCents;
    const shippingCents = subtotalCents >= 7500 || freeOrder ? 0 : 695;
    const taxCents = Math.round(subtotalCents * 0.08);
    const cancelled = random.chance(0.02);
    let refundedMerchandiseCents = 0;
    if (!cancelled && subtotalCents > 0 && random.chance(0.06)) {
      refundedMerchandiseCents = random.chance(0.5) ? subtotalCents : Math.round(subtotalCents * random.uniform());
    }
    const refundedCents =
      refundedMerchandiseCents + Math.round((refundedMerchandiseCents * taxCents) / Math.max(subtotalCents, 1));
    return {
      shopifyId: ORDER_ID_BASE + BigInt(index),
      name: `#${1001 + index}`,
      customerShopifyId: purchase.customer,
      processedAt: new Date(Math.round(purchase.at)),
      subtotalCents,
      discountCents,
      shippingCents,
      taxCents,
      refundedCents,
      refundedMerchandiseCents,
      cancelled,
      test: random.chance(0.003),
    };
  });
  return { customers, orders };
}
