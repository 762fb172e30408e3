// Net spend, the amount points are earned on: merchandise after discounts, edits and refunds,
// plus tax and shipping (after their refunds) only when the merchant chose to include them.
// Each part is floored at zero so an over-refunded part never eats into another.
import type { OrderRefund } from "./types";

export interface SpendBasis {
  includeTax: boolean;
  includeShipping: boolean;
}

export interface OrderAmounts {
  merchandiseCents: number;
  taxCents: number;
  shippingCents: number;
}

export function orderNetSpendCents(order: OrderAmounts, refunds: readonly OrderRefund[], basis: SpendBasis): number {
  let merchandise = order.merchandiseCents;
  let tax = order.taxCents;
  let shipping = order.shippingCents;
  for (const refund of refunds) {
    merchandise -= refund.merchandiseCents;
    tax -= refund.taxCents;
    shipping -= refund.shippingCents;
  }
  return (
    Math.max(0, merchandise) +
    (basis.includeTax ? Math.max(0, tax) : 0) +
    (basis.includeShipping ? Math.max(0, shipping) : 0)
  );
}

/** Cancelled, or refunded down to no merchandise: the points of any reward it used may return. */
export function isOrderUndone(order: OrderAmounts & { cancelled: boolean; refunds: readonly OrderRefund[] }): boolean {
  if (order.cancelled) return true;
  if (order.refunds.length === 0) return false;
  const refunded = order.refunds.reduce((sum, refund) => sum + refund.merchandiseCents, 0);
  return order.merchandiseCents - refunded <= 0;
}
