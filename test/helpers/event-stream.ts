// A generated history of webhook events, as Shopify would send them for a busy shop: orders
// created, edited (orders/updated with new totals), partly and fully refunded (refunds/create,
// then orders/updated listing the refund), cancelled, deleted. Seeded: the same every run.
import { seededRandom } from "~/core/random/seeded";

import { orderPayload, refundPayload, type OrderFixture, type RefundFixture } from "./orders";

export interface StreamEvent {
  topic: string;
  eventId: string;
  payload: unknown;
}

const HOUR = 3_600_000;

export function generateEventStream(options: { orders: number; customers: number; seed: number }): StreamEvent[] {
  const random = seededRandom(options.seed);
  const events: StreamEvent[] = [];
  const start = Date.parse("2026-01-01T00:00:00Z");
  let eventCounter = 0;
  const emit = (topic: string, payload: unknown) => events.push({ topic, eventId: `event-${++eventCounter}`, payload });

  for (let index = 0; index < options.orders; index++) {
    const id = 9_200_000_000_000_000_000n + BigInt(index);
    const customerIndex = Math.floor(random.uniform() * options.customers);
    const customer = random.chance(0.1) ? null : { id: 7_300_000_000_000_000_000n + BigInt(customerIndex) };
    let time = start + index * HOUR;
    const at = () => new Date(time).toISOString();
    let subtotal = 1000 + Math.floor(random.uniform() * 20_000);
    let current = subtotal;
    const refunds: RefundFixture[] = [];
    let cancelledAt: string | null = null;
    const snapshot = (): OrderFixture => ({
      id,
      updatedAt: at(),
      processedAt: new Date(start + index * HOUR).toISOString(),
      customer,
      subtotalCents: subtotal,
      currentSubtotalCents: current,
      refunds: [...refunds],
      cancelledAt,
      test: index % 97 === 0,
    });
    emit("orders/create", orderPayload(snapshot()));
    if (random.chance(0.3)) {
      time += HOUR / 4;
      const change = Math.floor((random.uniform() - 0.5) * 3000);
      subtotal = Math.max(0, subtotal + change);
      current = Math.max(0, current + change);
      emit("orders/updated", orderPayload(snapshot()));
    }
    for (const share of random.chance(0.35) ? (random.chance(0.3) ? [0.4, 1] : [0.4]) : []) {
      time += HOUR / 4;
      const merchandise = share === 1 ? current : Math.floor(current * share);
      const refund = {
        id: id + BigInt(1 + refunds.length) * 1000n,
        orderId: id,
        createdAt: at(),
        amountCents: Math.round(merchandise * 1.1),
        merchandiseCents: merchandise,
      };
      refunds.push(refund);
      current -= merchandise;
      emit("refunds/create", refundPayload(refund));
      time += 1000;
      emit("orders/updated", orderPayload(snapshot()));
    }
    if (random.chance(0.1)) {
      time += HOUR / 4;
      cancelledAt = at();
      emit("orders/cancelled", orderPayload(snapshot()));
    }
    if (random.chance(0.03)) emit("orders/delete", { id });
  }
  return events;
}

// Shopify's delivery: at least once (some events twice) and in no particular order.
export function deliverMessily(events: StreamEvent[], seed: number, duplicateShare = 0.2): StreamEvent[] {
  const random = seededRandom(seed);
  const messy = [...events, ...events.filter(() => random.chance(duplicateShare))];
  for (let index = messy.length - 1; index > 0; index--) {
    const other = Math.floor(random.uniform() * (index + 1));
    [messy[index], messy[other]] = [messy[other], messy[index]];
  }
  return messy;
}
