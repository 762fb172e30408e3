// The JSON the ingest functions in PostgreSQL read (perennial_apply_order, perennial_apply_refund,
// perennial_upsert_customer): ids and amounts as text, so nothing is rounded on the way.
import { centsToAmount } from "./net-revenue";
import type { CustomerSnapshot, OrderSnapshot, RefundSnapshot } from "./snapshot";

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function customerJson(customer: CustomerSnapshot) {
  return {
    shopifyId: customer.shopifyId.toString(),
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    tags: customer.tags,
    createdAt: iso(customer.createdAt),
    updatedAt: iso(customer.updatedAt),
  };
}

export function refundJson(refund: RefundSnapshot) {
  return {
    shopifyId: refund.shopifyId.toString(),
    orderShopifyId: refund.orderShopifyId.toString(),
    processedAt: refund.processedAt.toISOString(),
    amount: centsToAmount(refund.amountCents),
    merchandise: refund.merchandiseCents === null ? null : centsToAmount(refund.merchandiseCents),
  };
}

// The JSON shape perennial_apply_order reads: ids and amounts as text, so nothing is rounded.
export function orderJson(order: OrderSnapshot): string {
  return JSON.stringify({
    shopifyId: order.shopifyId.toString(),
    name: order.name,
    processedAt: order.processedAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    cancelledAt: iso(order.cancelledAt),
    test: order.test,
    currencyCode: order.currencyCode,
    financialStatus: order.financialStatus,
    fulfillmentStatus: order.fulfillmentStatus,
    discountCodes: order.discountCodes,
    customer: order.customer ? customerJson(order.customer) : null,
    subtotal: centsToAmount(order.subtotalCents),
    currentSubtotal: centsToAmount(order.currentSubtotalCents),
    discounts: centsToAmount(order.discountsCents),
    shipping: centsToAmount(order.shippingCents),
    tax: centsToAmount(order.taxCents),
    total: centsToAmount(order.totalCents),
    refunds: order.refunds.map(refundJson),
  });
}
