// The headline figures as of a past date (the home's "previous period"), checked against the same
// figures computed customer by customer through the object APIs (customerMetrics,
// summarizeTransactions, forecastCustomer), which share none of the columnar code.
import { describe, expect, it } from "vitest";

import { forecastCustomer, summarizeTransactions, type ClvModel } from "~/core/clv";
import type { OrderColumnsByCustomer } from "~/core/clv/columns";
import { customerMetrics } from "~/core/metrics/customer-metrics";
import {
  figureChange,
  headlineFiguresAsOf,
  PREVIOUS_PERIOD_DAYS,
  previousPeriodFigures,
} from "~/core/metrics/previous-period";
import { predictedTwelveMonthClv } from "~/core/metrics/predicted-clv";
import { seededRandom } from "~/core/random/seeded";

const DAY = 86_400_000;
const ASOF = new Date("2026-11-01T00:00:00Z");
const SETTINGS = { grossMargin: 0.4, annualDiscountRate: 0.1 };
const AT_RISK = { minClvPercentile: 70, maxProbabilityAlive: 0.5 };
const MODEL: ClvModel = {
  timeUnit: "week",
  purchases: { kind: "bg-nbd", params: { r: 0.6, alpha: 9, a: 0.8, b: 2.5 } },
  spend: { p: 6, q: 4, gamma: 40 },
};

interface Order {
  customer: number;
  at: number;
  netRevenue: number;
}

// A year of orders from 400 customers, some placed after asOf (which every figure must ignore),
// and 20 customers without any order.
function history(): { orders: Order[]; customers: number } {
  const random = seededRandom(42);
  const customers = 420;
  const orders: Order[] = [];
  for (let customer = 0; customer < 400; customer++) {
    let at = ASOF.getTime() - 365 * DAY + random.uniform() * 380 * DAY;
    const gap = (5 + random.uniform() * 120) * DAY;
    while (at < ASOF.getTime() + 20 * DAY) {
      orders.push({ customer, at, netRevenue: Math.round(random.gamma(3, 0.05) * 100) / 100 });
      if (random.uniform() < 0.35) break;
      at += gap * (0.5 + random.uniform());
    }
  }
  orders.sort((left, right) => left.customer - right.customer || left.at - right.at);
  return { orders, customers };
}

function columns(orders: Order[]): OrderColumnsByCustomer {
  return {
    customer: Int32Array.from(orders, (order) => order.customer),
    processedAt: Float64Array.from(orders, (order) => order.at),
    netRevenue: Float64Array.from(orders, (order) => order.netRevenue),
    length: orders.length,
  };
}

// The figures one customer at a time.
function expectedFigures(orders: Order[], customers: number, asOf: Date, model: ClvModel | null) {
  const byCustomer = Array.from({ length: customers }, (_, customer) =>
    orders
      .filter((order) => order.customer === customer)
      .map((order) => ({ processedAt: new Date(order.at), netRevenue: order.netRevenue })),
  );
  const metrics = byCustomer.map((own) => customerMetrics(own, asOf));
  const buyers = metrics.filter((metric) => metric.ordersCount > 0);
  const repeat = buyers.filter((metric) => metric.repeatCustomer).length;
  const summaries = new Map(
    summarizeTransactions(
      orders.map((order) => ({ customerId: String(order.customer), date: order.at, amount: order.netRevenue })),
      { calibrationEnd: asOf, timeUnit: "week" },
    ).map((summary) => [Number(summary.customerId), summary]),
  );
  const predicted: { value: number; alive: number }[] = [];
  if (model) {
    for (const [customer, summary] of summaries) {
      const forecast = forecastCustomer(model, summary, 365);
      const value = predictedTwelveMonthClv(forecast, SETTINGS, metrics[customer].averageOrderValue);
      if (value !== null) predicted.push({ value, alive: forecast.probabilityAlive });
    }
  }
  const percentile = (value: number) =>
    predicted.length > 1
      ? (100 * predicted.filter((other) => other.value < value).length) / (predicted.length - 1)
      : 100;
  const atRisk = predicted.filter(
    (customer) =>
      percentile(customer.value) >= AT_RISK.minClvPercentile && customer.alive < AT_RISK.maxProbabilityAlive,
  );
  return {
    customers: buyers.length,
    repeatCustomers: repeat,
    repeatPurchaseRate: repeat / buyers.length,
    averageHistoricalClv: buyers.reduce((sum, metric) => sum + metric.netRevenueToDate, 0) / buyers.length,
    averagePredictedClv: model ? predicted.reduce((sum, customer) => sum + customer.value, 0) / predicted.length : null,
    atRisk: model
      ? { customers: atRisk.length, predictedClv: atRisk.reduce((sum, customer) => sum + customer.value, 0) }
      : null,
  };
}

