import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { MS_PER_DAY } from "~/core/metrics/calendar";
import { customerRollupsFromOrders, type OrderColumns } from "~/core/metrics/customer-metrics";
import {
  cohortTable,
  MAXIMUM_LIFESPAN_YEARS,
  repeatPurchaseRate,
  repeatPurchaseRateTrend,
  returnWithinDays,
  simpleClvFormula,
} from "~/core/metrics/retention";

/** Order columns from customers' (ISO date, net revenue) lists; customer i is index i. */
function ordersOf(customers: [string, number][][]): OrderColumns {
  const customer: number[] = [];
  const processedAt: number[] = [];
  const netRevenue: number[] = [];
  customers.forEach((orders, index) => {
    for (const [iso, revenue] of orders) {
      customer.push(index);
      processedAt.push(Date.parse(iso));
      netRevenue.push(revenue);
    }
  });
  return { customer, processedAt, netRevenue };
}

// A small shop, worked by hand below. asOf: 30 June 2024, noon UTC.
const asOf = new Date("2024-06-30T12:00:00Z");
const shop = [
  /* A */ [
    ["2024-01-05T10:00:00Z", 30],
    ["2024-01-20T10:00:00Z", 20],
    ["2024-03-01T10:00:00Z", 50],
  ],
  /* B */ [["2024-01-15T10:00:00Z", 40]],
  /* C */ [
    ["2024-02-10T10:00:00Z", 25],
    ["2024-05-10T10:00:00Z", 35],
  ],
  /* D */ [
    ["2024-03-03T10:00:00Z", 10],
    ["2024-03-03T16:00:00Z", 10],
  ],
  /* E */ [["2024-05-20T10:00:00Z", 60]],
  /* F */ [
    ["2024-06-25T10:00:00Z", 15],
    ["2024-07-05T10:00:00Z", 99], // after asOf
  ],
  /* G: no orders */ [],
] satisfies [string, number][][];
const orders = ordersOf(shop);
const rollups = customerRollupsFromOrders(orders, shop.length, asOf);

describe("repeatPurchaseRate", () => {
  it("counts customers with a second order by asOf", () => {
    // A, B, C, D, E, F have ordered; A, C and D twice (F's second order is after asOf).
    expect(repeatPurchaseRate(rollups, asOf)).toEqual({ customers: 6, repeatCustomers: 3, repeatPurchaseRate: 0.5 });
    expect(repeatPurchaseRate(rollups, new Date("2024-01-31T23:59:59Z"))).toEqual({
      customers: 2,
      repeatCustomers: 1,
      repeatPurchaseRate: 0.5,
    });
    expect(repeatPurchaseRate({ firstOrderAt: [], secondOrderAt: [] }, asOf).repeatPurchaseRate).toBeNull();
  });
});

describe("repeatPurchaseRateTrend", () => {
  it("gives the rate as it stood at each month end, the last point as of asOf", () => {
    expect(repeatPurchaseRateTrend(rollups, asOf)).toEqual([
      { month: "2024-01", customers: 2, repeatCustomers: 1, repeatPurchaseRate: 0.5 }, // A, B; A returned
      { month: "2024-02", customers: 3, repeatCustomers: 1, repeatPurchaseRate: 1 / 3 }, // + C
      { month: "2024-03", customers: 4, repeatCustomers: 2, repeatPurchaseRate: 0.5 }, // + D, who returned
      { month: "2024-04", customers: 4, repeatCustomers: 2, repeatPurchaseRate: 0.5 },
      { month: "2024-05", customers: 5, repeatCustomers: 3, repeatPurchaseRate: 0.6 }, // + E; C returned
      { month: "2024-06", customers: 6, repeatCustomers: 3, repeatPurchaseRate: 0.5 }, // + F
    ]);
    expect(repeatPurchaseRateTrend(rollups, asOf, { months: 2 }).map((point) => point.month)).toEqual([
      "2024-05",
      "2024-06",
    ]);
    expect(repeatPurchaseRateTrend(rollups, new Date("2023-01-01T00:00:00Z"))).toEqual([]);
  });
});

