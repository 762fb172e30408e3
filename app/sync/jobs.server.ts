// The sync's background jobs: re-reading edited orders and the history backfill.
import prisma from "~/db.server";
import { ORDER_GRAPHQL_FIELDS, orderGraphqlSchema } from "~/core/orders/snapshot";
import { importBackfill, startBackfill } from "~/sync/backfill-import.server";
import { QUEUES, startWorker } from "~/platform/jobs.server";
import { applyOrderLoyaltyForShop } from "~/loyalty/order-points.server";
import { applyOrderSnapshot } from "~/sync/orders.server";
import { adminGraphql } from "~/platform/shopify-admin.server";

const ORDER_QUERY = `#graphql
  query Order($id: ID!) { order(id: $id) { ${ORDER_GRAPHQL_FIELDS} } }`;

// orders/edited: the webhook names the order; its new totals come from the Admin API.
export async function refreshOrder({ shop, orderId }: { shop: string; orderId: string }): Promise<void> {
  const shopRow = await prisma.shop.findUnique({ where: { shopDomain: shop }, select: { id: true } });
  if (!shopRow) return;
  const { order } = await adminGraphql<{ order: unknown }>(shop, ORDER_QUERY, { id: `gid://shopify/Order/${orderId}` });
  if (!order) return; // deleted since: orders/delete handles it
  const snapshot = orderGraphqlSchema.parse(order);
  await prisma.$transaction(async (tx) => {
    await applyOrderSnapshot(tx, shopRow.id, snapshot);
    await applyOrderLoyaltyForShop(tx, shopRow.id, snapshot.shopifyId);
  });
}

export async function startSyncWorkers(): Promise<void> {
  await startWorker(QUEUES.orderRefresh, refreshOrder);
  await startWorker(QUEUES.backfillStart, startBackfill);
  await startWorker(QUEUES.backfillImport, importBackfill);
}
