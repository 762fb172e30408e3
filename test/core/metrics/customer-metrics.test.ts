import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { dayNumber, monthLabel, monthOfDay, MS_PER_DAY } from "~/core/metrics/calendar";
import { customerMetrics, customerRollupsFromOrders, type CountedOrder } from "~/core/metrics/customer-metrics";

const order = (iso: string, netRevenue: number): CountedOrder => ({ processedAt: new Date(iso), netRevenue });

describe("calendar", () => {
  it("finds the same month as Date for every day from 1900 to 2200", () => {
    for (let day = dayNumber(Date.UTC(1900, 0, 1), 0); day < dayNumber(Date.UTC(2200, 0, 1), 0); day += 1) {
      const date = new Date(day * MS_PER_DAY);
      if (monthOfDay(day) !== date.getUTCFullYear() * 12 + date.getUTCMonth()) {
        expect.fail(`day ${day} (${date.toISOString()}) gave month ${monthOfDay(day)}`);
      }
    }
  });

  it("counts days in the shop's time zone", () => {
    const lateEvening = Date.parse("2024-03-01T03:00:00Z"); // 22:00 on 29 February in New York
    expect(dayNumber(lateEvening, -300 * 60_000)).toBe(dayNumber(Date.parse("2024-02-29T12:00:00Z"), 0));
    expect(monthLabel(monthOfDay(dayNumber(lateEvening, -300 * 60_000)))).toBe("2024-02");
    expect(monthLabel(monthOfDay(dayNumber(lateEvening, 0)))).toBe("2024-03");
  });
});

describe("customerMetrics", () => {
  const asOf = new Date("2024-04-09T08:00:00Z");

  it("derives the figures from unsorted orders and ignores orders after asOf", () => {
    const metrics = customerMetrics(
      [
        order("2024-01-10T15:00:00Z", 40),
        order("2024-03-10T09:00:00Z", 60),
        order("2024-02-09T12:00:00Z", 20),
        order("2024-06-01T00:00:00Z", 100), // after asOf
      ],
      asOf,
    );
    expect(metrics).toEqual({
      ordersCount: 3,
      repeatCustomer: true,
      firstOrderAt: new Date("2024-01-10T15:00:00Z"),
      lastOrderAt: new Date("2024-03-10T09:00:00Z"),
      netRevenueToDate: 120,
      averageOrderValue: 40,
      // 10 Jan to 10 Mar 2024 is 21 + 29 + 10 = 60 days, over 2 gaps.
      averageDaysBetweenOrders: 30,
      // 10 Mar to 9 Apr: 21 + 9.
      daysSinceLastOrder: 30,
    });
  });

  it("has no gap for a one-order customer and nothing for a customer without orders", () => {
    const one = customerMetrics([order("2024-04-01T23:00:00Z", 35)], asOf);
    expect(one.ordersCount).toBe(1);
    expect(one.repeatCustomer).toBe(false);
    expect(one.averageDaysBetweenOrders).toBeNull();
    expect(one.averageOrderValue).toBe(35);
    expect(one.daysSinceLastOrder).toBe(8);

    expect(customerMetrics([order("2024-05-01T00:00:00Z", 10)], asOf)).toEqual({
      ordersCount: 0,
      repeatCustomer: false,
      firstOrderAt: null,
      lastOrderAt: null,
      netRevenueToDate: 0,
      averageOrderValue: null,
      averageDaysBetweenOrders: null,
      daysSinceLastOrder: null,
    });
  });

  it("counts a free order as an order and two same-day orders as 0 days apart", () => {
    const metrics = customerMetrics([order("2024-04-02T10:00:00Z", 0), order("2024-04-02T11:00:00Z", 50)], asOf);
    expect(metrics.ordersCount).toBe(2);
    expect(metrics.averageOrderValue).toBe(25);
    expect(metrics.averageDaysBetweenOrders).toBe(0);
  });

  it("counts calendar days in the shop's time zone", () => {
    const orders = [order("2024-04-09T02:00:00Z", 10)]; // 21:00 on 8 April in New York
    const now = new Date("2024-04-09T06:00:00Z"); // 01:00 on 9 April in New York
    expect(customerMetrics(orders, now).daysSinceLastOrder).toBe(0);
    expect(customerMetrics(orders, now, { utcOffsetMinutes: -300 }).daysSinceLastOrder).toBe(1);
  });

  it("refuses invalid orders", () => {
    expect(() => customerMetrics([order("2024-01-01T00:00:00Z", NaN)], asOf)).toThrow(RangeError);
    expect(() => customerMetrics([{ processedAt: new Date("nonsense"), netRevenue: 1 }], asOf)).toThrow(RangeError);
  });
});

