import { describe, expect, it } from "vitest";

import {
  collapseFrequencyRows,
  collapseSpendRows,
  summarizeTransactions,
  type Transaction,
} from "~/core/clv/summaries";

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe("summarizeTransactions", () => {
  const log: Transaction[] = [
    // Alice: first day, a same-day second order, two repeat days, one in the holdout.
    { customerId: "alice", date: new Date("2024-01-01T09:00:00Z"), amount: 10 },
    { customerId: "alice", date: new Date("2024-01-01T17:30:00Z"), amount: 5 },
    { customerId: "alice", date: day("2024-01-08"), amount: 20 },
    { customerId: "alice", date: day("2024-01-15"), amount: 30 },
    { customerId: "alice", date: day("2024-01-15") + 3_600_000, amount: 10 },
    { customerId: "alice", date: day("2024-02-10"), amount: 99 },
    // Bob: a single purchase on the calibration end day.
    { customerId: "bob", date: day("2024-01-29"), amount: 42 },
    // Carol: first purchase after calibration; not part of this cohort.
    { customerId: "carol", date: day("2024-02-02"), amount: 7 },
    // Dave: one purchase, then one after the holdout.
    { customerId: "dave", date: day("2024-01-05"), amount: 8 },
    { customerId: "dave", date: day("2024-04-01"), amount: 8 },
  ];
  const options = {
    calibrationEnd: day("2024-01-29"),
    holdoutEnd: day("2024-02-26"),
    timeUnit: "day" as const,
  };

  it("counts distinct repeat days, recency and age in days", () => {
    const byId = new Map(summarizeTransactions(log, options).map((s) => [s.customerId, s]));
    expect(byId.get("alice")).toEqual({
      customerId: "alice",
      x: 2,
      tx: 14,
      T: 28,
      meanRepeatSpend: (20 + 40) / 2,
      firstSpend: 15,
      holdoutX: 1,
    });
    expect(byId.get("bob")).toMatchObject({ x: 0, tx: 0, T: 0, meanRepeatSpend: 0, firstSpend: 42, holdoutX: 0 });
    expect(byId.get("dave")).toMatchObject({ x: 0, tx: 0, T: 24, holdoutX: 0 });
    expect(byId.has("carol")).toBe(false);
  });

  it("measures in weeks when asked and omits holdout counts without a holdout end", () => {
    const [alice] = summarizeTransactions(log, { calibrationEnd: day("2024-01-29"), timeUnit: "week" });
    expect(alice.tx).toBe(2);
    expect(alice.T).toBe(4);
    expect(alice.holdoutX).toBeUndefined();
  });

  it("treats any instant of the calibration end day alike", () => {
    const atStart = summarizeTransactions(log, options);
    const atEnd = summarizeTransactions(log, { ...options, calibrationEnd: day("2024-01-29") + 86_399_999 });
    expect(atEnd).toEqual(atStart);
  });

  it("buckets days in the shop's time zone", () => {
    // 23:30 UTC on Jan 1 and 00:30 UTC on Jan 2 are the same day in New York (UTC-5).
    const lateOrders: Transaction[] = [
      { customerId: "erin", date: Date.parse("2024-01-01T23:30:00Z"), amount: 1 },
      { customerId: "erin", date: Date.parse("2024-01-02T00:30:00Z"), amount: 1 },
    ];
    const calibrationEnd = Date.parse("2024-01-10T12:00:00Z");
    expect(summarizeTransactions(lateOrders, { calibrationEnd, timeUnit: "day" })[0].x).toBe(1);
    expect(summarizeTransactions(lateOrders, { calibrationEnd, timeUnit: "day", utcOffsetMinutes: -300 })[0].x).toBe(0);
  });

  it("rejects invalid input", () => {
    expect(() => summarizeTransactions([{ customerId: "x", date: new Date("nonsense"), amount: 1 }], options)).toThrow(
      RangeError,
    );
    expect(() => summarizeTransactions([{ customerId: "x", date: 0, amount: Number.NaN }], options)).toThrow(
      RangeError,
    );
    expect(() => summarizeTransactions([], { ...options, holdoutEnd: day("2023-12-31") })).toThrow(RangeError);
  });
});

describe("collapsing into weighted rows", () => {
  const customers = [
    { x: 0, tx: 0, T: 10, meanRepeatSpend: 0 },
    { x: 0, tx: 0, T: 10, meanRepeatSpend: 0 },
    { x: 2, tx: 5, T: 10, meanRepeatSpend: 20 },
    { x: 2, tx: 5, T: 10, meanRepeatSpend: 20 },
    { x: 2, tx: 5, T: 10, meanRepeatSpend: 25 },
    { x: 1, tx: 3, T: 10, meanRepeatSpend: 20 },
    { x: 1, tx: 3, T: 10, meanRepeatSpend: -4 },
  ];

  it("groups identical (x, tx, T)", () => {
    const rows = collapseFrequencyRows(customers);
    expect(rows).toEqual([
      { x: 0, tx: 0, T: 10, weight: 2 },
      { x: 2, tx: 5, T: 10, weight: 3 },
      { x: 1, tx: 3, T: 10, weight: 2 },
    ]);
    expect(rows.reduce((sum, row) => sum + row.weight, 0)).toBe(customers.length);
  });

  it("groups identical (x, mean spend) among repeat buyers with positive spend", () => {
    expect(collapseSpendRows(customers)).toEqual([
      { x: 2, meanSpend: 20, weight: 2 },
      { x: 2, meanSpend: 25, weight: 1 },
      { x: 1, meanSpend: 20, weight: 1 },
    ]);
  });
});
