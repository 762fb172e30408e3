// Webhook payloads of our own, shaped like Shopify's documented samples (REST, shop_money sets),
// with 64-bit ids written as exact JSON numbers.
const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

export function shopifyJson(value: unknown): string {
  return JSON.stringify(value, (_key, item) => (typeof item === "bigint" ? rawJson(item.toString()) : item));
}

const money = (cents: number) => {
  const amount = (cents / 100).toFixed(2);
  return { shop_money: { amount, currency_code: "USD" }, presentment_money: { amount, currency_code: "USD" } };
};

export interface RefundFixture {
  id: bigint;
  orderId: bigint;
  createdAt: string;
  /** Shop money returned (what we store); the transaction's amount unless `presentment` says otherwise. */
  amountCents: number;
  merchandiseCents: number;
  /** An order presented in another currency: the transaction and the sets' presentment side in it. */
  presentment?: { currencyCode: string; amountCents: number; merchandiseCents: number };
}

// A set whose presentment side is in another currency.
const moneyPair = (shopCents: number, presentmentCents: number, presentmentCurrency: string) => ({
  shop_money: { amount: (shopCents / 100).toFixed(2), currency_code: "USD" },
  presentment_money: { amount: (presentmentCents / 100).toFixed(2), currency_code: presentmentCurrency },
});

export interface OrderFixture {
  id: bigint;
  updatedAt: string;
  processedAt?: string;
  customer?: {
    id: bigint;
    email?: string;
    firstName?: string;
    lastName?: string;
    updatedAt?: string;
    tags?: string;
  } | null;
  subtotalCents: number;
  currentSubtotalCents?: number;
  shippingCents?: number;
  taxCents?: number;
  discountCents?: number;
  refunds?: RefundFixture[];
  cancelledAt?: string | null;
  test?: boolean;
  name?: string;
  financialStatus?: string;
  fulfillmentStatus?: string | null;
  discountCodes?: string[];
}

export function refundPayload(refund: RefundFixture) {
  return {
    id: refund.id,
    order_id: refund.orderId,
    created_at: refund.createdAt,
    processed_at: refund.createdAt,
    note: "Customer returned an item",
    restock: false,
    admin_graphql_api_id: `gid://shopify/Refund/${refund.id}`,
    refund_line_items: [
      {
        id: refund.id + 1n,
        quantity: 1,
        line_item_id: 1,
        subtotal_set: refund.presentment
          ? moneyPair(refund.merchandiseCents, refund.presentment.merchandiseCents, refund.presentment.currencyCode)
          : money(refund.merchandiseCents),
        total_tax_set: refund.presentment ? moneyPair(0, 0, refund.presentment.currencyCode) : money(0),
      },
    ],
    // Shopify sends a refund transaction's amount in the order's presentment currency.
    transactions: [
      {
        id: refund.id + 2n,
        amount: ((refund.presentment?.amountCents ?? refund.amountCents) / 100).toFixed(2),
        kind: "refund",
        status: "success",
      },
    ],
    order_adjustments: [],
  };
}

export function orderPayload(order: OrderFixture) {
  const shipping = order.shippingCents ?? 500;
  const tax = order.taxCents ?? Math.round(order.subtotalCents * 0.1);
  return {
    id: order.id,
    admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
    name: order.name ?? `#${Number(order.id % 100000n)}`,
    created_at: order.processedAt ?? "2026-01-01T10:00:00-05:00",
    processed_at: order.processedAt ?? "2026-01-01T10:00:00-05:00",
    updated_at: order.updatedAt,
    cancelled_at: order.cancelledAt ?? null,
    cancel_reason: order.cancelledAt ? "customer" : null,
    test: order.test ?? false,
    currency: "USD",
    presentment_currency: "USD",
    financial_status: order.financialStatus ?? (order.refunds?.length ? "partially_refunded" : "paid"),
    fulfillment_status: order.fulfillmentStatus ?? null,
    discount_codes: (order.discountCodes ?? []).map((code) => ({ code, amount: "5.00", type: "fixed_amount" })),
    subtotal_price: (order.subtotalCents / 100).toFixed(2),
    subtotal_price_set: money(order.subtotalCents),
    current_subtotal_price_set: money(order.currentSubtotalCents ?? order.subtotalCents),
    total_discounts_set: money(order.discountCents ?? 0),
    total_shipping_price_set: money(shipping),
    total_tax_set: money(tax),
    total_price_set: money(order.subtotalCents + shipping + tax),
    customer: order.customer
      ? {
          id: order.customer.id,
          email: order.customer.email ?? `customer-${order.customer.id}@example.com`,
          first_name: order.customer.firstName ?? "Ada",
          last_name: order.customer.lastName ?? "Lovelace",
          created_at: "2025-06-01T09:00:00-04:00",
          updated_at: order.customer.updatedAt ?? "2025-06-01T09:00:00-04:00",
          ...(order.customer.tags === undefined ? {} : { tags: order.customer.tags }),
          admin_graphql_api_id: `gid://shopify/Customer/${order.customer.id}`,
        }
      : null,
    refunds: (order.refunds ?? []).map(refundPayload),
    line_items: [],
    shipping_address: { address1: "151 O'Connor Street", city: "Ottawa" },
  };
}

// The same order as the Admin GraphQL API returns it (Order object, shop money sets).
export function orderGraphqlNode(order: OrderFixture) {
  const shipping = order.shippingCents ?? 500;
  const tax = order.taxCents ?? Math.round(order.subtotalCents * 0.1);
  const set = (cents: number) => ({ shopMoney: { amount: (cents / 100).toFixed(2), currencyCode: "USD" } });
  return {
    id: `gid://shopify/Order/${order.id}`,
    name: order.name ?? `#${Number(order.id % 100000n)}`,
    createdAt: order.processedAt ?? "2026-01-01T15:00:00Z",
    processedAt: order.processedAt ?? "2026-01-01T15:00:00Z",
    updatedAt: order.updatedAt,
    cancelledAt: order.cancelledAt ?? null,
    test: order.test ?? false,
    currencyCode: "USD",
    displayFinancialStatus: "PAID",
    customer: order.customer
      ? {
          id: `gid://shopify/Customer/${order.customer.id}`,
          defaultEmailAddress: { emailAddress: order.customer.email ?? `customer-${order.customer.id}@example.com` },
          firstName: order.customer.firstName ?? "Ada",
          lastName: order.customer.lastName ?? "Lovelace",
          updatedAt: order.customer.updatedAt ?? "2025-06-01T13:00:00Z",
          createdAt: "2025-06-01T13:00:00Z",
        }
      : null,
    subtotalPriceSet: set(order.subtotalCents),
    currentSubtotalPriceSet: set(order.currentSubtotalCents ?? order.subtotalCents),
    totalDiscountsSet: set(order.discountCents ?? 0),
    totalShippingPriceSet: set(shipping),
    totalTaxSet: set(tax),
    totalPriceSet: set(order.subtotalCents + shipping + tax),
    refunds: (order.refunds ?? []).map((refund) => ({
      id: `gid://shopify/Refund/${refund.id}`,
      createdAt: refund.createdAt,
      totalRefundedSet: set(refund.amountCents),
    })),
  };
}
