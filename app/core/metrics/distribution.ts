// Distributions a merchant reads as bar charts: days from first to second order, predicted CLV,
// and each customer's CLV percentile. Built to run over a million customers: values are copied
// once into a typed array and sorted natively (no comparator), and nothing is allocated per
// customer.
import { dayNumber, epochMs, offsetMs, type ShopTimeOptions } from "./calendar";
import { checkCustomerColumns, type CustomerRollupColumns } from "./customer-metrics";

/**
 * Each customer's CLV percentile, 0-100: the share of the *other* customers with a prediction
 * whose predicted CLV is strictly lower, times 100. So the most valuable customer is at 100, the
 * least at 0, equal values always share a percentile, and "90th percentile" reads "worth more
 * than 90% of your other customers". A lone customer is at 100. Customers without a prediction
 * (NaN) get NaN and are not counted. Sorts once, then one binary search per customer.
 */
export function clvPercentiles(values: ArrayLike<number>, into?: Float64Array): Float64Array {
  const count = values.length;
  if (into && into.length < count) throw new RangeError("into must hold at least one entry per customer");
  const out = into ?? new Float64Array(count);
  const sorted = sortedFiniteValues(values);
  const others = sorted.length - 1;
  for (let i = 0; i < count; i++) {
    const value = values[i];
    if (!Number.isFinite(value)) {
      out[i] = NaN;
      continue;
    }
    out[i] = others > 0 ? (100 * lowerBound(sorted, value)) / others : 100;
  }
  return out;
}

export interface HistogramBin {
  /** Inclusive lower edge. */
  from: number;
  /** Exclusive upper edge for value bins, inclusive for day bins; null for the open last bin. */
  to: number | null;
  label: string;
  customers: number;
  /** customers / all customers counted. */
  share: number;
}

/** Day ranges a merchant reads at a glance: a week, two weeks, a month, two, three, six, a year. */
export const DAYS_TO_SECOND_ORDER_BINS: readonly { from: number; to: number | null }[] = [
  { from: 0, to: 7 },
  { from: 8, to: 14 },
  { from: 15, to: 30 },
  { from: 31, to: 60 },
  { from: 61, to: 90 },
  { from: 91, to: 180 },
  { from: 181, to: 365 },
  { from: 366, to: null },
];

export interface DaysToSecondOrder {
  /** Customers with a second order by asOf: the only ones in the histogram. */
  customers: number;
  /** Median calendar days from first to second order; null without repeat customers. */
  medianDays: number | null;
  bins: HistogramBin[];
}

/**
 * How long repeat customers took to place their second order, in calendar days (shop time zone;
 * 0 = the same day). Customers who have not returned yet are not in it: the chart answers "when
 * they come back, how soon?", and the return-within-N-days shares answer "how many do".
 */
export function daysToSecondOrder(
  customers: Pick<CustomerRollupColumns, "firstOrderAt" | "secondOrderAt">,
  asOf: Date,
  options: ShopTimeOptions = {},
): DaysToSecondOrder {
  const count = checkCustomerColumns({ ...customers });
  const asOfMs = epochMs(asOf, "asOf");
  const offset = offsetMs(options);
  const { firstOrderAt, secondOrderAt } = customers;
  // Days are whole numbers, so a count per day gives both the bins and the exact median.
  let perDay = new Float64Array(512);
  let repeatCustomers = 0;
  for (let i = 0; i < count; i++) {
    const second = secondOrderAt[i];
    if (!(second <= asOfMs)) continue;
    const days = dayNumber(second, offset) - dayNumber(firstOrderAt[i], offset);
    if (!(days >= 0)) continue; // a second order without (or before) a first: a bad rollup
    if (days >= perDay.length) {
      const grown = new Float64Array(Math.max(days + 1, perDay.length * 2));
      grown.set(perDay);
      perDay = grown;
    }
    perDay[days]++;
    repeatCustomers++;
  }
  const bins = DAYS_TO_SECOND_ORDER_BINS.map(({ from, to }) => {
    let inBin = 0;
    const end = to === null ? perDay.length - 1 : Math.min(to, perDay.length - 1);
    for (let day = from; day <= end; day++) inBin += perDay[day];
    return {
      from,
      to,
      label: to === null ? `Over ${from - 1} days` : `${from}–${to} days`,
      customers: inBin,
      share: repeatCustomers > 0 ? inBin / repeatCustomers : 0,
    };
  });
  return { customers: repeatCustomers, medianDays: medianOfCounts(perDay, repeatCustomers), bins };
}

