// Per-customer rollups (orders, first and last order, net revenue) over counted orders, computed
// by perennial_refresh_rollups (prisma/functions/perennial_refresh_rollups.sql). Callers run this
// inside the transaction that changed the orders, so the rollups are never behind the orders.
import type { Prisma, PrismaClient } from "@prisma/client";

type Transaction = Prisma.TransactionClient | PrismaClient;

export async function refreshCustomerRollups(tx: Transaction, shopId: string, customerIds?: string[]): Promise<void> {
  await tx.$executeRaw`SELECT perennial_refresh_rollups(${shopId}, ${customerIds ?? null}::text[])`;
}
