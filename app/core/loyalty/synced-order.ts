// From Perennial's synced copy of an order (app/sync/orders) to the OrderEvent the ledger
// applies. The synced copy is already the newest version whatever order the webhooks came in, so
// the ledger works from it rather than from raw payloads.
import type { OrderEvent, OrderRefund } from "./types";

export interface SyncedOrder {
  orderId: string;
  customerId: string;
  updatedAt: string;
  placedAt: string;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  cancelled: boolean;
  /** Net revenue as synced: merchandise after discounts, edits and refunds (docs/net-revenue.md). */
  netRevenueCents: number;
  taxCents: number;
  shippingCents: number;
  refunds: { refundId: string; amountCents: number; merchandiseCents: number }[];
  redemptionIds: string[];
}

// Captured money: Shopify's financial statuses after payment (refunds keep the order paid).
const PAID_STATUSES = new Set(["paid", "partially_refunded", "refunded", "partially_paid"]);

export function isPaidStatus(financialStatus: string | null): boolean {
  return financialStatus !== null && PAID_STATUSES.has(financialStatus.toLowerCase());
}

/**
 * A refund's money beyond its merchandise refunded tax and shipping; Shopify's order webhooks do
 * not split it, so it is taken from the order's tax first, then its shipping. Only programs that
 * include tax or shipping in net spend see the difference.
 */
function splitRefunds(order: SyncedOrder): OrderRefund[] {
  let taxLeft = order.taxCents;
  let shippingLeft = order.shippingCents;
  return order.refunds.map((refund) => {
    let rest = Math.max(0, refund.amountCents - refund.merchandiseCents);
    const taxCents = Math.min(rest, taxLeft);
    taxLeft -= taxCents;
    rest -= taxCents;
    const shippingCents = Math.min(rest, shippingLeft);
    shippingLeft -= shippingCents;
    return { refundId: refund.refundId, merchandiseCents: refund.merchandiseCents, taxCents, shippingCents };
  });
}

export function orderEventFromSyncedOrder(order: SyncedOrder): OrderEvent {
  const refunds = splitRefunds(order);
  const refundedMerchandise = refunds.reduce((sum, refund) => sum + refund.merchandiseCents, 0);
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    updatedAt: order.updatedAt,
    placedAt: order.placedAt,
    paid: isPaidStatus(order.financialStatus),
    fulfilled: order.fulfillmentStatus?.toLowerCase() === "fulfilled",
    cancelled: order.cancelled,
    // Merchandise before refunds: net revenue has every known refund's merchandise taken off.
    merchandiseCents: order.netRevenueCents + refundedMerchandise,
    taxCents: order.taxCents,
    shippingCents: order.shippingCents,
    refunds,
    redemptionIds: order.redemptionIds,
  };
}
