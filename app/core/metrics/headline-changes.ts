// The home's headline figures against the same figures a period earlier, as the last analysis
// stored them (the previous period, or else the repeat-purchase rate's last month end).
import { figureChange, type FigureChange, type HeadlineFigures } from "./previous-period";

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

/** The figures counted now: `countedAt` is null when counted live for this request (no stored past). */
export interface CountedOverview {
  countedAt: string | null;
  customers: number;
  repeatPurchaseRate: number | null;
  averageNetRevenuePerCustomer: number | null;
}

export interface ClvFigures {
  averageHistoricalClv: number | null;
  averagePredictedClv: number | null;
  atRisk: { customers: number } | null;
}

/** What the stored insight holds of the past. */
export type InsightPast =
  | { state: "empty" | "outdated" }
  | {
      state: "ready";
      previousPeriod: HeadlineFigures | null;
      repeatRateMonthEnd: { asOf: string; repeatPurchaseRate: number } | null;
    };

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
  overview: CountedOverview | null,
  clv: ClvFigures | null,
  insight: InsightPast,
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
