// The history backfill's first and last steps that need no Shopify call, so the install hook and
// the bulk_operations/finish webhook can take them in their own transactions: ask for a backfill
// (one per shop unless one is under way or done) and, when Shopify says the bulk operation
// finished, queue its import. The Admin API half is backfill-import.server.ts.
import type { Prisma } from "@prisma/client";
import type { z } from "zod";

import type { bulkOperationFinishSchema } from "~/core/orders/payloads";
import { enqueue, QUEUES } from "~/platform/jobs.server";

const UNDER_WAY = ["requested", "running", "importing"];

/**
 * Called after install: one backfill per shop unless one is under way or done. After a reinstall
 * neither counts: the shop's orders from the gap are missing, and an import that was under way at
 * the uninstall will never hear from Shopify again (an uninstalled app gets no webhooks).
 */
export async function requestBackfill(
  tx: Prisma.TransactionClient,
  shopId: string,
  shop: string,
  options: { reinstall?: boolean } = {},
): Promise<boolean> {
  if (options.reinstall) {
    await tx.backfillRun.updateMany({
      where: { shopId, status: { in: UNDER_WAY } },
      data: { status: "failed", error: "The app was uninstalled before the import finished.", finishedAt: new Date() },
    });
  } else {
    const existing = await tx.backfillRun.findFirst({ where: { shopId, status: { in: [...UNDER_WAY, "completed"] } } });
    if (existing) return false;
  }
  await tx.backfillRun.create({ data: { shopId, status: "requested" } });
  await enqueue(tx, QUEUES.backfillStart, { shop }, { key: `${shop}:${Date.now()}` });
  return true;
}

export async function recordBulkOperationFinished(
  tx: Prisma.TransactionClient,
  shopId: string,
  operation: z.output<typeof bulkOperationFinishSchema>,
): Promise<void> {
  const run = await tx.backfillRun.findUnique({ where: { bulkOperationId: operation.admin_graphql_api_id } });
  if (!run || run.shopId !== shopId) return; // not one of our backfills
  if (operation.status.toLowerCase() === "completed") {
    await enqueue(tx, QUEUES.backfillImport, { runId: run.id }, { key: run.id });
  } else {
    await tx.backfillRun.update({
      where: { id: run.id },
      data: { status: "failed", error: operation.error_code ?? operation.status, finishedAt: new Date() },
    });
  }
}
