// How often a shop's customers come back: the repeat purchase rate and its trend, return rates
// within fixed windows, the first-order-month cohort table and the "simple formula" for CLV.
//
// Inputs are columns (typed arrays for big shops) and loops allocate nothing per customer, so a
// million customers take well under a second. A "repeat customer" has placed 2+ counted orders,
// as in the headline figure (shop-overview.ts); a second order on the day of the first counts.
import { dayNumber, epochMs, MS_PER_DAY, monthLabel, monthOfDay, offsetMs, type ShopTimeOptions } from "./calendar";
import {
  checkCustomerColumns,
  checkOrderColumns,
  customerRollupsFromOrders,
  type CustomerRollupColumns,
  type OrderColumns,
} from "./customer-metrics";

type FirstAndSecondOrders = Pick<CustomerRollupColumns, "firstOrderAt" | "secondOrderAt">;

const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export interface RepeatPurchaseRate {
  /** Customers whose first order was placed by then. */
  customers: number;
  /** Those of them with a second order placed by then. */
  repeatCustomers: number;
  /** repeatCustomers / customers; null without customers. */
  repeatPurchaseRate: number | null;
}

/** The repeat purchase rate as of `asOf`: orders after it are not counted. */
export function repeatPurchaseRate(customers: FirstAndSecondOrders, asOf: Date): RepeatPurchaseRate {
  const count = checkCustomerColumns({ ...customers });
  const asOfMs = epochMs(asOf, "asOf");
  const { firstOrderAt, secondOrderAt } = customers;
  let withOrders = 0;
  let repeat = 0;
  for (let i = 0; i < count; i++) {
    if (!(firstOrderAt[i] <= asOfMs)) continue;
    withOrders++;
    if (secondOrderAt[i] <= asOfMs) repeat++;
  }
  return { customers: withOrders, repeatCustomers: repeat, repeatPurchaseRate: share(repeat, withOrders) };
}

export interface RepeatPurchaseRateMonth extends RepeatPurchaseRate {
  /** "2024-03": the figure as of the end of this month (or as of asOf, for asOf's month). */
  month: string;
}

/**
 * The trend of the repeat purchase rate: the same figure as the headline, as it stood at the end
 * of each month, from the month of the shop's first order to asOf's month (whose point is as of
 * asOf, so the last point equals the headline figure). The last `months` points when given.
 *
 * Why this definition rather than the rate of each month's new customers: a merchant reads it as
 * "our repeat purchase rate was 22% in March and is 25% now", and recent months are not dragged
 * down merely because their new customers have not had time to come back yet.
 */
export function repeatPurchaseRateTrend(
  customers: FirstAndSecondOrders,
  asOf: Date,
  options: ShopTimeOptions & { months?: number } = {},
): RepeatPurchaseRateMonth[] {
  const count = checkCustomerColumns({ ...customers });
  const asOfMs = epochMs(asOf, "asOf");
  const offset = offsetMs(options);
  const { firstOrderAt, secondOrderAt } = customers;
  let earliest = Infinity;
  for (let i = 0; i < count; i++) if (firstOrderAt[i] < earliest) earliest = firstOrderAt[i];
  if (!(earliest <= asOfMs)) return [];
  const firstMonth = monthOfDay(dayNumber(earliest, offset));
  const lastMonth = monthOfDay(dayNumber(asOfMs, offset));
  const span = lastMonth - firstMonth + 1;
  const newCustomers = new Float64Array(span);
  const newRepeatCustomers = new Float64Array(span);
  for (let i = 0; i < count; i++) {
    const first = firstOrderAt[i];
    if (!(first <= asOfMs)) continue;
    newCustomers[monthOfDay(dayNumber(first, offset)) - firstMonth]++;
    const second = secondOrderAt[i];
    if (second <= asOfMs) newRepeatCustomers[monthOfDay(dayNumber(second, offset)) - firstMonth]++;
  }
  const points: RepeatPurchaseRateMonth[] = [];
  let customersSoFar = 0;
  let repeatSoFar = 0;
  for (let m = 0; m < span; m++) {
    customersSoFar += newCustomers[m];
    repeatSoFar += newRepeatCustomers[m];
    points.push({
      month: monthLabel(firstMonth + m),
      customers: customersSoFar,
      repeatCustomers: repeatSoFar,
      repeatPurchaseRate: share(repeatSoFar, customersSoFar),
    });
  }
  return options.months === undefined ? points : points.slice(Math.max(0, points.length - options.months));
}

