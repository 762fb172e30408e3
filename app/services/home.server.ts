import { loadShopOverview } from "~/services/shop-overview.server";
import { loadSyncStatus } from "~/services/sync-status.server";

export async function loadHome(shopDomain: string) {
  const [overview, sync] = await Promise.all([loadShopOverview(shopDomain), loadSyncStatus(shopDomain)]);
  return { overview, sync };
}
