// Per-customer rollups (orders, first and last order, net revenue) recomputed from the stored
// orders with the counting rules of core/orders/net-revenue.ts. Callers run this inside the
// transaction that changed the orders, so the rollups are never behind the orders.
import { Prisma, type PrismaClient } from "@prisma/client";

type Transaction = Prisma.TransactionClient | PrismaClient;

// The SQL twin of isCountedOrder (core/orders/net-revenue.ts), for the alias "o".
export const countedOrder = Prisma.sql`o."cancelledAt" IS NULL AND NOT o."test" AND o."deletedAt" IS NULL`;

export async function refreshCustomerRollups(tx: Transaction, shopId: string, customerIds?: string[]): Promise<void> {
  const onlyThese = customerIds ? Prisma.sql`AND c."id" = ANY(${customerIds})` : Prisma.empty;
  const onlyTheseOrders = customerIds ? Prisma.sql`AND o."customerId" = ANY(${customerIds})` : Prisma.empty;
  await tx.$executeRaw`
    UPDATE "Customer" AS c
       SET "ordersCount"  = coalesce(r.orders, 0),
           "firstOrderAt" = r.first_order_at,
           "lastOrderAt"  = r.last_order_at,
           "netRevenue"   = coalesce(r.net_revenue, 0),
           "updatedAt"    = now()
      FROM "Customer" AS target
      LEFT JOIN (
        SELECT o."customerId", count(*)::int AS orders, min(o."processedAt") AS first_order_at,
               max(o."processedAt") AS last_order_at, sum(o."netRevenue") AS net_revenue
          FROM "Order" AS o
         WHERE o."shopId" = ${shopId} AND o."customerId" IS NOT NULL
           AND ${countedOrder} ${onlyTheseOrders}
         GROUP BY o."customerId"
      ) AS r ON r."customerId" = target."id"
     WHERE c."id" = target."id" AND c."shopId" = ${shopId} ${onlyThese}`;
}
