// When the CLV refresh runs: on demand (the admin), every night, and after the shop's orders
// changed, debounced by a sweep every ten minutes that refreshes only shops with orders newer
// than their last refresh (no per-webhook cost on the ingest path).
import prisma from "~/db.server";
import { refreshClv } from "~/insight/clv-refresh.server";
import { jobQueue, QUEUES, startWorker } from "~/platform/jobs.server";

export async function requestClvRefresh(shopDomain: string, trigger: string): Promise<void> {
  const boss = await jobQueue();
  // One waiting refresh per shop: a second request while one is queued is dropped.
  await boss.send(QUEUES.clvRefresh, { shop: shopDomain, trigger }, { singletonKey: shopDomain });
}

// Shops whose counted orders changed since their last completed (or insufficient) refresh.
export async function shopsNeedingRefresh(): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ shopDomain: string }[]>`
    SELECT s."shopDomain" FROM "Shop" s
     WHERE s."isActive"
       AND EXISTS (SELECT 1 FROM "Order" o WHERE o."shopId" = s."id"
                     AND o."updatedAt" > coalesce((SELECT max(r."startedAt") FROM "ClvRun" r
                                                    WHERE r."shopId" = s."id" AND r."status" <> 'failed'),
                                                   'epoch'::timestamp))`;
  return rows.map((row) => row.shopDomain);
}

export async function sweepChangedShops(): Promise<void> {
  for (const shop of await shopsNeedingRefresh()) await requestClvRefresh(shop, "orders changed");
}

export async function refreshAllShops(): Promise<void> {
  const shops = await prisma.shop.findMany({ where: { isActive: true }, select: { shopDomain: true } });
  for (const { shopDomain } of shops) await requestClvRefresh(shopDomain, "nightly");
}

export async function startClvWorkers(): Promise<void> {
  const boss = await jobQueue();
  await startWorker(QUEUES.clvRefresh, async ({ shop, trigger }: { shop: string; trigger: string }) => {
    const result = await refreshClv(shop, { trigger });
    if (result.status === "failed") console.error(`[clv] refresh of ${shop} failed: ${result.message}`);
  });
  await startWorker(QUEUES.clvSweep, () => sweepChangedShops());
  await startWorker(QUEUES.clvNightly, () => refreshAllShops());
  await boss.schedule(QUEUES.clvSweep, "*/10 * * * *");
  await boss.schedule(QUEUES.clvNightly, "30 3 * * *");
}
