// One customer's figures from their counted orders (docs/net-revenue.md: cancelled and test
// orders are not counted and must not be passed in), and the columnar per-customer rollups the
// shop-level figures run on.
//
// Everything is "as of" a time the caller passes: orders after it are ignored, so a figure can be
// recomputed for any past date and tests need no clock.
import { dayNumber, epochMs, offsetMs, type ShopTimeOptions } from "./calendar";

export interface CountedOrder {
  processedAt: Date;
  /** Net revenue in the shop's currency (docs/net-revenue.md); 0 for a free order. */
  netRevenue: number;
}

export interface CustomerMetrics {
  ordersCount: number;
  /** Two or more counted orders. */
  repeatCustomer: boolean;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  /** Net revenue of all counted orders so far: the customer's historical CLV. */
  netRevenueToDate: number;
  /** Null without orders. */
  averageOrderValue: number | null;
  /**
   * Calendar days from the first to the last order divided by the gaps between orders; null with
   * fewer than 2 orders. Two orders on one day give 0.
   */
  averageDaysBetweenOrders: number | null;
  /** Calendar days in the shop's time zone: 0 when the last order was on the asOf day. */
  daysSinceLastOrder: number | null;
}

/**
 * A customer's figures as of `asOf`. Days are calendar days in the shop's time zone, as in the
 * CLV summaries, so "yesterday" is 1 day ago whatever the hour.
 */
export function customerMetrics(
  orders: readonly CountedOrder[],
  asOf: Date,
  options: ShopTimeOptions = {},
): CustomerMetrics {
  const asOfMs = epochMs(asOf, "asOf");
  const offset = offsetMs(options);
  let ordersCount = 0;
  let netRevenueToDate = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const order of orders) {
    const at = epochMs(order.processedAt, "processedAt");
    if (!Number.isFinite(order.netRevenue)) throw new RangeError("netRevenue is not a number");
    if (at > asOfMs) continue;
    ordersCount++;
    netRevenueToDate += order.netRevenue;
    if (at < first) first = at;
    if (at > last) last = at;
  }
  if (ordersCount === 0) {
    return {
      ordersCount: 0,
      repeatCustomer: false,
      firstOrderAt: null,
      lastOrderAt: null,
      netRevenueToDate: 0,
      averageOrderValue: null,
      averageDaysBetweenOrders: null,
      daysSinceLastOrder: null,
    };
  }
  const firstDay = dayNumber(first, offset);
  const lastDay = dayNumber(last, offset);
  return {
    ordersCount,
    repeatCustomer: ordersCount >= 2,
    firstOrderAt: new Date(first),
    lastOrderAt: new Date(last),
    netRevenueToDate,
    averageOrderValue: netRevenueToDate / ordersCount,
    averageDaysBetweenOrders: ordersCount >= 2 ? (lastDay - firstDay) / (ordersCount - 1) : null,
    daysSinceLastOrder: dayNumber(asOfMs, offset) - lastDay,
  };
}

/**
 * A shop's counted orders as columns, one entry per order, in any order. `customer` indexes the
 * customer columns (0 .. customerCount - 1); guest orders belong to no customer and are left out.
 */
export interface OrderColumns {
  customer: ArrayLike<number>;
  /** Epoch milliseconds. */
  processedAt: ArrayLike<number>;
  netRevenue: ArrayLike<number>;
}

/**
 * Per-customer rollups as columns: the input of the shop-level figures. Times are epoch
 * milliseconds, NaN when the customer has no such order. The Customer table already holds all
 * but `secondOrderAt`; `customerRollupsFromOrders` computes every column from the orders.
 */
export interface CustomerRollupColumns {
  ordersCount: ArrayLike<number>;
  firstOrderAt: ArrayLike<number>;
  /** The second-earliest counted order (equal to firstOrderAt when both came at once). */
  secondOrderAt: ArrayLike<number>;
  lastOrderAt: ArrayLike<number>;
  netRevenue: ArrayLike<number>;
}

export interface CustomerRollups extends CustomerRollupColumns {
  ordersCount: Int32Array;
  firstOrderAt: Float64Array;
  secondOrderAt: Float64Array;
  lastOrderAt: Float64Array;
  netRevenue: Float64Array;
}

/** Rollups of the orders placed up to `asOf`, in one pass and with no allocation per order. */
export function customerRollupsFromOrders(orders: OrderColumns, customerCount: number, asOf: Date): CustomerRollups {
  const count = checkOrderColumns(orders, customerCount);
  const asOfMs = epochMs(asOf, "asOf");
  const ordersCount = new Int32Array(customerCount);
  const firstOrderAt = new Float64Array(customerCount).fill(Infinity);
  const secondOrderAt = new Float64Array(customerCount).fill(Infinity);
  const lastOrderAt = new Float64Array(customerCount).fill(-Infinity);
  const netRevenue = new Float64Array(customerCount);
  const { customer, processedAt } = orders;
  for (let i = 0; i < count; i++) {
    const at = processedAt[i];
    if (!(at <= asOfMs)) continue;
    const c = customer[i];
    ordersCount[c]++;
    netRevenue[c] += orders.netRevenue[i];
    // Keep the two earliest: a new earliest pushes the old one to second place.
    if (at < firstOrderAt[c]) {
      secondOrderAt[c] = firstOrderAt[c];
      firstOrderAt[c] = at;
    } else if (at < secondOrderAt[c]) {
      secondOrderAt[c] = at;
    }
    if (at > lastOrderAt[c]) lastOrderAt[c] = at;
  }
  for (let c = 0; c < customerCount; c++) {
    if (firstOrderAt[c] === Infinity) firstOrderAt[c] = NaN;
    if (secondOrderAt[c] === Infinity) secondOrderAt[c] = NaN;
    if (lastOrderAt[c] === -Infinity) lastOrderAt[c] = NaN;
  }
  return { ordersCount, firstOrderAt, secondOrderAt, lastOrderAt, netRevenue };
}

/** Validates order columns once, outside the hot loops; returns the number of orders. */
export function checkOrderColumns(orders: OrderColumns, customerCount: number): number {
  if (!Number.isInteger(customerCount) || customerCount < 0) {
    throw new RangeError("customerCount must be a whole number >= 0");
  }
  const count = orders.customer.length;
  if (orders.processedAt.length !== count || orders.netRevenue.length !== count) {
    throw new RangeError("customer, processedAt and netRevenue must have the same length");
  }
  for (let i = 0; i < count; i++) {
    const c = orders.customer[i];
    if (!(c >= 0 && c < customerCount && Number.isInteger(c))) {
      throw new RangeError(`Order ${i} names customer ${c}, outside 0..${customerCount - 1}`);
    }
    if (!Number.isFinite(orders.processedAt[i])) throw new RangeError(`Order ${i} has no valid processedAt`);
    if (!Number.isFinite(orders.netRevenue[i])) throw new RangeError(`Order ${i} has no valid netRevenue`);
  }
  return count;
}

/** Validates that rollup columns have one length; returns the number of customers. */
export function checkCustomerColumns(columns: Partial<Record<string, ArrayLike<number>>>): number {
  let count = -1;
  for (const [name, column] of Object.entries(columns)) {
    if (column === undefined) continue;
    if (count === -1) count = column.length;
    else if (column.length !== count) throw new RangeError(`${name} has ${column.length} entries, expected ${count}`);
  }
  return Math.max(count, 0);
}
