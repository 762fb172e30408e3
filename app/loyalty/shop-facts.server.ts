// The two facts about a shop that every order webhook needs: its row id, and whether its loyalty
// program is on (then the order's points change in the order's transaction, decision 008).
import prisma from "~/db.server";

// Shop ids change only on install and shop/redact, and a program is switched on rarely, so each
// instance keeps them a minute rather than asking the database on every webhook. An order synced
// while this is stale still earns: the loyalty sweep job catches it up.
const SHOP_TTL_MS = 60_000;
export interface ShopFacts {
  id: string;
  loyalty: boolean;
}
const shops = new Map<string, ShopFacts & { until: number }>();

export async function findShopFacts(shopDomain: string): Promise<ShopFacts | null> {
  const cached = shops.get(shopDomain);
  if (cached && cached.until > Date.now()) return cached;
  const [row] = await prisma.$queryRaw<ShopFacts[]>`
    SELECT s."id", coalesce(p."enabled", false) AS "loyalty"
      FROM "Shop" AS s LEFT JOIN "LoyaltyProgram" AS p ON p."shopId" = s."id"
     WHERE s."shopDomain" = ${shopDomain}`;
  if (row) shops.set(shopDomain, { ...row, until: Date.now() + SHOP_TTL_MS });
  else shops.delete(shopDomain);
  return row ?? null;
}

/** After a program change in this instance, its webhooks see it at once. */
export function forgetShop(shopDomain: string): void {
  shops.delete(shopDomain);
}
