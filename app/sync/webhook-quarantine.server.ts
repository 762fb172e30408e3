// Signed deliveries that can never be applied: kept as received with the reason, answered 200 so
// that Shopify stops retrying (it retries a failed delivery for hours and may then remove the
// subscription), counted on Home's Sync status card, and re-ingested by `npm run webhooks:replay`
// once a fix is deployed. What counts as "never" is decided here, in unapplicableReason; the
// rules are in docs/order-webhook.md, "Quarantine".
import prisma from "~/db.server";
import { ingestWebhook, type IngestOutcome } from "~/sync/webhook-ingest.server";
import { parseWebhookBody, WebhookPayloadError, type SignedDelivery } from "~/sync/webhook-verify.server";

// The SQLSTATE of a database error, however it reached us: node-postgres (`code`), Prisma's raw
// queries through the driver adapter (`meta.driverAdapterError.cause.originalCode`) or the
// adapter's own error (`cause.originalCode`).
function sqlState(error: unknown, depth = 0): string | null {
  if (!error || typeof error !== "object" || depth > 4) return null;
  const record = error as Record<string, unknown>;
  // The driver's error first: a Prisma error's own code (P2010) is Prisma's, not PostgreSQL's.
  const meta = record.meta as Record<string, unknown> | undefined;
  const inner = sqlState(meta?.driverAdapterError, depth + 1) ?? sqlState(record.cause, depth + 1);
  if (inner) return inner;
  for (const key of ["originalCode", "code"]) {
    const value = record[key];
    if (typeof value === "string" && /^[0-9A-Z]{5}$/.test(value) && !/^P2\d{3}$/.test(value)) return value;
  }
  return null;
}

/**
 * Why a delivery can never be applied, or null when it might on a retry. A payload that is not its
 * topic's (WebhookPayloadError) never will; nor will data the database refuses as data (SQLSTATE
 * class 22: a \u0000 in a string, a number out of range). Anything else (a lost connection, a
 * deadlock, a timeout) is a 500, and Shopify delivers again.
 */
export function unapplicableReason(error: unknown): string | null {
  if (error instanceof WebhookPayloadError) return error.message;
  const state = sqlState(error);
  if (state?.startsWith("22")) {
    const message = error instanceof Error ? error.message.trim().split("\n").pop() : "";
    return `The database refused the payload (SQLSTATE ${state})${message ? `: ${message}` : ""}`.slice(0, 1000);
  }
  return null;
}

/** Keeps the delivery; a second delivery of the same event counts an attempt and keeps the newest reason. */
export async function quarantineDelivery(delivery: SignedDelivery, reason: string): Promise<void> {
  const fields = {
    topic: delivery.topic,
    webhookId: delivery.webhookId,
    apiVersion: delivery.apiVersion,
    triggeredAt: delivery.triggeredAt ?? null,
    body: new Uint8Array(delivery.body),
    reason,
  };
  await prisma.webhookQuarantine.upsert({
    where: { shopDomain_eventId: { shopDomain: delivery.shop, eventId: delivery.eventId } },
    create: { shopDomain: delivery.shop, eventId: delivery.eventId, ...fields },
    update: { ...fields, attempts: { increment: 1 } },
  });
  console.warn(`[webhooks] ${delivery.topic} ${delivery.eventId} for ${delivery.shop} quarantined: ${reason}`);
}

export async function countQuarantined(shopDomain: string): Promise<number> {
  return prisma.webhookQuarantine.count({ where: { shopDomain } });
}

export interface ReplayResult {
  id: number;
  shop: string;
  topic: string;
  eventId: string;
  /** The ingest's outcome when it applied (the row is gone), or "quarantined" with the reason. */
  outcome: IngestOutcome | "quarantined";
  reason?: string;
}

/**
 * Re-ingests quarantined deliveries through the same ingestWebhook, oldest first: one that applies
 * (or turns out a duplicate) leaves the quarantine; one that still cannot stays, with the new
 * reason. Any other failure stops the replay and is thrown: the row stays as it was.
 */
export async function replayQuarantined(filter: { shop?: string; id?: number } = {}): Promise<ReplayResult[]> {
  const rows = await prisma.webhookQuarantine.findMany({
    where: { shopDomain: filter.shop?.toLowerCase(), id: filter.id },
    orderBy: { id: "asc" },
  });
  const results: ReplayResult[] = [];
  for (const row of rows) {
    const delivery: SignedDelivery = {
      topic: row.topic,
      shop: row.shopDomain,
      webhookId: row.webhookId,
      eventId: row.eventId,
      apiVersion: row.apiVersion,
      triggeredAt: row.triggeredAt ?? undefined,
      body: Buffer.from(row.body),
    };
    const base = { id: row.id, shop: row.shopDomain, topic: row.topic, eventId: row.eventId };
    try {
      const outcome = await ingestWebhook(parseWebhookBody(delivery));
      await prisma.webhookQuarantine.delete({ where: { id: row.id } });
      results.push({ ...base, outcome });
    } catch (error) {
      const reason = unapplicableReason(error);
      if (reason === null) throw error;
      await prisma.webhookQuarantine.update({ where: { id: row.id }, data: { reason } });
      results.push({ ...base, outcome: "quarantined", reason });
    }
  }
  return results;
}