function medianOfCounts(perValue: Float64Array, total: number): number | null {
  if (total === 0) return null;
  // The values at 0-based ranks floor((total - 1) / 2) and floor(total / 2), averaged.
  const lowRank = Math.floor((total - 1) / 2);
  const highRank = Math.floor(total / 2);
  let low = -1;
  let seen = 0;
  for (let value = 0; value < perValue.length; value++) {
    seen += perValue[value];
    if (low < 0 && seen > lowRank) low = value;
    if (seen > highRank) return (low + value) / 2;
  }
  return null; // unreachable when total matches the counts
}

export interface ClvDistribution {
  /** Customers with a prediction (finite value). */
  customers: number;
  total: number;
  mean: number | null;
  median: number | null;
  /**
   * Round-number bins of equal width from 0 (or below, if any value is negative) up past the
   * 99th percentile; a last open bin holds the few largest customers, when there are any above.
   */
  bins: HistogramBin[];
}

export interface ClvDistributionOptions {
  /** Roughly how many equal bins to aim for; the round step can give a few more or fewer. 10 by default. */
  targetBins?: number;
  /** Formats bin edges in labels, e.g. as money; plain numbers by default. */
  formatValue?: (value: number) => string;
}

/**
 * The histogram of predicted CLV (or any per-customer money figure). Customers without a
 * prediction (NaN) are left out. Bin edges are round numbers (1, 2, 2.5 or 5 times a power of
 * ten) chosen from the data, and the range stops at the 99th percentile: otherwise a handful of
 * very large customers would stretch the scale until nearly everyone sat in the first bar.
 */
export function clvDistribution(values: ArrayLike<number>, options: ClvDistributionOptions = {}): ClvDistribution {
  const targetBins = options.targetBins ?? 10;
  if (!(Number.isInteger(targetBins) && targetBins >= 1))
    throw new RangeError("targetBins must be a whole number >= 1");
  const format = options.formatValue ?? formatEdge;
  const sorted = sortedFiniteValues(values);
  const count = sorted.length;
  if (count === 0) return { customers: 0, total: 0, mean: null, median: null, bins: [] };
  let total = 0;
  for (let i = 0; i < count; i++) total += sorted[i];
  const median = count % 2 === 1 ? sorted[(count - 1) / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;

  const smallest = sorted[0];
  const largest = sorted[count - 1];
  const upper = sorted[Math.min(count - 1, Math.ceil(0.99 * count) - 1)];
  const roughStep = (Math.max(upper, 0) - Math.min(smallest, 0)) / targetBins;
  const step = niceStep(roughStep > 0 ? roughStep : Math.max(Math.abs(largest), 1) / targetBins);
  const lower = Math.min(0, Math.floor(smallest / step) * step);
  // Enough equal bins to hold everything up to the 99th percentile (at least one).
  let equalBins = Math.max(1, Math.floor((upper - lower) / step) + 1);
  // Division can land a hair below a whole number (0.3 / 0.05); the rounded edges decide.
  while (roundEdge(lower + equalBins * step, step) <= upper) equalBins++;
  const openFrom = roundEdge(lower + equalBins * step, step);
  const hasOpenBin = largest >= openFrom;

  const bins: HistogramBin[] = [];
  let index = 0;
  for (let b = 0; b < equalBins; b++) {
    const from = roundEdge(lower + b * step, step);
    const to = roundEdge(lower + (b + 1) * step, step);
    const start = index;
    while (index < count && sorted[index] < to) index++;
    bins.push({
      from,
      to,
      label: `${format(from)}–${format(to)}`,
      customers: index - start,
      share: (index - start) / count,
    });
  }
  if (hasOpenBin) {
    const from = openFrom;
    bins.push({
      from,
      to: null,
      label: `${format(from)} and more`,
      customers: count - index,
      share: (count - index) / count,
    });
  }
  return { customers: count, total, mean: total / count, median, bins };
}

/** The smallest of 1, 2, 2.5, 5 (times a power of ten) at least `rough`. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) throw new RangeError("A bin step must be a positive number");
  const magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
  for (const multiple of [1, 2, 2.5, 5, 10]) {
    const step = multiple * magnitude;
    if (step >= rough * (1 - 1e-12)) return step;
  }
  return 10 * magnitude;
}

// Repeated addition of steps like 0.1 drifts (0.30000000000000004); edges are multiples of the step.
function roundEdge(edge: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(edge.toFixed(Math.min(decimals, 20)));
}

function formatEdge(value: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/** Finite values copied into a typed array and sorted ascending (native numeric sort). */
export function sortedFiniteValues(values: ArrayLike<number>): Float64Array {
  let finite = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) finite++;
  const sorted = new Float64Array(finite);
  let j = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (Number.isFinite(value)) sorted[j++] = value;
  }
  return sorted.sort();
}

/** How many entries of an ascending array are strictly below `value`. */
export function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
