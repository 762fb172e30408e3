// The Shop row: created on install (afterAuth), marked inactive on uninstall.
import prisma from "~/db.server";

export async function ensureShop(shopDomain: string) {
  return prisma.shop.upsert({
    where: { shopDomain },
    create: { shopDomain },
    update: { isActive: true, uninstalledAt: null },
  });
}

export async function findShop(shopDomain: string) {
  return prisma.shop.findUnique({ where: { shopDomain } });
}

// app/uninstalled: keep the shop's data (shop/redact deletes it 48 hours later), forget its tokens.
export async function markShopUninstalled(shopDomain: string): Promise<void> {
  await prisma.$transaction([
    prisma.session.deleteMany({ where: { shop: shopDomain } }),
    prisma.shop.updateMany({
      where: { shopDomain },
      data: { isActive: false, uninstalledAt: new Date() },
    }),
  ]);
}

// app/scopes_update: the stored offline session must carry the scopes now granted.
export async function updateGrantedScopes(shopDomain: string, scopes: string[]): Promise<void> {
  await prisma.session.updateMany({ where: { shop: shopDomain }, data: { scope: scopes.join(",") } });
}
