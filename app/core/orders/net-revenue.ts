// Net revenue, defined once (docs/net-revenue.md): the merchandise a customer kept paying for,
// after discounts and refunds, excluding tax, shipping, duties and tips. Never negative.
// Cancelled and test orders are stored but never counted; a $0 order counts as an order.
export function netRevenueCents(order: { subtotalCents: number; refundedMerchandiseCents: number }): number {
  return Math.max(0, order.subtotalCents - order.refundedMerchandiseCents);
}

/** A stored order that counts (revenue, rollups, the CLV models): not cancelled, not a test, not deleted. */
export function isCountedOrder(order: { cancelled: boolean; test: boolean; deleted: boolean }): boolean {
  return !order.cancelled && !order.test && !order.deleted;
}

/**
 * isCountedOrder as a SQL condition on the "Order" row aliased `alias`. Its twins in the ingest
 * functions (perennial_refresh_rollups) are tied to it by test/sync/business-rules.test.ts.
 */
export function countedOrderSql(alias: string): string {
  return `${alias}."cancelledAt" IS NULL AND NOT ${alias}."test" AND ${alias}."deletedAt" IS NULL`;
}

export function centsToAmount(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const absolute = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, "0")}`;
}
