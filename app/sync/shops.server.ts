// The Shop row: created on install (afterAuth), marked inactive on uninstall.
import prisma from "~/db.server";
import { requestBackfill } from "~/sync/backfill-request.server";
import { jobQueue } from "~/platform/jobs.server";

export async function ensureShop(shopDomain: string) {
  return prisma.shop.upsert({
    where: { shopDomain },
    create: { shopDomain },
    update: { isActive: true, uninstalledAt: null },
  });
}

// afterAuth: the shop row, and the import of its order history unless one is under way or done.
// A reinstall (the shop row kept, marked uninstalled, because shop/redact has not come yet) imports
// the history again: no webhook reached us while the app was uninstalled. Orders already held are
// applied as stale and change nothing, so the import brings exactly what the gap lacks.
export async function onShopAuthenticated(shopDomain: string): Promise<void> {
  await jobQueue();
  await prisma.$transaction(async (tx) => {
    const before = await tx.shop.findUnique({ where: { shopDomain }, select: { isActive: true } });
    const shop = await tx.shop.upsert({
      where: { shopDomain },
      create: { shopDomain },
      update: { isActive: true, uninstalledAt: null },
    });
    await requestBackfill(tx, shop.id, shopDomain, { reinstall: before?.isActive === false });
  });
}

export async function findShop(shopDomain: string) {
  return prisma.shop.findUnique({ where: { shopDomain } });
}