export const RETURN_WINDOWS_DAYS: readonly number[] = [30, 60, 90, 180, 365];

export interface ReturnWithinDays {
  days: number;
  /** Customers whose first order was at least `days` days before asOf: the only ones who had the chance. */
  eligibleCustomers: number;
  /** Those of them whose second order came within `days` days of the first. */
  returnedCustomers: number;
  /** returnedCustomers / eligibleCustomers; null when no customer is old enough yet. */
  share: number | null;
}

/**
 * The share of customers who placed a second order within N days of their first, for each
 * window N. Only customers whose first order was at least N calendar days before asOf count in
 * window N's denominator: newer customers have not had N days to return, and counting them would
 * understate the share. Days are calendar days in the shop's time zone.
 */
export function returnWithinDays(
  customers: FirstAndSecondOrders,
  asOf: Date,
  options: ShopTimeOptions & { windows?: readonly number[] } = {},
): ReturnWithinDays[] {
  const count = checkCustomerColumns({ ...customers });
  const offset = offsetMs(options);
  const asOfMs = epochMs(asOf, "asOf");
  const asOfDay = dayNumber(asOfMs, offset);
  const windows = Int32Array.from(options.windows ?? RETURN_WINDOWS_DAYS);
  for (const days of windows) if (!(days >= 0)) throw new RangeError("Return windows must be >= 0 days");
  const eligible = new Float64Array(windows.length);
  const returned = new Float64Array(windows.length);
  const { firstOrderAt, secondOrderAt } = customers;
  for (let i = 0; i < count; i++) {
    const first = firstOrderAt[i];
    if (!(first <= asOfMs)) continue; // no orders (NaN), or none by asOf
    const firstDay = dayNumber(first, offset);
    const second = secondOrderAt[i];
    // NaN without a second order by asOf, so no window counts it as returned.
    const daysToReturn = second <= asOfMs ? dayNumber(second, offset) - firstDay : NaN;
    const age = asOfDay - firstDay;
    for (let w = 0; w < windows.length; w++) {
      if (age < windows[w]) continue;
      eligible[w]++;
      if (daysToReturn <= windows[w]) returned[w]++;
    }
  }
  return Array.from(windows, (days, w) => ({
    days,
    eligibleCustomers: eligible[w],
    returnedCustomers: returned[w],
    share: share(returned[w], eligible[w]),
  }));
}

export interface CohortRow {
  /** The first-order month, "2024-01". */
  month: string;
  /** Customers whose first counted order was in this month. */
  customers: number;
  /**
   * Indexed by month offset (0 = the first-order month): the share of the cohort that had placed
   * a second order by the end of that month. Cumulative, so it never falls, and a mature
   * cohort's last figure is its repeat purchase rate. Offsets after asOf's month are absent; the
   * last entry is for the month in progress. Empty for a cohort without customers.
   */
  returnedShare: number[];
  /** Same offsets: net revenue of all the cohort's orders (the first included) so far, per customer. */
  netRevenuePerCustomer: number[];
}

export interface CohortTableOptions extends ShopTimeOptions {
  /** How many first-order months, ending with asOf's month; 12 by default. */
  cohorts?: number;
  /** The last month offset shown; 12 by default (offsets 0..12). */
  monthOffsets?: number;
}

