import { clvSummaryOf } from "~/services/clv-summary.server";
import { findShopWithInsight, shopOverviewOf } from "~/services/shop-overview.server";
import { loadSyncStatus } from "~/services/sync-status.server";

export async function loadHome(shopDomain: string) {
  // The shop and its stored insight are read once: the headline figures and the CLV card both
  // come from that insight.
  const [shop, sync] = await Promise.all([findShopWithInsight(shopDomain), loadSyncStatus(shopDomain)]);
  return {
    overview: shop && (await shopOverviewOf(shop)),
    sync,
    clv: clvSummaryOf(shop?.insight ?? null),
  };
}