describe("customerRollupsFromOrders", () => {
  it("keeps the two earliest orders, the last, the count and the revenue, up to asOf", () => {
    const at = (iso: string) => Date.parse(iso);
    const rollups = customerRollupsFromOrders(
      {
        customer: Int32Array.from([1, 0, 1, 1, 0, 1]),
        processedAt: Float64Array.from([
          at("2024-03-01T00:00:00Z"),
          at("2024-02-01T00:00:00Z"),
          at("2024-01-01T00:00:00Z"),
          at("2024-01-01T00:00:00Z"), // same instant as the first: both count
          at("2024-09-01T00:00:00Z"), // after asOf
          at("2024-02-15T00:00:00Z"),
        ]),
        netRevenue: Float64Array.from([10, 20, 30, 40, 50, 60]),
      },
      3,
      new Date("2024-06-30T00:00:00Z"),
    );
    expect(Array.from(rollups.ordersCount)).toEqual([1, 4, 0]);
    expect(Array.from(rollups.netRevenue)).toEqual([20, 140, 0]);
    expect(Array.from(rollups.firstOrderAt)).toEqual([at("2024-02-01T00:00:00Z"), at("2024-01-01T00:00:00Z"), NaN]);
    expect(Array.from(rollups.secondOrderAt)).toEqual([NaN, at("2024-01-01T00:00:00Z"), NaN]);
    expect(Array.from(rollups.lastOrderAt)).toEqual([at("2024-02-01T00:00:00Z"), at("2024-03-01T00:00:00Z"), NaN]);
  });

  it("refuses orders of unknown customers", () => {
    const orders = { customer: [2], processedAt: [0], netRevenue: [1] };
    expect(() => customerRollupsFromOrders(orders, 2, new Date(0))).toThrow(/outside 0..1/);
  });

  it("agrees with customerMetrics for any orders", () => {
    const day = MS_PER_DAY;
    const asOf = new Date(1_000 * day);
    fc.assert(
      fc.property(
        fc.array(fc.record({ customer: fc.nat(4), day: fc.nat(1_100), revenue: fc.nat(500) }), { maxLength: 40 }),
        (rows) => {
          const rollups = customerRollupsFromOrders(
            {
              customer: rows.map((row) => row.customer),
              processedAt: rows.map((row) => row.day * day),
              netRevenue: rows.map((row) => row.revenue),
            },
            5,
            asOf,
          );
          for (let c = 0; c < 5; c++) {
            const orders = rows
              .filter((row) => row.customer === c)
              .map((row) => ({ processedAt: new Date(row.day * day), netRevenue: row.revenue }));
            const metrics = customerMetrics(orders, asOf);
            expect(rollups.ordersCount[c]).toBe(metrics.ordersCount);
            expect(rollups.netRevenue[c]).toBe(metrics.netRevenueToDate);
            expect(rollups.firstOrderAt[c]).toBe(metrics.firstOrderAt?.getTime() ?? NaN);
            expect(rollups.lastOrderAt[c]).toBe(metrics.lastOrderAt?.getTime() ?? NaN);
            const counted = orders.map((o) => o.processedAt.getTime()).filter((t) => t <= asOf.getTime());
            expect(rollups.secondOrderAt[c]).toBe(counted.length >= 2 ? counted.sort((a, b) => a - b)[1] : NaN);
          }
        },
      ),
    );
  });
});
