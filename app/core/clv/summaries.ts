// From a transaction log to the per-customer figures the CLV models use, and from those to the
// weighted rows the fits run on.
//
// Time is counted in whole days: the models (and the published CDNOW results we validate
// against) treat all purchases of one customer on one day as a single transaction, and measure
// t_x and T between day starts. A customer who first bought on the calibration end day has T = 0.
import { DAYS_PER_UNIT, type FrequencyRow, type SpendRow, type TimeUnit } from "./types";

const MS_PER_DAY = 86_400_000;

export interface Transaction {
  customerId: string;
  /** When the order was placed; a Date or epoch milliseconds. */
  date: Date | number;
  /** Order value; same-day amounts are summed. */
  amount: number;
}

export interface SummaryOptions {
  /** The last day of the calibration period (any instant within that day). */
  calibrationEnd: Date | number;
  /** When given, also count repeat transactions on days after calibrationEnd up to this day. */
  holdoutEnd?: Date | number;
  timeUnit: TimeUnit;
  /** Where days start: the shop's offset from UTC in minutes (e.g. -300 for New York in winter). */
  utcOffsetMinutes?: number;
}

export interface CustomerSummary {
  customerId: string;
  /** Repeat transactions in calibration: distinct transaction days after the first. */
  x: number;
  /** Last calibration transaction day minus first transaction day, in the time unit. */
  tx: number;
  /** Calibration end day minus first transaction day, in the time unit. */
  T: number;
  /** Mean value of the repeat transactions (first excluded); 0 when x = 0. */
  meanRepeatSpend: number;
  /** Value of the first transaction day, kept for callers' empirical fall-backs. */
  firstSpend: number;
  /** Transaction days in the holdout period; present only when holdoutEnd was given. */
  holdoutX?: number;
}

/**
 * Summarises a transaction log per customer. Customers whose first transaction falls after the
 * calibration end are left out: the models know nothing about them yet. Returned in order of
 * first appearance in `transactions`.
 */
export function summarizeTransactions(transactions: Iterable<Transaction>, options: SummaryOptions): CustomerSummary[] {
  const offsetMs = (options.utcOffsetMinutes ?? 0) * 60_000;
  const dayOf = (date: Date | number): number => {
    const ms = typeof date === "number" ? date : date.getTime();
    if (!Number.isFinite(ms)) throw new RangeError("Transaction date is not a valid time");
    return Math.floor((ms + offsetMs) / MS_PER_DAY);
  };
  const calibrationEndDay = dayOf(options.calibrationEnd);
  const holdoutEndDay = options.holdoutEnd === undefined ? undefined : dayOf(options.holdoutEnd);
  if (holdoutEndDay !== undefined && holdoutEndDay < calibrationEndDay) {
    throw new RangeError("holdoutEnd is before calibrationEnd");
  }
  const daysPerUnit = DAYS_PER_UNIT[options.timeUnit];
  if (daysPerUnit === undefined) throw new RangeError(`Unknown time unit ${String(options.timeUnit)}`);

  // Per customer: spend per day, merged as we go so same-day orders become one transaction.
  const byCustomer = new Map<string, Map<number, number>>();
  for (const transaction of transactions) {
    if (!Number.isFinite(transaction.amount)) throw new RangeError("Transaction amount is not a number");
    const day = dayOf(transaction.date);
    let days = byCustomer.get(transaction.customerId);
    if (days === undefined) {
      days = new Map();
      byCustomer.set(transaction.customerId, days);
    }
    days.set(day, (days.get(day) ?? 0) + transaction.amount);
  }

  const summaries: CustomerSummary[] = [];
  for (const [customerId, spendByDay] of byCustomer) {
    const days = Array.from(spendByDay.keys()).sort((left, right) => left - right);
    const firstDay = days[0];
    if (firstDay > calibrationEndDay) continue;
    let x = 0;
    let lastDay = firstDay;
    let repeatSpend = 0;
    let holdoutX = 0;
    for (let i = 1; i < days.length; i++) {
      const day = days[i];
      if (day <= calibrationEndDay) {
        x++;
        lastDay = day;
        repeatSpend += spendByDay.get(day) ?? 0;
      } else if (holdoutEndDay !== undefined && day <= holdoutEndDay) {
        holdoutX++;
      }
    }
    const summary: CustomerSummary = {
      customerId,
      x,
      tx: (lastDay - firstDay) / daysPerUnit,
      T: (calibrationEndDay - firstDay) / daysPerUnit,
      meanRepeatSpend: x > 0 ? repeatSpend / x : 0,
      firstSpend: spendByDay.get(firstDay) ?? 0,
    };
    if (holdoutEndDay !== undefined) summary.holdoutX = holdoutX;
    summaries.push(summary);
  }
  return summaries;
}

/** Collapses customers with identical (x, tx, T) into weighted rows for the count models. */
export function collapseFrequencyRows(customers: Iterable<{ x: number; tx: number; T: number }>): FrequencyRow[] {
  const rows = new Map<string, FrequencyRow>();
  for (const { x, tx, T } of customers) {
    const key = `${x}|${tx}|${T}`;
    const row = rows.get(key);
    if (row) row.weight++;
    else rows.set(key, { x, tx, T, weight: 1 });
  }
  return Array.from(rows.values());
}

/**
 * Collapses repeat buyers with identical (x, mean repeat spend) into weighted rows for the
 * Gamma-Gamma model. Customers with x = 0 carry no repeat spend and are left out, as are
 * non-positive means (refund-only repeat days), which the model cannot describe.
 */
export function collapseSpendRows(customers: Iterable<{ x: number; meanRepeatSpend: number }>): SpendRow[] {
  const rows = new Map<string, SpendRow>();
  for (const { x, meanRepeatSpend } of customers) {
    if (!(x > 0) || !(meanRepeatSpend > 0)) continue;
    const key = `${x}|${meanRepeatSpend}`;
    const row = rows.get(key);
    if (row) row.weight++;
    else rows.set(key, { x, meanSpend: meanRepeatSpend, weight: 1 });
  }
  return Array.from(rows.values());
}
