// One shape for an order, whichever way Shopify sent it: a webhook's REST payload or an Admin
// GraphQL node (the order re-read after an edit, or a line of the history backfill). Every
// amount is the shop-currency (shop_money) figure, in cents. Ids are bigint: exact.
import { z } from "zod";

import { amountToCents } from "./money";

export interface CustomerSnapshot {
  shopifyId: bigint;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  /** Shopify's tags; null when the source did not send them (the stored ones stay). */
  tags: string[] | null;
  updatedAt: Date | null;
  createdAt: Date | null;
}

export interface RefundSnapshot {
  shopifyId: bigint;
  orderShopifyId: bigint;
  processedAt: Date;
  amountCents: number; // money returned in shop currency (successful refund transactions, converted)
  merchandiseCents: number | null; // refunded line items' subtotal, excluding tax; null when not sent
}

export interface OrderSnapshot {
  shopifyId: bigint;
  name: string | null;
  processedAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
  test: boolean;
  currencyCode: string;
  financialStatus: string | null;
  /** "fulfilled", "partial", … (lower case), or null when nothing has shipped. */
  fulfillmentStatus: string | null;
  /** The discount codes the order used. */
  discountCodes: string[];
  customer: CustomerSnapshot | null;
  subtotalCents: number;
  currentSubtotalCents: number;
  discountsCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  refunds: RefundSnapshot[];
}

// --- shared field parsers -------------------------------------------------------------------

// The largest id PostgreSQL's bigint holds; Shopify's ids are 64-bit. A larger one could never be
// stored, so it is refused here rather than by the database.
const MAX_ID = 2n ** 63n - 1n;

// An id as Shopify sends it: a number, the exact digits (from parseExactJson), or a GID.
export const shopifyIdSchema = z
  .union([z.number().int().nonnegative(), z.string().regex(/^(gid:\/\/shopify\/\w+\/)?\d{1,20}$/)])
  .transform((id) => BigInt(typeof id === "number" ? id : id.replace(/^gid:\/\/shopify\/\w+\//, "")))
  .refine((id) => id <= MAX_ID, "beyond a 64-bit id");

// A payload's own GID, when sent, names an object of the topic's type: an order's body sent as
// customers/create is refused.
const gidOf = (type: string) => z.string().startsWith(`gid://shopify/${type}/`).optional();

const dateSchema = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), "not a date")
  .transform((value) => new Date(value));

const amountSchema = z.union([z.string(), z.number()]).transform((amount, context) => {
  try {
    return amountToCents(amount);
  } catch {
    context.addIssue({ code: z.ZodIssueCode.custom, message: "not an amount" });
    return z.NEVER;
  }
});

const restMoneySchema = z.object({ shop_money: z.object({ amount: amountSchema, currency_code: z.string() }) });
const restMoney = restMoneySchema.transform((money) => money.shop_money.amount);
const optionalRestMoney = restMoneySchema.nullish().transform((money) => money?.shop_money.amount ?? 0);
const maybeRestMoney = restMoneySchema.nullish().transform((money) => money?.shop_money.amount ?? null);

// --- REST (webhook) payloads -----------------------------------------------------------------

const restCustomerSchema = z
  .object({
    id: shopifyIdSchema,
    admin_graphql_api_id: gidOf("Customer"),
    email: z.string().nullish(),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
    // REST sends tags as one comma-separated string.
    tags: z.string().nullish(),
    updated_at: dateSchema.nullish(),
    created_at: dateSchema.nullish(),
  })
  .transform((customer): CustomerSnapshot => ({
    shopifyId: customer.id,
    email: customer.email ?? null,
    firstName: customer.first_name ?? null,
    lastName: customer.last_name ?? null,
    tags: customer.tags === undefined || customer.tags === null ? null : splitTags(customer.tags),
    updatedAt: customer.updated_at ?? null,
    createdAt: customer.created_at ?? null,
  }));

function splitTags(tags: string): string[] {
  return tags
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0);
}

