// Orders → points. Runs in the transaction that synced the order (webhooks, the edited-order
// re-read, the backfill), so the points change with the order; and from a sweep job that catches
// up whatever a program launch or a crash left behind. Applying an order twice changes nothing:
// the ledger reconciles each order to its target (decision 005).
import { Prisma } from "@prisma/client";

import { applyOrderEvent, orderEventFromSyncedOrder, type OrderEvent } from "~/core/loyalty";
import {
  changeLoyaltyAccount,
  changeLoyaltyAccounts,
  loadLoyaltyProgram,
  type LoyaltyProgramState,
  type Tx,
} from "./ledger.server";

interface OrderRow {
  shopifyId: bigint;
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

// The orders with their refunds and the rewards they redeemed, in one query (each Prisma call
// costs a query compilation, and every order webhook of a shop with a program comes here).
const orderRows = (shopId: string, which: Prisma.Sql) => Prisma.sql`
    SELECT o."shopifyId", o."customerId", o."shopifyUpdatedAt", o."processedAt", o."financialStatus", o."fulfillmentStatus",
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
      FROM "Order" AS o WHERE o."shopId" = ${shopId} AND ${which}`;

/** The order's event for the ledger, or null when it never earns: a guest's, a test order, or one placed before the launch. */
function orderEvent(program: LoyaltyProgramState, order: OrderRow) {
  if (!order.customerId || order.test) return null;
  // History from before the program went live never earns.
  if (!program.launchedAt || order.processedAt < program.launchedAt) return null;
  return orderEventFromSyncedOrder({
    orderId: order.shopifyId.toString(),
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
}

/** Brings one synced order's points in line with the order. Nothing for guests, test orders or a program that is off. */
export async function applyOrderLoyalty(
  tx: Tx,
  program: LoyaltyProgramState | null,
  orderShopifyId: bigint,
  at: Date = new Date(),
): Promise<void> {
  if (!program?.enabled) return;
  const [order] = await tx.$queryRaw<OrderRow[]>(
    orderRows(program.shopId, Prisma.sql`o."shopifyId" = ${orderShopifyId}`),
  );
  const event = order && orderEvent(program, order);
  if (!event) return;
  await changeLoyaltyAccount(tx, program.shopId, event.customerId, (state) => ({
    change: applyOrderEvent(state, program.settings, event, at.toISOString()),
    result: null,
  }));
}

/**
 * applyOrderLoyalty for many synced orders of different customers, each at its own time, in three
 * statements: for work over many orders in one transaction (the demo's history).
 */
export async function applyOrdersLoyalty(
  tx: Tx,
  program: LoyaltyProgramState | null,
  orders: readonly { shopifyId: bigint; at: Date }[],
): Promise<void> {
  if (!program?.enabled || orders.length === 0) return;
  const rows = await tx.$queryRaw<OrderRow[]>(
    orderRows(program.shopId, Prisma.sql`o."shopifyId" = ANY (${orders.map((order) => order.shopifyId)}::bigint[])`),
  );
  const events = new Map<string, { event: OrderEvent; at: string }>();
  const times = new Map(orders.map((order) => [order.shopifyId, order.at.toISOString()]));
  for (const row of rows) {
    const event = orderEvent(program, row);
    if (!event) continue;
    // Two orders of one customer: the second must see the first's points.
    if (events.has(event.customerId)) throw new Error("applyOrdersLoyalty: two orders of one customer");
    events.set(event.customerId, { event, at: times.get(row.shopifyId)! });
  }
  await changeLoyaltyAccounts(tx, program.shopId, [...events.keys()], (state) => {
    const { event, at } = events.get(state.account.customerId)!;
    return applyOrderEvent(state, program.settings, event, at);
  });
}

export async function applyOrderLoyaltyForShop(tx: Tx, shopId: string, orderShopifyId: bigint): Promise<void> {
  await applyOrderLoyalty(tx, await loadLoyaltyProgram(tx, shopId), orderShopifyId);
}
