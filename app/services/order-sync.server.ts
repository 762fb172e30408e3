// Writes Shopify's orders, refunds and customers into our copy so that it is exact whatever the
// delivery order: a snapshot older than the stored one changes nothing, refunds are keyed by
// their own id, a deleted order stays deleted, and the customers' rollups change in the same
// transaction as their orders. Every function takes the transaction it must run in.
import { Prisma } from "@prisma/client";

import { centsToAmount } from "~/core/orders/net-revenue";
import type { CustomerSnapshot, OrderSnapshot, RefundSnapshot } from "~/core/orders/snapshot";
import { refreshCustomerRollups } from "~/services/customer-rollups.server";

type Tx = Prisma.TransactionClient;

export type ApplyResult = "applied" | "stale";

// Creates the customer if new; updates name and email only from data newer than what we hold,
// and never for a customer whose personal data was erased.
export async function upsertCustomer(tx: Tx, shopId: string, customer: CustomerSnapshot): Promise<string> {
  const updatedAt = customer.updatedAt ?? null;
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Customer" ("id", "shopId", "shopifyId", "email", "firstName", "lastName",
                            "shopifyCreatedAt", "shopifyUpdatedAt", "updatedAt")
    VALUES (${cuidLike()}, ${shopId}, ${customer.shopifyId}, ${customer.email}, ${customer.firstName},
            ${customer.lastName}, ${customer.createdAt}, ${updatedAt}, now())
    ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET
      "email"            = CASE WHEN ${newerCustomer} THEN EXCLUDED."email" ELSE "Customer"."email" END,
      "firstName"        = CASE WHEN ${newerCustomer} THEN EXCLUDED."firstName" ELSE "Customer"."firstName" END,
      "lastName"         = CASE WHEN ${newerCustomer} THEN EXCLUDED."lastName" ELSE "Customer"."lastName" END,
      "shopifyCreatedAt" = coalesce("Customer"."shopifyCreatedAt", EXCLUDED."shopifyCreatedAt"),
      "shopifyUpdatedAt" = CASE WHEN ${newerCustomer} THEN EXCLUDED."shopifyUpdatedAt" ELSE "Customer"."shopifyUpdatedAt" END,
      "updatedAt"        = now()
    RETURNING "id"`;
  return rows[0].id;
}

// Newer when nothing is stored yet, or the incoming updated_at is at least as recent; never
// after the customer was redacted.
const newerCustomer = Prisma.sql`("Customer"."redactedAt" IS NULL AND ("Customer"."shopifyUpdatedAt" IS NULL
  OR (EXCLUDED."shopifyUpdatedAt" IS NOT NULL AND EXCLUDED."shopifyUpdatedAt" >= "Customer"."shopifyUpdatedAt")))`;

// Row ids for raw inserts (Prisma's @default(cuid()) only applies to its own queries).
function cuidLike(): string {
  return `c${Date.now().toString(36)}${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
}

async function upsertRefunds(tx: Tx, shopId: string, refunds: RefundSnapshot[], reflected: boolean) {
  for (const refund of refunds) {
    const merchandise = refund.merchandiseCents === null ? null : centsToAmount(refund.merchandiseCents);
    await tx.$executeRaw`
      INSERT INTO "Refund" ("id", "shopId", "shopifyId", "orderShopifyId", "processedAt", "amount",
                            "merchandiseAmount", "reflected", "updatedAt")
      VALUES (${cuidLike()}, ${shopId}, ${refund.shopifyId}, ${refund.orderShopifyId}, ${refund.processedAt},
              ${centsToAmount(refund.amountCents)}::numeric, coalesce(${merchandise}::numeric, 0), ${reflected}, now())
      ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET
        "amount"            = EXCLUDED."amount",
        "merchandiseAmount" = CASE WHEN ${merchandise}::numeric IS NULL THEN "Refund"."merchandiseAmount"
                                   ELSE EXCLUDED."merchandiseAmount" END,
        "reflected"         = "Refund"."reflected" OR EXCLUDED."reflected",
        "updatedAt"         = now()`;
  }
}

