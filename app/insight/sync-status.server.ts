// What the merchant sees of the sync: the history import's progress and the last webhook.
import prisma from "~/db.server";

export interface SyncStatus {
  backfill: { status: string; linesImported: number; objectCount: number; error: string | null } | null;
  lastWebhookAt: string | null;
}

export async function loadSyncStatus(shopDomain: string): Promise<SyncStatus> {
  const [run, lastDelivery] = await Promise.all([
    prisma.backfillRun.findFirst({ where: { shop: { shopDomain } }, orderBy: { startedAt: "desc" } }),
    prisma.webhookDelivery.findFirst({
      where: { shopDomain },
      orderBy: { receivedAt: "desc" },
      select: { receivedAt: true },
    }),
  ]);
  return {
    backfill: run
      ? { status: run.status, linesImported: run.linesImported, objectCount: run.objectCount, error: run.error }
      : null,
    lastWebhookAt: lastDelivery?.receivedAt.toISOString() ?? null,
  };
}