const successfulRefund = (transaction: { kind?: string | null; status?: string | null }) =>
  (transaction.kind ?? "refund") === "refund" && (transaction.status ?? "success") === "success";

// A refund's money set with both sides: shop_money (what we count) and presentment_money (what
// the customer saw). The pair is what gives a refund its own exchange rate.
const moneyPairSchema = z.object({
  shop_money: z.object({ amount: amountSchema, currency_code: z.string() }),
  presentment_money: z.object({ amount: amountSchema, currency_code: z.string() }).nullish(),
});
type MoneyPair = z.output<typeof moneyPairSchema>;

const restRefundBody = z.object({
  id: shopifyIdSchema,
  admin_graphql_api_id: gidOf("Refund"),
  order_id: shopifyIdSchema,
  created_at: dateSchema,
  processed_at: dateSchema.nullish(),
  // `amount` is in the order's presentment currency (Shopify's refunds/create); `currency`, when
  // sent, names it.
  transactions: z
    .array(
      z.object({
        amount: amountSchema,
        currency: z.string().nullish(),
        kind: z.string().nullish(),
        status: z.string().nullish(),
      }),
    )
    .nullish(),
  refund_line_items: z
    .array(z.object({ subtotal_set: moneyPairSchema, total_tax_set: moneyPairSchema.nullish() }))
    .nullish(),
  refund_shipping_lines: z
    .array(z.object({ subtotal_amount_set: moneyPairSchema.nullish(), tax_amount_set: moneyPairSchema.nullish() }))
    .nullish(),
  order_adjustments: z
    .array(z.object({ amount_set: moneyPairSchema.nullish(), tax_amount_set: moneyPairSchema.nullish() }))
    .nullish(),
  total_duties_set: moneyPairSchema.nullish(),
});
type RestRefund = z.output<typeof restRefundBody>;

// Every money set the refund carries, each with its shop and presentment figures.
function refundMoneySets(refund: RestRefund): MoneyPair[] {
  const sets: (MoneyPair | null | undefined)[] = [
    ...(refund.refund_line_items ?? []).flatMap((line) => [line.subtotal_set, line.total_tax_set]),
    ...(refund.refund_shipping_lines ?? []).flatMap((line) => [line.subtotal_amount_set, line.tax_amount_set]),
    ...(refund.order_adjustments ?? []).flatMap((adjustment) => [adjustment.amount_set, adjustment.tax_amount_set]),
    refund.total_duties_set,
  ];
  return sets.filter((set): set is MoneyPair => set !== null && set !== undefined);
}

// Money returned, in shop currency. The successful transactions are the total (what actually went
// back to the customer, which may differ from the items: a partial or discretionary refund); their
// amounts are in the presentment currency, so they are converted at the refund's own rate, the
// ratio of its sets' shop to presentment figures (signs ignored: adjustments are negative). A
// transaction already in the shop's currency, a refund whose sets are all in one currency, and a
// refund whose sets carry no amount (no rate to read) are taken as they are.
function refundedShopCents(refund: RestRefund): number {
  const presentmentCents = (refund.transactions ?? [])
    .filter(successfulRefund)
    .reduce((sum, transaction) => sum + transaction.amount, 0);
  const sets = refundMoneySets(refund);
  const shopCurrency = sets[0]?.shop_money.currency_code ?? null;
  const shopCents = (refund.transactions ?? [])
    .filter(successfulRefund)
    .filter((transaction) => shopCurrency !== null && transaction.currency === shopCurrency)
    .reduce((sum, transaction) => sum + transaction.amount, 0);
  const toConvert = presentmentCents - shopCents;
  const foreign = sets.filter(
    (set) => set.presentment_money && set.presentment_money.currency_code !== set.shop_money.currency_code,
  );
  if (toConvert === 0 || foreign.length === 0) return presentmentCents;
  const shopSum = foreign.reduce((sum, set) => sum + Math.abs(set.shop_money.amount), 0);
  const presentmentSum = foreign.reduce((sum, set) => sum + Math.abs(set.presentment_money!.amount), 0);
  if (presentmentSum === 0) return presentmentCents;
  return shopCents + Math.round((toConvert * shopSum) / presentmentSum);
}

