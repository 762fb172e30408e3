// Everything the home page shows, from one read of the shop with its stored insight and one of
// the sync status: the headline figures and their changes, the CLV card and the charts. Nothing
// here counts orders: the figures and their previous period were stored by the last analysis.
import { headlineChanges, type HeadlineChanges } from "~/core/metrics/headline-changes";

export type { HeadlineChange } from "~/core/metrics/headline-changes";
import { clvSummaryOf, type ClvSummary } from "~/insight/clv-summary.server";
import { homeInsightOf, type HomeInsightData } from "~/insight/shop-insight.server";
import { memberRepeatRates, type MemberRepeatRates } from "~/loyalty/results.server";
import { findShopWithInsight, shopOverviewOf, type ShopOverviewResult } from "~/insight/shop-overview.server";
import { loadSyncStatus, type SyncStatus } from "~/insight/sync-status.server";

export interface HomeData {
  overview: ShopOverviewResult | null;
  sync: SyncStatus;
  clv: ClvSummary | null;
  changes: HeadlineChanges;
  insight: HomeInsightData;
  /** Null until the shop's loyalty results have been worked out (the Loyalty results page). */
  loyalty: MemberRepeatRates | null;
}

export async function loadHome(shopDomain: string): Promise<HomeData> {
  const [shop, sync] = await Promise.all([findShopWithInsight(shopDomain), loadSyncStatus(shopDomain)]);
  const overview = shop && (await shopOverviewOf(shop));
  const insight = homeInsightOf(shop?.insight ?? null);
  // An insight of an older shape is not read further: the page asks for a new analysis.
  const clv = insight.state === "ready" ? clvSummaryOf(shop!.insight) : null;
  const loyalty = shop ? await memberRepeatRates(shop.id) : null;
  return { overview, sync, clv, changes: headlineChanges(overview, clv, insight), insight, loyalty };
}
