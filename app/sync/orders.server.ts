// Writes Shopify's orders, refunds and customers into our copy so that it is exact whatever the
// delivery order: a snapshot older than the stored one changes nothing, refunds are keyed by
// their own id, a deleted order stays deleted, and the customers' rollups change in the same
// transaction as their orders. The rules live in PostgreSQL functions (prisma/functions), so a
// webhook is one round trip; these wrappers pass snapshots as JSON.
import { Prisma, type PrismaClient } from "@prisma/client";

import { customerJson, orderJson, refundJson } from "~/core/orders/ingest-json";
import type { CustomerSnapshot, OrderSnapshot, RefundSnapshot } from "~/core/orders/snapshot";

export { orderJson };

type Tx = Prisma.TransactionClient | PrismaClient;

export type ApplyResult = "applied" | "stale";

// One call of an ingest function per element of a JSON array, in one round trip: for work over many
// snapshots in one transaction (the demo's history). The results in the array's order.
async function applyEach<Result>(
  tx: Tx,
  ingestFunction: "perennial_upsert_customer" | "perennial_apply_order",
  shopId: string,
  snapshots: string[],
): Promise<Result[]> {
  if (snapshots.length === 0) return [];
  const rows = await tx.$queryRaw<{ result: Result }[]>`
    SELECT ${Prisma.raw(ingestFunction)}(${shopId}, s.value) AS result
      FROM jsonb_array_elements(${`[${snapshots.join(",")}]`}::jsonb) WITH ORDINALITY AS s(value, n)
     ORDER BY s.n`;
  return rows.map((row) => row.result);
}

/** upsertCustomer for many customers in one round trip; returns their row ids in turn. */
export async function upsertCustomers(tx: Tx, shopId: string, customers: readonly CustomerSnapshot[]) {
  const snapshots = customers.map((customer) => JSON.stringify(customerJson(customer)));
  return applyEach<string>(tx, "perennial_upsert_customer", shopId, snapshots);
}

export async function upsertCustomer(tx: Tx, shopId: string, customer: CustomerSnapshot): Promise<string> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    SELECT perennial_upsert_customer(${shopId}, ${JSON.stringify(customerJson(customer))}::jsonb) AS id`;
  return row.id;
}

export async function applyOrderSnapshot(tx: Tx, shopId: string, order: OrderSnapshot): Promise<ApplyResult> {
  const [row] = await tx.$queryRaw<{ result: ApplyResult }[]>`
    SELECT perennial_apply_order(${shopId}, ${orderJson(order)}::jsonb) AS result`;
  return row.result;
}

/** applyOrderSnapshot for many orders in one round trip; returns each one's result in turn. */
export async function applyOrderSnapshots(tx: Tx, shopId: string, orders: readonly OrderSnapshot[]) {
  return applyEach<ApplyResult>(tx, "perennial_apply_order", shopId, orders.map(orderJson));
}

export async function applyRefund(tx: Tx, shopId: string, refund: RefundSnapshot): Promise<void> {
  await tx.$queryRaw`SELECT perennial_apply_refund(${shopId}, ${JSON.stringify(refundJson(refund))}::jsonb)`;
}

// A tombstone, not a delete: an orders/updated that arrives later must not resurrect the order.
export async function deleteOrder(tx: Tx, shopId: string, orderShopifyId: bigint): Promise<void> {
  const [existing] = await tx.$queryRaw<{ customerId: string | null }[]>`
    INSERT INTO "Order" ("id", "shopId", "shopifyId", "processedAt", "shopifyUpdatedAt", "currencyCode", "deletedAt", "updatedAt")
    VALUES (perennial_new_id(), ${shopId}, ${orderShopifyId}, to_timestamp(0), to_timestamp(0), 'XXX', now(), now())
    ON CONFLICT ("shopId", "shopifyId") DO UPDATE SET "deletedAt" = now(), "updatedAt" = now()
    RETURNING "customerId"`;
  if (existing?.customerId) {
    await tx.$executeRaw`SELECT perennial_refresh_rollups(${shopId}, ARRAY[${existing.customerId}]::text[])`;
  }
}

// Erases a customer's personal data; their orders stay, anonymous, for the shop's aggregates.
export async function redactCustomer(tx: Tx, shopId: string, customerShopifyId: bigint): Promise<void> {
  await tx.customer.updateMany({
    where: { shopId, shopifyId: customerShopifyId },
    data: { email: null, firstName: null, lastName: null, tags: [], redactedAt: new Date() },
  });
  // The birthday is personal too; the points ledger stays, anonymous, for the program's totals.
  await tx.loyaltyAccount.updateMany({
    where: { shopId, customer: { shopifyId: customerShopifyId } },
    data: { birthday: null },
  });
  await tx.dataRequest.deleteMany({ where: { shopId, customerShopifyId } });
}
