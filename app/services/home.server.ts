import { loadClvSummary } from "~/services/clv-summary.server";
import { loadShopOverview } from "~/services/shop-overview.server";
import { loadSyncStatus } from "~/services/sync-status.server";

export async function loadHome(shopDomain: string) {
  const [overview, sync, clv] = await Promise.all([
    loadShopOverview(shopDomain),
    loadSyncStatus(shopDomain),
    loadClvSummary(shopDomain),
  ]);
  return { overview, sync, clv };
}
