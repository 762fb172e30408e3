// Orders → points. Runs in the transaction that synced the order (webhooks, the edited-order
// re-read, the backfill), so the points change with the order; and from a sweep job that catches
// up whatever a program launch or a crash left behind. Applying an order twice changes nothing:
// the ledger reconciles each order to its target (decision 005).
import { applyOrderEvent, orderEventFromSyncedOrder } from "~/core/loyalty";
import { changeLoyaltyAccount, loadLoyaltyProgram, type LoyaltyProgramState, type Tx } from "./loyalty-ledger.server";

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
  discountCodes: string[];
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
  const [order] = await tx.$queryRaw<OrderRow[]>`
    SELECT "customerId", "shopifyUpdatedAt", "processedAt", "financialStatus", "fulfillmentStatus", "cancelledAt",
           "deletedAt", "test", round("netRevenue" * 100)::bigint AS "netRevenueCents",
           round("totalTax" * 100)::bigint AS "taxCents", round("totalShipping" * 100)::bigint AS "shippingCents",
           "discountCodes"
      FROM "Order" WHERE "shopId" = ${shopId} AND "shopifyId" = ${orderShopifyId}`;
  if (!order?.customerId || order.test) return;
  // History from before the program went live never earns.
  if (!program.launchedAt || order.processedAt < program.launchedAt) return;
  const [refunds, redemptions] = await Promise.all([
    tx.$queryRaw<{ shopifyId: bigint; amountCents: bigint; merchandiseCents: bigint }[]>`
      SELECT "shopifyId", round("amount" * 100)::bigint AS "amountCents",
             round("merchandiseAmount" * 100)::bigint AS "merchandiseCents"
        FROM "Refund" WHERE "shopId" = ${shopId} AND "orderShopifyId" = ${orderShopifyId}
       ORDER BY "processedAt", "shopifyId"`,
    order.discountCodes.length
      ? tx.redemption.findMany({
          where: { shopId, customerId: order.customerId, code: { in: order.discountCodes, mode: "insensitive" } },
          select: { id: true },
        })
      : Promise.resolve([]),
  ]);
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
    refunds: refunds.map((refund) => ({
      refundId: refund.shopifyId.toString(),
      amountCents: num(refund.amountCents),
      merchandiseCents: num(refund.merchandiseCents),
    })),
    redemptionIds: redemptions.map((redemption) => redemption.id),
  });
  await changeLoyaltyAccount(tx, shopId, order.customerId, (state) => ({
    change: applyOrderEvent(state, program.settings, event, at.toISOString()),
    result: null,
  }));
}

export async function applyOrderLoyaltyForShop(tx: Tx, shopId: string, orderShopifyId: bigint): Promise<void> {
  await applyOrderLoyalty(tx, await loadLoyaltyProgram(tx, shopId), orderShopifyId);
}