// Net revenue = the snapshot's current subtotal less the merchandise of refunds it does not list
// yet (docs/net-revenue.md); total refunded = every refund's money. Returns the order's customer.
async function recomputeOrderMoney(tx: Tx, shopId: string, orderShopifyId: bigint): Promise<string | null | undefined> {
  const rows = await tx.$queryRaw<{ customerId: string | null }[]>`
    UPDATE "Order" AS o
       SET "totalRefunded" = r.refunded,
           "netRevenue"    = greatest(0, o."currentSubtotal" - r.unreflected_merchandise),
           "updatedAt"     = now()
      FROM (SELECT coalesce(sum("amount"), 0) AS refunded,
                   coalesce(sum("merchandiseAmount") FILTER (WHERE NOT "reflected"), 0) AS unreflected_merchandise
              FROM "Refund" WHERE "shopId" = ${shopId} AND "orderShopifyId" = ${orderShopifyId}) AS r
     WHERE o."shopId" = ${shopId} AND o."shopifyId" = ${orderShopifyId}
    RETURNING o."customerId"`;
  return rows.length ? rows[0].customerId : undefined;
}

export async function applyOrderSnapshot(tx: Tx, shopId: string, order: OrderSnapshot): Promise<ApplyResult> {
  const [previous] = await tx.$queryRaw<
    { customerId: string | null; shopifyUpdatedAt: Date; deletedAt: Date | null }[]
  >`
    SELECT "customerId", "shopifyUpdatedAt", "deletedAt" FROM "Order"
     WHERE "shopId" = ${shopId} AND "shopifyId" = ${order.shopifyId} FOR UPDATE`;
  if (previous && previous.shopifyUpdatedAt > order.updatedAt) return "stale";
  // A deleted order still takes newer data (so its row ends the same whatever the delivery
  // order), but stays deleted: the upsert never touches deletedAt.

  const customerId = order.customer ? await upsertCustomer(tx, shopId, order.customer) : null;
  await upsertRefunds(tx, shopId, order.refunds, true);
  const money = {
    subtotal: centsToAmount(order.subtotalCents),
    currentSubtotal: centsToAmount(order.currentSubtotalCents),
    totalDiscounts: centsToAmount(order.discountsCents),
    totalShipping: centsToAmount(order.shippingCents),
    totalTax: centsToAmount(order.taxCents),
    totalPrice: centsToAmount(order.totalCents),
  };
  const fields = {
    customerId,
    name: order.name,
    processedAt: order.processedAt,
    shopifyUpdatedAt: order.updatedAt,
    currencyCode: order.currencyCode,
    financialStatus: order.financialStatus,
    cancelledAt: order.cancelledAt,
    test: order.test,
    ...money,
  };
  await tx.order.upsert({
    where: { shopId_shopifyId: { shopId, shopifyId: order.shopifyId } },
    create: { shopId, shopifyId: order.shopifyId, ...fields },
    update: fields,
  });
  await recomputeOrderMoney(tx, shopId, order.shopifyId);
  const affected = [previous?.customerId, customerId].filter((id): id is string => Boolean(id));
  if (affected.length) await refreshCustomerRollups(tx, shopId, [...new Set(affected)]);
  return "applied";
}

export async function applyRefund(tx: Tx, shopId: string, refund: RefundSnapshot): Promise<void> {
  await upsertRefunds(tx, shopId, [refund], false);
  const customerId = await recomputeOrderMoney(tx, shopId, refund.orderShopifyId);
  if (customerId) await refreshCustomerRollups(tx, shopId, [customerId]);
}

// A tombstone, not a delete: an orders/updated that arrives later must not resurrect the order.
export async function deleteOrder(tx: Tx, shopId: string, orderShopifyId: bigint): Promise<void> {
  const existing = await tx.order.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: orderShopifyId } },
    select: { customerId: true },
  });
  await tx.order.upsert({
    where: { shopId_shopifyId: { shopId, shopifyId: orderShopifyId } },
    create: {
      shopId,
      shopifyId: orderShopifyId,
      processedAt: new Date(0),
      shopifyUpdatedAt: new Date(0),
      currencyCode: "XXX",
      deletedAt: new Date(),
    },
    update: { deletedAt: new Date() },
  });
  if (existing?.customerId) await refreshCustomerRollups(tx, shopId, [existing.customerId]);
}

// Erases a customer's personal data; their orders stay, anonymous, for the shop's aggregates.
export async function redactCustomer(tx: Tx, shopId: string, customerShopifyId: bigint): Promise<void> {
  await tx.customer.updateMany({
    where: { shopId, shopifyId: customerShopifyId },
    data: { email: null, firstName: null, lastName: null, redactedAt: new Date() },
  });
  await tx.dataRequest.deleteMany({ where: { shopId, customerShopifyId } });
}
