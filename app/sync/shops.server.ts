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
export async function onShopAuthenticated(shopDomain: string): Promise<void> {
  await jobQueue();
  await prisma.$transaction(async (tx) => {
    const shop = await tx.shop.upsert({
      where: { shopDomain },
      create: { shopDomain },
      update: { isActive: true, uninstalledAt: null },
    });
    await requestBackfill(tx, shop.id, shopDomain);
  });
}

export async function findShop(shopDomain: string) {
  return prisma.shop.findUnique({ where: { shopDomain } });
}
