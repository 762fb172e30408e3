// Per-customer rollups (orders, first and last order, net revenue) over counted orders, computed
// by perennial_refresh_rollups (prisma/functions/perennial_refresh_rollups.sql). Callers run this
// inside the transaction that changed the orders, so the rollups are never behind the orders.
import { Prisma, type PrismaClient } from "@prisma/client";

type Transaction = Prisma.TransactionClient | PrismaClient;

// The SQL twin of isCountedOrder (core/orders/net-revenue.ts), for the alias "o".
export const countedOrder = Prisma.sql`o."cancelledAt" IS NULL AND NOT o."test" AND o."deletedAt" IS NULL`;

export async function refreshCustomerRollups(tx: Transaction, shopId: string, customerIds?: string[]): Promise<void> {
  await tx.$executeRaw`SELECT perennial_refresh_rollups(${shopId}, ${customerIds ?? null}::text[])`;
}