export const refundWebhookSchema = restRefundBody.transform((refund): RefundSnapshot => ({
  shopifyId: refund.id,
  orderShopifyId: refund.order_id,
  processedAt: refund.processed_at ?? refund.created_at,
  amountCents: refundedShopCents(refund),
  merchandiseCents: (refund.refund_line_items ?? []).reduce(
    (sum, line) => sum + line.subtotal_set.shop_money.amount,
    0,
  ),
}));

export const orderWebhookSchema = z
  .object({
    id: shopifyIdSchema,
    admin_graphql_api_id: gidOf("Order"),
    name: z.string().nullish(),
    created_at: dateSchema,
    processed_at: dateSchema.nullish(),
    updated_at: dateSchema,
    cancelled_at: dateSchema.nullish(),
    test: z.boolean().nullish(),
    currency: z.string(),
    financial_status: z.string().nullish(),
    fulfillment_status: z.string().nullish(),
    discount_codes: z.array(z.object({ code: z.string() })).nullish(),
    customer: restCustomerSchema.nullish(),
    subtotal_price_set: restMoney,
    current_subtotal_price_set: maybeRestMoney,
    total_discounts_set: optionalRestMoney,
    total_shipping_price_set: optionalRestMoney,
    total_tax_set: optionalRestMoney,
    total_price_set: restMoney,
    refunds: z.array(refundWebhookSchema).nullish(),
  })
  .transform((order): OrderSnapshot => ({
    shopifyId: order.id,
    name: order.name ?? null,
    processedAt: order.processed_at ?? order.created_at,
    updatedAt: order.updated_at,
    cancelledAt: order.cancelled_at ?? null,
    test: order.test ?? false,
    currencyCode: order.currency,
    financialStatus: order.financial_status ?? null,
    fulfillmentStatus: order.fulfillment_status?.toLowerCase() ?? null,
    discountCodes: (order.discount_codes ?? []).map((discount) => discount.code),
    customer: order.customer ?? null,
    subtotalCents: order.subtotal_price_set,
    // Older payloads may lack the current figure; before any refund or edit it is the subtotal.
    currentSubtotalCents: order.current_subtotal_price_set ?? order.subtotal_price_set,
    discountsCents: order.total_discounts_set,
    shippingCents: order.total_shipping_price_set,
    taxCents: order.total_tax_set,
    totalCents: order.total_price_set,
    refunds: order.refunds ?? [],
  }));

export const customerWebhookSchema = restCustomerSchema;
export const orderEditedSchema = z.object({ order_edit: z.object({ order_id: shopifyIdSchema }) });

// --- Admin GraphQL nodes ------------------------------------------------------------------------

const graphMoney = z
  .object({ shopMoney: z.object({ amount: amountSchema }) })
  .transform((money) => money.shopMoney.amount);
const optionalGraphMoney = z
  .object({ shopMoney: z.object({ amount: amountSchema }) })
  .nullish()
  .transform((money) => money?.shopMoney.amount ?? 0);
const maybeGraphMoney = z
  .object({ shopMoney: z.object({ amount: amountSchema }) })
  .nullish()
  .transform((money) => money?.shopMoney.amount ?? null);

function graphFulfillmentStatus(status: string | null | undefined): string | null {
  if (!status || status === "UNFULFILLED") return null;
  return status.toLowerCase();
}

