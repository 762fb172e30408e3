import { describe, expect, it } from "vitest";

import { countOf, explainCustomer, formatProbability } from "~/core/metrics/explain";

const customer = (ordersCount: number, daysSinceLastOrder: number | null, averageDaysBetweenOrders: number | null) => ({
  ordersCount,
  daysSinceLastOrder,
  averageDaysBetweenOrders,
});

describe("explainCustomer", () => {
  it("describes a repeat customer", () => {
    expect(explainCustomer(customer(5, 200, 40.4), 0.123)).toBe(
      "5 orders, the last 200 days ago; buys about every 40 days; 12% likely still active.",
    );
    expect(explainCustomer(customer(1234, 1, 2.5), 0.5)).toBe(
      "1,234 orders, the last one yesterday; buys about every 3 days; 50% likely still active.",
    );
  });

  it("describes a one-order customer without a purchase rhythm", () => {
    expect(explainCustomer(customer(1, 30, null), 0.64)).toBe("1 order, 30 days ago; 64% likely still active.");
    expect(explainCustomer(customer(1, 0, null), 1)).toBe("1 order, today; more than 99% likely still active.");
  });

  it("says when there is no prediction or no order", () => {
    expect(explainCustomer(customer(2, 0, 12), null)).toBe(
      "2 orders, the last one today; buys about every 12 days; no prediction yet.",
    );
    expect(explainCustomer(customer(3, 5, 0.4), NaN)).toBe(
      "3 orders, the last 5 days ago; buys about every day; no prediction yet.",
    );
    expect(explainCustomer(customer(2, 9, 0), 0.002)).toBe(
      "2 orders, the last 9 days ago; all on the same day; less than 1% likely still active.",
    );
    expect(explainCustomer(customer(0, null, null), 0.5)).toBe("No orders yet.");
  });
});

describe("formatting", () => {
  it("never rounds a probability to a certainty", () => {
    expect([0, 0.004, 0.005, 0.5, 0.994, 0.995, 1].map(formatProbability)).toEqual([
      "less than 1%",
      "less than 1%",
      "1%",
      "50%",
      "99%",
      "more than 99%",
      "more than 99%",
    ]);
  });

  it("writes counts with the right noun", () => {
    expect(countOf(1, "order", "orders")).toBe("1 order");
    expect(countOf(0, "order", "orders")).toBe("0 orders");
    expect(countOf(1652.6, "order", "orders")).toBe("1,653 orders");
  });
});
