// How well the purchase model predicted a period it did not see: customers grouped by their
// repeat orders in the calibration period (0, 1, ..., 6, 7+), predicted against actual repeat
// orders in the holdout period, as in the CLV literature's conditional-expectation check.
import { checkCustomerColumns } from "./customer-metrics";
import { countOf, formatCount } from "./explain";

export interface BacktestColumns {
  /** Repeat orders in the calibration period (the models' x). */
  calibrationRepeatOrders: ArrayLike<number>;
  /** The model's expected repeat orders in the holdout period. */
  predictedHoldoutRepeatOrders: ArrayLike<number>;
  /** Repeat orders the customer actually placed in the holdout period. */
  actualHoldoutRepeatOrders: ArrayLike<number>;
}

export interface BacktestBin {
  /** "0", "1", ... "6", "7+". */
  label: string;
  /** Calibration repeat orders this bin holds: from..to, to null for the open last bin. */
  from: number;
  to: number | null;
  customers: number;
  predicted: number;
  actual: number;
  /** Per customer, for the usual chart of predicted against actual by calibration frequency. */
  predictedPerCustomer: number | null;
  actualPerCustomer: number | null;
  /** |predicted - actual| / actual; null when nobody in the bin ordered (actual = 0). */
  absolutePercentageError: number | null;
}

export interface BacktestComparison {
  bins: BacktestBin[];
  customers: number;
  predicted: number;
  actual: number;
  /** (actual - predicted) / predicted: +0.14 means customers placed 14% more than predicted. */
  actualVersusPredicted: number | null;
  /**
   * The mean of the bins' absolute percentage errors, over bins with customers and actual orders
   * (each bin weighs the same, so the model is judged on light and heavy buyers alike).
   */
  meanAbsolutePercentageError: number | null;
  /** Mean over customers of |predicted - actual|, in orders. */
  meanAbsoluteErrorPerCustomer: number | null;
  /** One sentence for the merchant. */
  summary: string;
}

/** Bins 0..6 and 7+: beyond 7 the bins hold too few customers to say anything. */
export const BACKTEST_OPEN_BIN_FROM = 7;

export function backtestComparison(columns: BacktestColumns, options: { holdoutDays: number }): BacktestComparison {
  const count = checkCustomerColumns({ ...columns });
  if (!(options.holdoutDays > 0)) throw new RangeError("holdoutDays must be > 0");
  const binCount = BACKTEST_OPEN_BIN_FROM + 1;
  const customers = new Float64Array(binCount);
  const predicted = new Float64Array(binCount);
  const actual = new Float64Array(binCount);
  let absoluteError = 0;
  const { calibrationRepeatOrders, predictedHoldoutRepeatOrders, actualHoldoutRepeatOrders } = columns;
  for (let i = 0; i < count; i++) {
    const x = calibrationRepeatOrders[i];
    const expected = predictedHoldoutRepeatOrders[i];
    const observed = actualHoldoutRepeatOrders[i];
    if (!(x >= 0) || !Number.isFinite(expected) || !Number.isFinite(observed)) {
      throw new RangeError(`Customer ${i} has no valid calibration orders, prediction or actual orders`);
    }
    const bin = x >= BACKTEST_OPEN_BIN_FROM ? BACKTEST_OPEN_BIN_FROM : Math.floor(x);
    customers[bin]++;
    predicted[bin] += expected;
    actual[bin] += observed;
    absoluteError += Math.abs(expected - observed);
  }
  const bins: BacktestBin[] = [];
  let errorSum = 0;
  let errorBins = 0;
  for (let b = 0; b < binCount; b++) {
    const open = b === BACKTEST_OPEN_BIN_FROM;
    const absolutePercentageError = actual[b] > 0 ? Math.abs(predicted[b] - actual[b]) / actual[b] : null;
    if (absolutePercentageError !== null) {
      errorSum += absolutePercentageError;
      errorBins++;
    }
    bins.push({
      label: open ? `${b}+` : `${b}`,
      from: b,
      to: open ? null : b,
      customers: customers[b],
      predicted: predicted[b],
      actual: actual[b],
      predictedPerCustomer: customers[b] > 0 ? predicted[b] / customers[b] : null,
      actualPerCustomer: customers[b] > 0 ? actual[b] / customers[b] : null,
      absolutePercentageError,
    });
  }
  const totalPredicted = predicted.reduce((sum, value) => sum + value, 0);
  const totalActual = actual.reduce((sum, value) => sum + value, 0);
  const actualVersusPredicted = totalPredicted > 0 ? (totalActual - totalPredicted) / totalPredicted : null;
  return {
    bins,
    customers: count,
    predicted: totalPredicted,
    actual: totalActual,
    actualVersusPredicted,
    meanAbsolutePercentageError: errorBins > 0 ? errorSum / errorBins : null,
    meanAbsoluteErrorPerCustomer: count > 0 ? absoluteError / count : null,
    summary: backtestSummary(totalPredicted, totalActual, options.holdoutDays),
  };
}

/** "39 weeks" when the holdout is whole weeks, as the CLV literature reports it; days otherwise. */
function describePeriod(days: number): string {
  return days % 7 === 0 ? countOf(days / 7, "week", "weeks") : countOf(days, "day", "days");
}

/**
 * e.g. "The model predicted 1,653 repeat orders over the 39 weeks after the calibration period;
 * customers placed 1,882 (14% more than predicted)."
 */
export function backtestSummary(predicted: number, actual: number, holdoutDays: number): string {
  const period = describePeriod(holdoutDays);
  const predictedText = countOf(predicted, "repeat order", "repeat orders");
  let comparison: string;
  if (Math.round(predicted) === 0) {
    comparison = actual > 0 ? "none were predicted" : "as predicted";
  } else {
    const percent = Math.round((Math.abs(actual - predicted) / predicted) * 100);
    comparison =
      percent === 0
        ? "about as many as predicted"
        : `${formatCount(percent)}% ${actual > predicted ? "more" : "fewer"} than predicted`;
  }
  return `The model predicted ${predictedText} over the ${period} after the calibration period; customers placed ${formatCount(actual)} (${comparison}).`;
}
