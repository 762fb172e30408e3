// Everything the home page shows, from one read of the shop with its stored insight and one of
// the sync status: the headline figures and their changes, the CLV card and the charts. Nothing
// here counts orders: the figures and their previous period were stored by the last analysis.
import { figureChange, type FigureChange } from "~/core/metrics/previous-period";
import { clvSummaryOf, type ClvSummary } from "~/insight/clv-summary.server";
import { homeInsightOf, type HomeInsightData } from "~/insight/shop-insight.server";
import { memberRepeatRates, type MemberRepeatRates } from "~/loyalty/results.server";
import { findShopWithInsight, shopOverviewOf, type ShopOverviewResult } from "~/insight/shop-overview.server";
import { loadSyncStatus, type SyncStatus } from "~/insight/sync-status.server";

/** A figure's change and the instant it is measured from. */
export interface HeadlineChange extends FigureChange {
  since: string;
}

/** The change of each headline figure that has one; null where the stored insight has none. */
export interface HeadlineChanges {
  customers: HeadlineChange | null;
  repeatPurchaseRate: HeadlineChange | null;
  averageNetRevenuePerCustomer: HeadlineChange | null;
  averageHistoricalClv: HeadlineChange | null;
  averagePredictedClv: HeadlineChange | null;
  atRiskCustomers: HeadlineChange | null;
}

export interface HomeData {
  overview: ShopOverviewResult | null;
  sync: SyncStatus;
  clv: ClvSummary | null;
  changes: HeadlineChanges;
  insight: HomeInsightData;
  /** Null until the shop's loyalty results have been worked out (the Loyalty results page). */
  loyalty: MemberRepeatRates | null;
}

const NO_CHANGES: HeadlineChanges = {
  customers: null,
  repeatPurchaseRate: null,
  averageNetRevenuePerCustomer: null,
  averageHistoricalClv: null,
  averagePredictedClv: null,
  atRiskCustomers: null,
};

/**
 * Each figure as shown against the same figure a period earlier. Only figures counted by the
 * analysis have one (a shop counted live for this request has no stored past), and orders and
 * average order value have none: the analysis reads customers' orders, not guests'.
 */
export function headlineChanges(
  overview: ShopOverviewResult | null,
  clv: ClvSummary | null,
  insight: HomeInsightData,
): HeadlineChanges {
  if (insight.state !== "ready" || !overview?.countedAt) return NO_CHANGES;
  const previous = insight.previousPeriod;
  const change = (current: number | null | undefined, before: number | null | undefined, since: string) => {
    const measured = figureChange(current, before);
    return measured && { ...measured, since };
  };
  if (!previous) {
    // An insight stored before the previous period was: the repeat-purchase rate still has its trend.
    const monthEnd = insight.repeatRateMonthEnd;
    return {
      ...NO_CHANGES,
      repeatPurchaseRate: monthEnd
        ? change(overview.repeatPurchaseRate, monthEnd.repeatPurchaseRate, monthEnd.asOf)
        : null,
    };
  }
  const since = previous.asOf;
  return {
    customers: change(overview.customers, previous.customers, since),
    repeatPurchaseRate: change(overview.repeatPurchaseRate, previous.repeatPurchaseRate, since),
    averageNetRevenuePerCustomer: change(overview.averageNetRevenuePerCustomer, previous.averageHistoricalClv, since),
    averageHistoricalClv: change(clv?.averageHistoricalClv, previous.averageHistoricalClv, since),
    averagePredictedClv: change(clv?.averagePredictedClv, previous.averagePredictedClv, since),
    atRiskCustomers: change(clv?.atRisk?.customers, previous.atRisk?.customers, since),
  };
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
