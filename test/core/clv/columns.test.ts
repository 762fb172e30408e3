import { describe, expect, it } from "vitest";

import { summarizeOrderColumns } from "~/core/clv/columns";
import { summarizeTransactions, type Transaction } from "~/core/clv/summaries";
import { seededRandom } from "~/core/random/seeded";

const DAY = 86_400_000;

describe("summarizeOrderColumns", () => {
  it("agrees with summarizeTransactions on a random log, holdout included", () => {
    const random = seededRandom(3);
    const start = Date.parse("2025-01-01T00:00:00Z");
    const transactions: Transaction[] = [];
    for (let customer = 0; customer < 400; customer++) {
      let at = start + random.uniform() * 200 * DAY;
      const orders = 1 + Math.floor(random.exponential(0.4));
      for (let order = 0; order < orders; order++) {
        transactions.push({
          customerId: String(customer),
          date: at,
          amount: Math.round(random.uniform() * 10_000) / 100,
        });
        // Some orders on the same day, most days apart.
        at += random.chance(0.2) ? random.uniform() * 3_600_000 : random.exponential(1 / 30) * DAY;
      }
    }
    transactions.sort(
      (left, right) => Number(left.customerId) - Number(right.customerId) || Number(left.date) - Number(right.date),
    );
    const options = {
      calibrationEnd: start + 250 * DAY,
      holdoutEnd: start + 330 * DAY,
      timeUnit: "week" as const,
      utcOffsetMinutes: -300,
    };
    const expected = summarizeTransactions(transactions, options);
    const columns = summarizeOrderColumns(
      {
        customer: Int32Array.from(transactions, (transaction) => Number(transaction.customerId)),
        processedAt: Float64Array.from(transactions, (transaction) => Number(transaction.date)),
        netRevenue: Float64Array.from(transactions, (transaction) => transaction.amount),
        length: transactions.length,
      },
      400,
      options,
    );
    expect(expected.length).toBeGreaterThan(300);
    expect(columns.inCalibration.reduce((sum, flag) => sum + flag, 0)).toBe(expected.length);
    for (const summary of expected) {
      const index = Number(summary.customerId);
      expect(columns.x[index]).toBe(summary.x);
      expect(columns.tx[index]).toBeCloseTo(summary.tx, 12);
      expect(columns.T[index]).toBeCloseTo(summary.T, 12);
      expect(columns.meanRepeatSpend[index]).toBeCloseTo(summary.meanRepeatSpend, 9);
      expect(columns.firstSpend[index]).toBeCloseTo(summary.firstSpend, 9);
      expect(columns.holdoutX[index]).toBe(summary.holdoutX);
    }
  });

  it("refuses orders out of customer or time order", () => {
    const orders = {
      customer: Int32Array.of(0, 0),
      processedAt: Float64Array.of(2 * DAY, DAY),
      netRevenue: Float64Array.of(1, 1),
      length: 2,
    };
    expect(() => summarizeOrderColumns(orders, 1, { calibrationEnd: 10 * DAY, timeUnit: "day" })).toThrow(/time order/);
  });
});
