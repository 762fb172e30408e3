// The same summaries as summarizeTransactions, from columns instead of objects: a shop's orders
// sorted by customer and time, as typed arrays. A million customers with five million orders
// summarise without allocating per order (the CLV refresh and its benchmark rely on this).
import { DAYS_PER_UNIT, type TimeUnit } from "./types";

const MS_PER_DAY = 86_400_000;

export interface OrderColumnsByCustomer {
  /** Customer index (0 … customerCount-1) of each order, ascending. */
  customer: Int32Array;
  /** Order time in epoch milliseconds, ascending within a customer. */
  processedAt: Float64Array;
  netRevenue: Float64Array;
  length: number;
}

export interface SummaryColumns {
  /** 1 when the customer's first order is on or before the calibration end, else 0. */
  inCalibration: Uint8Array;
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  meanRepeatSpend: Float64Array;
  firstSpend: Float64Array;
  /** Transaction days after the calibration end, up to the holdout end (0 without one). */
  holdoutX: Float64Array;
}

export function summarizeOrderColumns(
  orders: OrderColumnsByCustomer,
  customerCount: number,
  options: { calibrationEnd: number; holdoutEnd?: number; timeUnit: TimeUnit; utcOffsetMinutes?: number },
): SummaryColumns {
  const offsetMs = (options.utcOffsetMinutes ?? 0) * 60_000;
  const dayOf = (ms: number) => Math.floor((ms + offsetMs) / MS_PER_DAY);
  const calibrationEndDay = dayOf(options.calibrationEnd);
  const holdoutEndDay = options.holdoutEnd === undefined ? calibrationEndDay : dayOf(options.holdoutEnd);
  const daysPerUnit = DAYS_PER_UNIT[options.timeUnit];
  const out: SummaryColumns = {
    inCalibration: new Uint8Array(customerCount),
    x: new Float64Array(customerCount),
    tx: new Float64Array(customerCount),
    T: new Float64Array(customerCount),
    meanRepeatSpend: new Float64Array(customerCount),
    firstSpend: new Float64Array(customerCount),
    holdoutX: new Float64Array(customerCount),
  };
  let index = 0;
  while (index < orders.length) {
    const customer = orders.customer[index];
    if (customer < 0 || customer >= customerCount) throw new RangeError(`Order ${index} has no customer ${customer}`);
    const firstDay = dayOf(orders.processedAt[index]);
    let day = firstDay;
    let x = 0;
    let lastDay = firstDay;
    let firstSpend = 0;
    let repeatSpend = 0;
    let holdoutX = 0;
    for (; index < orders.length && orders.customer[index] === customer; index++) {
      const orderDay = dayOf(orders.processedAt[index]);
      if (orderDay < day) throw new RangeError(`Orders of customer ${customer} are not in time order`);
      if (orderDay !== day) {
        day = orderDay;
        if (day <= calibrationEndDay) {
          x++;
          lastDay = day;
        } else if (day <= holdoutEndDay) {
          holdoutX++;
        }
      }
      if (day === firstDay) firstSpend += orders.netRevenue[index];
      else if (day <= calibrationEndDay) repeatSpend += orders.netRevenue[index];
    }
    if (firstDay > calibrationEndDay) continue;
    out.inCalibration[customer] = 1;
    out.x[customer] = x;
    out.tx[customer] = (lastDay - firstDay) / daysPerUnit;
    out.T[customer] = (calibrationEndDay - firstDay) / daysPerUnit;
    out.meanRepeatSpend[customer] = x > 0 ? repeatSpend / x : 0;
    out.firstSpend[customer] = firstSpend;
    out.holdoutX[customer] = holdoutX;
  }
  return out;
}
