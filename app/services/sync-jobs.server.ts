// The sync's background jobs: re-reading edited orders and the history backfill.
import prisma from "~/db.server";
import { ORDER_GRAPHQL_FIELDS, orderGraphqlSchema } from "~/core/orders/snapshot";
import { importBackfill, startBackfill } from "~/services/backfill.server";
import { startClvWorkers } from "~/services/clv-jobs.server";
import { QUEUES, startWorker } from "~/services/jobs.server";
import { startLoyaltyWorkers } from "~/services/loyalty-jobs.server";
import { applyOrderLoyaltyForShop } from "~/services/loyalty-orders.server";
import { applyOrderSnapshot } from "~/services/order-sync.server";
import { adminGraphql } from "~/services/shopify-admin.server";

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

// Every background worker of the app: the sync's, the CLV refresh's and the loyalty program's.
export async function startBackgroundWorkers(): Promise<void> {
  await startSyncWorkers();
  await startClvWorkers();
  await startLoyaltyWorkers();
}