describe("returnWithinDays", () => {
  // Days from first order to asOf: A 177, B 167, C 141, D 119, E 41, F 5.
  // Days to the second order: A 15, C 90 (10 Feb to 10 May 2024), D 0.
  it("counts in window N only customers whose first order is at least N days old", () => {
    expect(returnWithinDays(rollups, asOf)).toEqual([
      { days: 30, eligibleCustomers: 5, returnedCustomers: 2, share: 0.4 }, // A, D of A-E
      { days: 60, eligibleCustomers: 4, returnedCustomers: 2, share: 0.5 }, // A, D of A-D
      { days: 90, eligibleCustomers: 4, returnedCustomers: 3, share: 0.75 }, // + C on day 90
      { days: 180, eligibleCustomers: 0, returnedCustomers: 0, share: null },
      { days: 365, eligibleCustomers: 0, returnedCustomers: 0, share: null },
    ]);
  });

  it("treats a first order exactly N days before asOf as eligible", () => {
    // E's first order, 20 May, is 41 calendar days before 30 June.
    expect(returnWithinDays(rollups, asOf, { windows: [41, 42] })).toEqual([
      { days: 41, eligibleCustomers: 5, returnedCustomers: 2, share: 0.4 },
      { days: 42, eligibleCustomers: 4, returnedCustomers: 2, share: 0.5 },
    ]);
  });

  it("matches a direct count for any customers", () => {
    const day = MS_PER_DAY;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(400), fc.option(fc.nat(400), { nil: undefined })), { maxLength: 30 }),
        fc.nat(400),
        (customers, asOfDay) => {
          const firstOrderAt = customers.map(([first]) => first * day);
          const secondOrderAt = customers.map(([first, gap]) => (gap === undefined ? NaN : (first + gap) * day));
          const result = returnWithinDays({ firstOrderAt, secondOrderAt }, new Date(asOfDay * day), {
            windows: [0, 30, 90],
          });
          for (const window of result) {
            const eligible = customers.filter(([first]) => first + window.days <= asOfDay);
            const returned = eligible.filter(([, gap]) => gap !== undefined && gap <= window.days);
            expect(window.eligibleCustomers).toBe(eligible.length);
            expect(window.returnedCustomers).toBe(returned.length);
          }
        },
      ),
    );
  });
});

describe("cohortTable", () => {
  it("gives each first-order month's size, cumulative return share and revenue per customer", () => {
    expect(cohortTable(orders, shop.length, asOf, { cohorts: 6, monthOffsets: 3 })).toEqual([
      // A and B; A returned in January. Revenue: January 30 + 20 + 40, March 50.
      { month: "2024-01", customers: 2, returnedShare: [0.5, 0.5, 0.5, 0.5], netRevenuePerCustomer: [45, 45, 70, 70] },
      // C returned in May, offset 3.
      { month: "2024-02", customers: 1, returnedShare: [0, 0, 0, 1], netRevenuePerCustomer: [25, 25, 25, 60] },
      // D's two orders came the same day.
      { month: "2024-03", customers: 1, returnedShare: [1, 1, 1, 1], netRevenuePerCustomer: [20, 20, 20, 20] },
      { month: "2024-04", customers: 0, returnedShare: [], netRevenuePerCustomer: [] },
      // Only offsets up to asOf's month: May and June for E, June for F (July's order not yet).
      { month: "2024-05", customers: 1, returnedShare: [0, 0], netRevenuePerCustomer: [60, 60] },
      { month: "2024-06", customers: 1, returnedShare: [0], netRevenuePerCustomer: [15] },
    ]);
  });

  it("keeps the most recent cohorts and puts customers in months of the shop's time zone", () => {
    expect(cohortTable(orders, shop.length, asOf, { cohorts: 2 }).map((row) => row.month)).toEqual([
      "2024-05",
      "2024-06",
    ]);
    const nearMidnight = ordersOf([[["2024-02-01T03:00:00Z", 10]]]); // 22:00 on 31 January in New York
    const utc = cohortTable(nearMidnight, 1, asOf, { cohorts: 6 });
    const newYork = cohortTable(nearMidnight, 1, asOf, { cohorts: 6, utcOffsetMinutes: -300 });
    expect(utc.find((row) => row.customers === 1)?.month).toBe("2024-02");
    expect(newYork.find((row) => row.customers === 1)?.month).toBe("2024-01");
  });
});