/**
 * Customers grouped by the calendar month of their first counted order (shop time zone), most
 * recent cohort last. Month offsets are calendar months: an order in February by a January
 * customer is offset 1 whatever the day.
 *
 * The cells are cumulative ("had returned by month k", "revenue per customer by month k")
 * rather than "ordered in month k": cumulative figures are steady enough to compare cohorts in a
 * small shop and read as the payback of a month's new customers.
 */
export function cohortTable(
  orders: OrderColumns,
  customerCount: number,
  asOf: Date,
  options: CohortTableOptions = {},
): CohortRow[] {
  const cohorts = options.cohorts ?? 12;
  const monthOffsets = options.monthOffsets ?? 12;
  if (!(Number.isInteger(cohorts) && cohorts >= 1 && Number.isInteger(monthOffsets) && monthOffsets >= 0)) {
    throw new RangeError("cohorts must be a whole number >= 1 and monthOffsets >= 0");
  }
  const rollups = customerRollupsFromOrders(orders, customerCount, asOf);
  const offset = offsetMs(options);
  const asOfMs = epochMs(asOf, "asOf");
  const asOfMonth = monthOfDay(dayNumber(asOfMs, offset));
  const firstCohortMonth = asOfMonth - cohorts + 1;
  const width = monthOffsets + 1;

  const cohortMonth = new Int32Array(customerCount).fill(-1);
  const sizes = new Float64Array(cohorts);
  const returnedIn = new Float64Array(cohorts * width);
  for (let c = 0; c < customerCount; c++) {
    const first = rollups.firstOrderAt[c];
    if (Number.isNaN(first)) continue;
    const month = monthOfDay(dayNumber(first, offset));
    if (month < firstCohortMonth) continue;
    cohortMonth[c] = month;
    const row = month - firstCohortMonth;
    sizes[row]++;
    const second = rollups.secondOrderAt[c];
    if (Number.isNaN(second)) continue; // rollups hold orders up to asOf only
    const returnOffset = monthOfDay(dayNumber(second, offset)) - month;
    if (returnOffset <= monthOffsets) returnedIn[row * width + returnOffset]++;
  }

  const revenueIn = new Float64Array(cohorts * width);
  const { customer, processedAt, netRevenue } = orders;
  for (let i = 0; i < customer.length; i++) {
    const at = processedAt[i];
    if (!(at <= asOfMs)) continue;
    const month = cohortMonth[customer[i]];
    if (month < 0) continue;
    const orderOffset = monthOfDay(dayNumber(at, offset)) - month;
    if (orderOffset <= monthOffsets) revenueIn[(month - firstCohortMonth) * width + orderOffset] += netRevenue[i];
  }

  const rows: CohortRow[] = [];
  for (let row = 0; row < cohorts; row++) {
    const size = sizes[row];
    // An empty cohort (a month with no new customers) has no cells rather than 0% cells.
    const elapsed = size > 0 ? Math.min(monthOffsets, asOfMonth - (firstCohortMonth + row)) : -1;
    const returnedShare: number[] = [];
    const netRevenuePerCustomer: number[] = [];
    let returned = 0;
    let revenue = 0;
    for (let k = 0; k <= elapsed; k++) {
      returned += returnedIn[row * width + k];
      revenue += revenueIn[row * width + k];
      returnedShare.push(returned / size);
      netRevenuePerCustomer.push(revenue / size);
    }
    rows.push({ month: monthLabel(firstCohortMonth + row), customers: size, returnedShare, netRevenuePerCustomer });
  }
  return rows;
}

/**
 * Beyond this the formula's lifespan stops meaning anything a merchant can plan on (a 95%
 * retention would promise 20 years), and small shops' retention is too noisy to trust near 1.
 */
export const MAXIMUM_LIFESPAN_YEARS = 10;