export const orderGraphqlSchema = z
  .object({
    id: shopifyIdSchema,
    name: z.string().nullish(),
    createdAt: dateSchema,
    processedAt: dateSchema.nullish(),
    updatedAt: dateSchema,
    cancelledAt: dateSchema.nullish(),
    test: z.boolean().nullish(),
    currencyCode: z.string(),
    displayFinancialStatus: z.string().nullish(),
    displayFulfillmentStatus: z.string().nullish(),
    discountCodes: z.array(z.string()).nullish(),
    customer: z
      .object({
        id: shopifyIdSchema,
        // Customer.email is deprecated: the address is defaultEmailAddress.emailAddress.
        defaultEmailAddress: z.object({ emailAddress: z.string().nullish() }).nullish(),
        firstName: z.string().nullish(),
        lastName: z.string().nullish(),
        tags: z.array(z.string()).nullish(),
        updatedAt: dateSchema.nullish(),
        createdAt: dateSchema.nullish(),
      })
      .nullish(),
    subtotalPriceSet: graphMoney,
    currentSubtotalPriceSet: maybeGraphMoney,
    totalDiscountsSet: optionalGraphMoney,
    totalShippingPriceSet: optionalGraphMoney,
    totalTaxSet: optionalGraphMoney,
    totalPriceSet: graphMoney,
    refunds: z
      .array(z.object({ id: shopifyIdSchema, createdAt: dateSchema, totalRefundedSet: optionalGraphMoney }))
      .nullish(),
  })
  .transform((order): OrderSnapshot => ({
    shopifyId: order.id,
    name: order.name ?? null,
    processedAt: order.processedAt ?? order.createdAt,
    updatedAt: order.updatedAt,
    cancelledAt: order.cancelledAt ?? null,
    test: order.test ?? false,
    currencyCode: order.currencyCode,
    financialStatus: order.displayFinancialStatus?.toLowerCase() ?? null,
    // GraphQL says UNFULFILLED where REST says null: both mean nothing has shipped.
    fulfillmentStatus: graphFulfillmentStatus(order.displayFulfillmentStatus),
    discountCodes: order.discountCodes ?? [],
    customer: order.customer
      ? {
          shopifyId: order.customer.id,
          email: order.customer.defaultEmailAddress?.emailAddress ?? null,
          firstName: order.customer.firstName ?? null,
          lastName: order.customer.lastName ?? null,
          tags: order.customer.tags ?? null,
          updatedAt: order.customer.updatedAt ?? null,
          createdAt: order.customer.createdAt ?? null,
        }
      : null,
    subtotalCents: order.subtotalPriceSet,
    currentSubtotalCents: order.currentSubtotalPriceSet ?? order.subtotalPriceSet,
    discountsCents: order.totalDiscountsSet,
    shippingCents: order.totalShippingPriceSet,
    taxCents: order.totalTaxSet,
    totalCents: order.totalPriceSet,
    refunds: (order.refunds ?? []).map((refund) => ({
      shopifyId: refund.id,
      orderShopifyId: order.id,
      processedAt: refund.createdAt,
      amountCents: refund.totalRefundedSet,
      merchandiseCents: null,
    })),
  }));

// The order fields Perennial reads through the Admin API: the same for an edited order's re-read
// and for every line of the history backfill, so both parse with orderGraphqlSchema.
export const ORDER_GRAPHQL_FIELDS = `
  id name createdAt processedAt updatedAt cancelledAt test currencyCode displayFinancialStatus
  displayFulfillmentStatus discountCodes
  customer { id defaultEmailAddress { emailAddress } firstName lastName tags updatedAt createdAt }
  subtotalPriceSet { shopMoney { amount } }
  currentSubtotalPriceSet { shopMoney { amount } }
  totalDiscountsSet { shopMoney { amount } }
  totalShippingPriceSet { shopMoney { amount } }
  totalTaxSet { shopMoney { amount } }
  totalPriceSet { shopMoney { amount } }
  refunds { id createdAt totalRefundedSet { shopMoney { amount } } }
`;
