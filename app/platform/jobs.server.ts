// The background job queue: pg-boss, on the same PostgreSQL (or embedded PGlite) as the app.
// Webhook handlers enqueue inside their own transaction (pg-boss runs its INSERT through the
// transaction's connection), so a job exists exactly when the change that asked for it committed.
import { createHash } from "node:crypto";

import type { Prisma } from "@prisma/client";
import { PgBoss, type Job } from "pg-boss";

import { databaseUrl } from "~/db.server";

export const QUEUES = {
  orderRefresh: "order-refresh",
  backfillStart: "backfill-start",
  backfillImport: "backfill-import",
  clvRefresh: "clv-refresh",
  clvSweep: "clv-sweep",
  clvNightly: "clv-nightly",
  loyaltySweep: "loyalty-sweep",
  loyaltyDaily: "loyalty-daily",
  loyaltyTiers: "loyalty-tiers",
  loyaltyMetafields: "loyalty-metafields",
  loyaltyResults: "loyalty-results",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

declare global {
  var perennialJobQueue: Promise<PgBoss> | undefined;
}

async function startQueue(): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: await databaseUrl(), max: 2, schema: "pgboss" });
  boss.on("error", (error) => console.error("[jobs]", error));
  await boss.start();
  for (const name of Object.values(QUEUES)) {
    // "stately": at most one queued and one running job per singleton key, so refresh requests
    // for a shop that already has one waiting collapse into it.
    const policy = name === QUEUES.clvRefresh || name === QUEUES.loyaltyResults ? "stately" : "standard";
    await boss.createQueue(name, { retryLimit: 8, retryDelay: 30, retryBackoff: true, policy });
  }
  return boss;
}

export function jobQueue(): Promise<PgBoss> {
  globalThis.perennialJobQueue ??= startQueue().catch((error) => {
    globalThis.perennialJobQueue = undefined;
    throw error;
  });
  return globalThis.perennialJobQueue;
}

export async function stopJobQueue(): Promise<void> {
  const boss = await globalThis.perennialJobQueue?.catch(() => undefined);
  globalThis.perennialJobQueue = undefined;
  await boss?.stop({ graceful: false });
}

// pg-boss ids are UUIDs; one derived from a key makes a second enqueue of the same work a no-op.
export function jobIdFor(key: string): string {
  const hex = createHash("sha256").update(key).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// On the embedded database the queue must be started before the transaction that enqueues:
// while a transaction is open, PGlite's one session serves no other connection, and starting
// pg-boss uses its own. `enqueue` refuses to start it mid-transaction rather than hang.
export async function enqueue(
  tx: Prisma.TransactionClient,
  queue: QueueName,
  data: object,
  options: { key?: string; startAfterSeconds?: number } = {},
): Promise<void> {
  if (!globalThis.perennialJobQueue) {
    throw new Error("Start the job queue (await jobQueue()) before the transaction that enqueues.");
  }
  const boss = await globalThis.perennialJobQueue;
  await boss.send(queue, data, {
    ...(options.key ? { id: jobIdFor(`${queue}:${options.key}`) } : {}),
    ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
    db: {
      executeSql: async (text: string, values: unknown[] = []) => ({
        rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values),
      }),
    },
  });
}

export type JobHandler<Data> = (data: Data) => Promise<void>;

export async function startWorker<Data extends object | undefined>(
  queue: QueueName,
  handler: JobHandler<Data>,
): Promise<void> {
  const boss = await jobQueue();
  await boss.work<Data>(queue, { pollingIntervalSeconds: 1 }, async (jobs: Job<Data>[]) => {
    for (const job of jobs) await handler(job.data);
  });
}