export interface SimpleClvFormula {
  /** The last 12 months: (asOf - 365 days, asOf]. */
  periodStart: Date;
  periodEnd: Date;
  /** Counted orders of customers in the period and their net revenue. */
  orders: number;
  netRevenue: number;
  /** Customers who ordered in the period. */
  customers: number;
  /** netRevenue / orders. */
  averagePurchaseValue: number | null;
  /** orders / customers: orders per customer per year. */
  purchaseFrequency: number | null;
  /** Customers who ordered in the 12 months before the period... */
  previousYearCustomers: number;
  /** ...and of those, the ones who ordered again in the period. */
  retainedCustomers: number;
  /** retainedCustomers / previousYearCustomers: the yearly customer retention rate. */
  retentionRate: number | null;
  /**
   * 1 / (1 - retentionRate), capped at MAXIMUM_LIFESPAN_YEARS: if a customer stays each year
   * with the same chance, this is how many years they buy on average (the year they are in
   * counted). Null when the shop has no customers from before the period yet.
   */
  customerLifespanYears: number | null;
  /** averagePurchaseValue x purchaseFrequency x customerLifespanYears, in net revenue. */
  customerValue: number | null;
}

/**
 * The back-of-the-envelope CLV merchants meet in every guide, with each factor so the page can
 * show the arithmetic beside the model's figure: average purchase value x purchase frequency
 * (orders per customer per year) x customer lifespan (years), all from the last 12 months' orders
 * and the share of the year before's customers who came back. It is revenue, not margin, and a
 * lifetime, not 12 months: the page should say so beside it.
 */
export function simpleClvFormula(orders: OrderColumns, customerCount: number, asOf: Date): SimpleClvFormula {
  const count = checkOrderColumns(orders, customerCount);
  const asOfMs = epochMs(asOf, "asOf");
  const periodStart = asOfMs - 365 * MS_PER_DAY;
  const previousStart = periodStart - 365 * MS_PER_DAY;
  // Per customer: bit 1 = ordered in the period, bit 2 = ordered in the year before.
  const activeIn = new Uint8Array(customerCount);
  let periodOrders = 0;
  let periodRevenue = 0;
  const { customer, processedAt, netRevenue } = orders;
  for (let i = 0; i < count; i++) {
    const at = processedAt[i];
    const c = customer[i];
    if (at > periodStart && at <= asOfMs) {
      activeIn[c] |= 1;
      periodOrders++;
      periodRevenue += netRevenue[i];
    } else if (at > previousStart && at <= periodStart) {
      activeIn[c] |= 2;
    }
  }
  let customers = 0;
  let previousYearCustomers = 0;
  let retainedCustomers = 0;
  for (let c = 0; c < customerCount; c++) {
    const flags = activeIn[c];
    if (flags & 1) customers++;
    if (flags & 2) {
      previousYearCustomers++;
      if (flags & 1) retainedCustomers++;
    }
  }
  const averagePurchaseValue = share(periodRevenue, periodOrders);
  const purchaseFrequency = share(periodOrders, customers);
  const retentionRate = share(retainedCustomers, previousYearCustomers);
  const customerLifespanYears =
    retentionRate === null
      ? null
      : retentionRate >= 1 - 1 / MAXIMUM_LIFESPAN_YEARS
        ? MAXIMUM_LIFESPAN_YEARS
        : 1 / (1 - retentionRate);
  const customerValue =
    averagePurchaseValue === null || purchaseFrequency === null || customerLifespanYears === null
      ? null
      : averagePurchaseValue * purchaseFrequency * customerLifespanYears;
  return {
    periodStart: new Date(periodStart),
    periodEnd: new Date(asOfMs),
    orders: periodOrders,
    netRevenue: periodRevenue,
    customers,
    averagePurchaseValue,
    purchaseFrequency,
    previousYearCustomers,
    retainedCustomers,
    retentionRate,
    customerLifespanYears,
    customerValue,
  };
}
