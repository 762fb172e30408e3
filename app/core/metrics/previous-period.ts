// The home's headline figures as they stood a period earlier, so each can show its change. The
// CLV refresh computes them from the orders it has already loaded (never a request), and stores
// them in the shop's insight beside the current figures.
//
// "A period earlier" is PREVIOUS_PERIOD_DAYS before the analysis's asOf, with every figure
// defined as the refresh defines the current one, over the orders placed by then. The predicted
// figures apply the model fitted now to each customer's history as it was then: the change
// shows what customers did (bought, came back, went quiet), not a refit's noise. Pure: no I/O.
import { forecastCustomers, type ClvModel } from "~/core/clv";
import { summarizeOrderColumns, type OrderColumnsByCustomer } from "~/core/clv/columns";

import { MS_PER_DAY, epochMs } from "./calendar";
import { customerRollupsFromOrders } from "./customer-metrics";
import { clvPercentiles } from "./distribution";
import { PREDICTION_HORIZON_DAYS, predictedTwelveMonthClvColumns, type ClvSettings } from "./predicted-clv";
import { repeatPurchaseRate } from "./retention";
import { atRiskBy, type AtRiskThresholds } from "./at-risk";

/** The headline figures' comparison point: this many days before the analysis. */
export const PREVIOUS_PERIOD_DAYS = 30;

export interface HeadlineFigures {
  /** The instant the figures are as of, ISO 8601. */
  asOf: string;
  /** Customers with a counted order by then, and those with two or more. */
  customers: number;
  repeatCustomers: number;
  repeatPurchaseRate: number | null;
  /** Net revenue to date per customer with an order (the historical CLV); null without any. */
  averageHistoricalClv: number | null;
  /** Mean predicted 12-month CLV of the customers with a prediction; null without a model. */
  averagePredictedClv: number | null;
  /** Customers at risk and their predicted 12-month CLV; null without a model. */
  atRisk: { customers: number; predictedClv: number } | null;
}

export interface HeadlineOptions {
  /** The model fitted by the refresh; null when the shop had too little data. */
  model: ClvModel | null;
  settings: ClvSettings;
  atRisk: AtRiskThresholds;
}

/**
 * The headline figures as of `asOf`, from the shop's counted orders sorted by customer and time
 * (the refresh's columns; orders after `asOf` are ignored). Matches the refresh's own figures
 * when `asOf` is the analysis's: a customer is predicted when their first order is by `asOf`,
 * valued at the spend model's order value or else their own average order, and ranked among
 * the customers predicted at the same time.
 */
export function headlineFiguresAsOf(
  orders: OrderColumnsByCustomer,
  customerCount: number,
  asOf: Date,
  options: HeadlineOptions,
): HeadlineFigures {
  const asOfMs = epochMs(asOf, "asOf");
  const columns = {
    customer: orders.customer.subarray(0, orders.length),
    processedAt: orders.processedAt.subarray(0, orders.length),
    netRevenue: orders.netRevenue.subarray(0, orders.length),
  };
  const rollups = customerRollupsFromOrders(columns, customerCount, asOf);
  const rate = repeatPurchaseRate(rollups, asOf);
  let buyers = 0;
  let historical = 0;
  for (let i = 0; i < customerCount; i++) {
    if (rollups.ordersCount[i] > 0) {
      buyers++;
      historical += rollups.netRevenue[i];
    }
  }
  const figures: HeadlineFigures = {
    asOf: asOf.toISOString(),
    customers: rate.customers,
    repeatCustomers: rate.repeatCustomers,
    repeatPurchaseRate: rate.repeatPurchaseRate,
    averageHistoricalClv: buyers > 0 ? historical / buyers : null,
    averagePredictedClv: null,
    atRisk: null,
  };
  const { model } = options;
  if (!model) return figures;

  // Only orders up to asOf: the summaries would otherwise count later orders as the holdout's.
  const summaries = summarizeOrderColumns(orders, customerCount, { calibrationEnd: asOfMs, timeUnit: model.timeUnit });
  const forecast = forecastCustomers(model, summaries, PREDICTION_HORIZON_DAYS);
  const ownAverage = new Float64Array(customerCount);
  for (let i = 0; i < customerCount; i++) {
    ownAverage[i] = rollups.ordersCount[i] > 0 ? rollups.netRevenue[i] / rollups.ordersCount[i] : NaN;
  }
  const predicted = predictedTwelveMonthClvColumns(forecast, options.settings, ownAverage);
  for (let i = 0; i < customerCount; i++) if (!summaries.inCalibration[i]) predicted[i] = NaN;
  const percentiles = clvPercentiles(predicted);
  let predictedCount = 0;
  let predictedSum = 0;
  const atRisk = { customers: 0, predictedClv: 0 };
  for (let i = 0; i < customerCount; i++) {
    const value = predicted[i];
    if (!Number.isFinite(value)) continue;
    predictedCount++;
    predictedSum += value;
    if (atRiskBy(options.atRisk, { clvPercentile: percentiles[i], probabilityAlive: forecast.probabilityAlive[i] })) {
      atRisk.customers++;
      atRisk.predictedClv += value;
    }
  }
  figures.averagePredictedClv = predictedCount > 0 ? predictedSum / predictedCount : null;
  figures.atRisk = atRisk;
  return figures;
}

/** The headline figures PREVIOUS_PERIOD_DAYS (or `days`) before the analysis's `asOf`. */
export function previousPeriodFigures(
  orders: OrderColumnsByCustomer,
  customerCount: number,
  asOf: Date,
  options: HeadlineOptions & { days?: number },
): HeadlineFigures & { days: number } {
  const days = options.days ?? PREVIOUS_PERIOD_DAYS;
  if (!(Number.isInteger(days) && days > 0)) throw new RangeError("days must be a whole number > 0");
  const then = new Date(epochMs(asOf, "asOf") - days * MS_PER_DAY);
  return { days, ...headlineFiguresAsOf(orders, customerCount, then, options) };
}

/** A figure now and a period earlier. */
export interface FigureChange {
  current: number;
  previous: number;
  /** current - previous. */
  difference: number;
  /** difference / previous; null when previous is 0. */
  relative: number | null;
}

/** The change of one figure; null when either value is missing. */
export function figureChange(
  current: number | null | undefined,
  previous: number | null | undefined,
): FigureChange | null {
  if (current === null || current === undefined || previous === null || previous === undefined) return null;
  if (!Number.isFinite(current) || !Number.isFinite(previous)) return null;
  return {
    current,
    previous,
    difference: current - previous,
    relative: previous !== 0 ? (current - previous) / previous : null,
  };
}
