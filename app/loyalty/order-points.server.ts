// Orders → points. Runs in the transaction that synced the order (webhooks, the edited-order
// re-read, the backfill), so the points change with the order; and from a sweep job that catches
// up whatever a program launch or a crash left behind. Applying an order twice changes nothing:
// the ledger reconciles each order to its target (decision 005).
import { applyOrderEvent, orderEventFromSyncedOrder } from "~/core/loyalty";
import { changeLoyaltyAccount, loadLoyaltyProgram, type LoyaltyProgramState, type Tx } from "./ledger.server";

interface OrderRow {
  customerId: string | null;
  shopifyUpdatedAt: Date;
  processedAt: Date;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  cancelledAt: Date | null;
  deletedAt: Date | null;
  test: boolean;
  netRevenueCents: bigint;
  taxCents: bigint;
  shippingCents: bigint;
  /** The order's refunds, oldest first, amounts in cents. */
  refunds: { refundId: string; amountCents: number; merchandiseCents: number }[];
  /** The customer's redemptions whose code the order used. */
  redemptionIds: string[];
}

const num = (value: bigint | number) => Number(value);

/** Brings one synced order's points in line with the order. Nothing for guests, test orders or a program that is off. */
export async function applyOrderLoyalty(
  tx: Tx,
  program: LoyaltyProgramState | null,
  orderShopifyId: bigint,
  at: Date = new Date(),
): Promise<void> {
  if (!program?.enabled) return;
  const shopId = program.shopId;
  // The order with its refunds and the rewards it redeemed, in one query (each Prisma call costs
  // a query compilation, and every order webhook of a shop with a program comes here).
  const [order] = await tx.$queryRaw<OrderRow[]>`
    SELECT o."customerId", o."shopifyUpdatedAt", o."processedAt", o."financialStatus", o."fulfillmentStatus",
           o."cancelledAt", o."deletedAt", o."test", round(o."netRevenue" * 100)::bigint AS "netRevenueCents",
           round(o."totalTax" * 100)::bigint AS "taxCents", round(o."totalShipping" * 100)::bigint AS "shippingCents",
           coalesce((SELECT json_agg(json_build_object('refundId', r."shopifyId"::text,
                                                       'amountCents', round(r."amount" * 100)::bigint,
                                                       'merchandiseCents', round(r."merchandiseAmount" * 100)::bigint)
                                     ORDER BY r."processedAt", r."shopifyId")
                       FROM "Refund" AS r WHERE r."shopId" = o."shopId" AND r."orderShopifyId" = o."shopifyId"),
                    '[]') AS "refunds",
           CASE WHEN o."customerId" IS NULL OR cardinality(o."discountCodes") = 0 THEN ARRAY[]::text[]
                ELSE ARRAY(SELECT d."id" FROM "Redemption" AS d
                            WHERE d."shopId" = o."shopId" AND d."customerId" = o."customerId"
                              AND lower(d."code") = ANY (SELECT lower(code) FROM unnest(o."discountCodes") AS code))
           END AS "redemptionIds"
      FROM "Order" AS o WHERE o."shopId" = ${shopId} AND o."shopifyId" = ${orderShopifyId}`;
  if (!order?.customerId || order.test) return;
  // History from before the program went live never earns.
  if (!program.launchedAt || order.processedAt < program.launchedAt) return;
  const event = orderEventFromSyncedOrder({
    orderId: orderShopifyId.toString(),
    customerId: order.customerId,
    updatedAt: order.shopifyUpdatedAt.toISOString(),
    placedAt: order.processedAt.toISOString(),
    financialStatus: order.financialStatus,
    fulfillmentStatus: order.fulfillmentStatus,
    // A deleted order is undone like a cancelled one.
    cancelled: order.cancelledAt !== null || order.deletedAt !== null,
    netRevenueCents: num(order.netRevenueCents),
    taxCents: num(order.taxCents),
    shippingCents: num(order.shippingCents),
    refunds: order.refunds,
    redemptionIds: order.redemptionIds,
  });
  await changeLoyaltyAccount(tx, shopId, order.customerId, (state) => ({
    change: applyOrderEvent(state, program.settings, event, at.toISOString()),
    result: null,
  }));
}

export async function applyOrderLoyaltyForShop(tx: Tx, shopId: string, orderShopifyId: bigint): Promise<void> {
  await applyOrderLoyalty(tx, await loadLoyaltyProgram(tx, shopId), orderShopifyId);
}