describe("simpleClvFormula", () => {
  // Period: (1 Jul 2023 noon, 30 Jun 2024 noon]; year before: (1 Jul 2022 noon, 1 Jul 2023 noon].
  const formulaShop = ordersOf([
    /* P: both years */ [
      ["2022-10-01T00:00:00Z", 100],
      ["2023-09-01T00:00:00Z", 50],
      ["2024-02-01T00:00:00Z", 70],
    ],
    /* Q: year before only */ [["2023-03-01T00:00:00Z", 80]],
    /* R: both */ [
      ["2023-05-01T00:00:00Z", 40],
      ["2024-05-01T00:00:00Z", 60],
    ],
    /* S: new this year */ [["2024-01-10T00:00:00Z", 30]],
    /* T: too long ago */ [["2021-01-01T00:00:00Z", 500]],
    /* U: after asOf */ [["2024-07-15T00:00:00Z", 90]],
    /* V: on both edges */ [
      ["2023-07-01T12:00:00Z", 20],
      ["2024-06-30T12:00:00Z", 45],
    ],
    /* W: year before only */ [["2023-01-01T00:00:00Z", 10]],
  ]);

  it("multiplies average purchase value, yearly frequency and lifespan from retention", () => {
    const formula = simpleClvFormula(formulaShop, 8, asOf);
    // This year: P 50 + 70, R 60, S 30, V 45 = 255 over 5 orders by 4 customers.
    // Year before: P, Q, R, V, W; of them P, R and V came back: retention 3/5, lifespan 1 / 0.4.
    expect(formula).toEqual({
      periodStart: new Date("2023-07-01T12:00:00Z"),
      periodEnd: asOf,
      orders: 5,
      netRevenue: 255,
      customers: 4,
      averagePurchaseValue: 51,
      purchaseFrequency: 1.25,
      previousYearCustomers: 5,
      retainedCustomers: 3,
      retentionRate: 0.6,
      customerLifespanYears: 2.5,
      customerValue: 51 * 1.25 * 2.5,
    });
  });

  it("has no lifespan before the shop has a year of history, and caps it", () => {
    const young = simpleClvFormula(ordersOf([[["2024-03-01T00:00:00Z", 10]]]), 1, asOf);
    expect(young.averagePurchaseValue).toBe(10);
    expect(young.customerLifespanYears).toBeNull();
    expect(young.customerValue).toBeNull();

    // 19 of 20 customers stay: 1 / (1 - 0.95) would be 20 years.
    const loyal = Array.from({ length: 20 }, (_, i): [string, number][] =>
      i === 0
        ? [["2023-01-01T00:00:00Z", 10]]
        : [
            ["2023-01-01T00:00:00Z", 10],
            ["2024-01-01T00:00:00Z", 10],
          ],
    );
    const capped = simpleClvFormula(ordersOf(loyal), 20, asOf);
    expect(capped.retentionRate).toBe(0.95);
    expect(capped.customerLifespanYears).toBe(MAXIMUM_LIFESPAN_YEARS);
    expect(capped.customerValue).toBe(10 * 1 * MAXIMUM_LIFESPAN_YEARS);
  });
});
