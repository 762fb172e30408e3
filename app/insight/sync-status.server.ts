// What the merchant sees of the sync: the history import's progress, the last webhook and the
// signed deliveries kept in quarantine because they could not be applied.
import prisma from "~/db.server";

export interface SyncStatus {
  backfill: { status: string; linesImported: number; objectCount: number; error: string | null } | null;
  lastWebhookAt: string | null;
  /** Deliveries in WebhookQuarantine, waiting for `npm run webhooks:replay`. */
  quarantined: number;
}

export async function loadSyncStatus(shopDomain: string): Promise<SyncStatus> {
  const [run, lastDelivery, quarantined] = await Promise.all([
    prisma.backfillRun.findFirst({ where: { shop: { shopDomain } }, orderBy: { startedAt: "desc" } }),
    prisma.webhookDelivery.findFirst({
      where: { shopDomain },
      orderBy: { receivedAt: "desc" },
      select: { receivedAt: true },
    }),
    prisma.webhookQuarantine.count({ where: { shopDomain } }),
  ]);
  return {
    backfill: run
      ? { status: run.status, linesImported: run.linesImported, objectCount: run.objectCount, error: run.error }
      : null,
    lastWebhookAt: lastDelivery?.receivedAt.toISOString() ?? null,
    quarantined,
  };
}