describe("headlineFiguresAsOf", () => {
  const { orders, customers } = history();

  it("counts the customers, repeat rate and historical value from the orders placed by then", () => {
    const then = new Date(ASOF.getTime() - 90 * DAY);
    const figures = headlineFiguresAsOf(columns(orders), customers, then, {
      model: null,
      settings: SETTINGS,
      atRisk: AT_RISK,
    });
    const expected = expectedFigures(orders, customers, then, null);
    expect(figures).toMatchObject({
      asOf: then.toISOString(),
      customers: expected.customers,
      repeatCustomers: expected.repeatCustomers,
      averagePredictedClv: null,
      atRisk: null,
    });
    expect(figures.repeatPurchaseRate).toBeCloseTo(expected.repeatPurchaseRate, 12);
    expect(figures.averageHistoricalClv).toBeCloseTo(expected.averageHistoricalClv, 9);
    // Orders after asOf exist and were left out.
    expect(orders.some((order) => order.at > ASOF.getTime())).toBe(true);
    expect(figures.customers).toBeLessThan(400);
  });

  it("values each customer with the model as their history stood then, and counts those at risk", () => {
    for (const asOf of [ASOF, new Date(ASOF.getTime() - PREVIOUS_PERIOD_DAYS * DAY)]) {
      const figures = headlineFiguresAsOf(columns(orders), customers, asOf, {
        model: MODEL,
        settings: SETTINGS,
        atRisk: AT_RISK,
      });
      const expected = expectedFigures(orders, customers, asOf, MODEL);
      expect(figures.averagePredictedClv).toBeCloseTo(expected.averagePredictedClv!, 9);
      expect(figures.atRisk!.customers).toBe(expected.atRisk!.customers);
      expect(figures.atRisk!.predictedClv).toBeCloseTo(expected.atRisk!.predictedClv, 6);
      expect(figures.atRisk!.customers).toBeGreaterThan(0);
    }
  });

  it("ignores the unused capacity of the order columns", () => {
    const full = columns(orders);
    const padded: OrderColumnsByCustomer = {
      customer: Int32Array.from([...full.customer, 0, 0]),
      processedAt: Float64Array.from([...full.processedAt, 0, 0]),
      netRevenue: Float64Array.from([...full.netRevenue, 0, 0]),
      length: full.length,
    };
    const options = { model: MODEL, settings: SETTINGS, atRisk: AT_RISK };
    expect(headlineFiguresAsOf(padded, customers, ASOF, options)).toEqual(
      headlineFiguresAsOf(full, customers, ASOF, options),
    );
  });

  it("has no figures for a shop without orders", () => {
    const figures = headlineFiguresAsOf(columns([]), 3, ASOF, { model: MODEL, settings: SETTINGS, atRisk: AT_RISK });
    expect(figures).toEqual({
      asOf: ASOF.toISOString(),
      customers: 0,
      repeatCustomers: 0,
      repeatPurchaseRate: null,
      averageHistoricalClv: null,
      averagePredictedClv: null,
      atRisk: { customers: 0, predictedClv: 0 },
    });
  });
});

describe("previousPeriodFigures", () => {
  it("is the headline figures 30 days before the analysis", () => {
    const { orders, customers } = history();
    const options = { model: MODEL, settings: SETTINGS, atRisk: AT_RISK };
    const previous = previousPeriodFigures(columns(orders), customers, ASOF, options);
    expect(PREVIOUS_PERIOD_DAYS).toBe(30);
    expect(previous).toEqual({
      days: 30,
      ...headlineFiguresAsOf(columns(orders), customers, new Date("2026-10-02T00:00:00Z"), options),
    });
    expect(previousPeriodFigures(columns(orders), customers, ASOF, { ...options, days: 7 }).asOf).toBe(
      "2026-10-25T00:00:00.000Z",
    );
    expect(() => previousPeriodFigures(columns(orders), customers, ASOF, { ...options, days: 0 })).toThrow(RangeError);
  });
});

describe("figureChange", () => {
  it("gives the difference and the relative change", () => {
    expect(figureChange(120, 100)).toEqual({ current: 120, previous: 100, difference: 20, relative: 0.2 });
    expect(figureChange(0.25, 0.3)!.difference).toBeCloseTo(-0.05, 12);
    expect(figureChange(5, 0)).toEqual({ current: 5, previous: 0, difference: 5, relative: null });
  });

  it("has none when either value is missing", () => {
    expect(figureChange(null, 1)).toBeNull();
    expect(figureChange(1, undefined)).toBeNull();
    expect(figureChange(Number.NaN, 1)).toBeNull();
  });
});
