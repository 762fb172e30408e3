import { describe, expect, it } from "vitest";

import {
  bgNbdExpectedTransactions,
  bgNbdProbabilityAlive,
  checkDataSufficiency,
  createRandom,
  fitClvModel,
  forecastCustomer,
  forecastCustomers,
  gammaGammaExpectedAverageSpend,
  MINIMUM_CUSTOMERS,
  MINIMUM_REPEAT_BUYERS,
  paretoNbdExpectedTransactions,
  simulateBgNbd,
  simulateGammaGammaSpend,
  type ClvModel,
} from "~/core/clv";

const spend = { p: 6.25, q: 3.74, gamma: 15.44 };
const weekly: ClvModel = {
  timeUnit: "week",
  purchases: { kind: "bg-nbd", params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } },
  spend,
};
const weeklyPareto: ClvModel = {
  timeUnit: "week",
  purchases: { kind: "pareto-nbd", params: { r: 0.553, alpha: 10.58, s: 0.606, beta: 11.67 } },
  spend,
};

describe("forecastCustomer", () => {
  it("combines the purchase and spend models, converting the horizon from days", () => {
    const customer = { x: 2, tx: 30.43, T: 38.86, meanRepeatSpend: 40 };
    const forecast = forecastCustomer(weekly, customer, 273);
    const params = weekly.purchases.params as { r: number; alpha: number; a: number; b: number };
    expect(forecast.expectedOrders).toBeCloseTo(bgNbdExpectedTransactions(params, 39, 2, 30.43, 38.86), 12);
    expect(forecast.probabilityAlive).toBeCloseTo(bgNbdProbabilityAlive(params, 2, 30.43, 38.86), 12);
    expect(forecast.expectedOrderValue).toBeCloseTo(gammaGammaExpectedAverageSpend(spend, 2, 40), 12);
    expect(forecast.expectedSpend).toBeCloseTo(forecast.expectedOrders * forecast.expectedOrderValue, 10);

    const pareto = forecastCustomer(weeklyPareto, customer, 273);
    const paretoParams = weeklyPareto.purchases.params as { r: number; alpha: number; s: number; beta: number };
    expect(pareto.expectedOrders).toBeCloseTo(paretoNbdExpectedTransactions(paretoParams, 39, 2, 30.43, 38.86), 12);
  });

  it("gives the same answer for a day-based model with alpha (and beta) in days", () => {
    // lambda ~ Gamma(r, alpha) is a rate per time unit, so alpha scales with the unit.
    const daily: ClvModel = {
      timeUnit: "day",
      purchases: { kind: "bg-nbd", params: { r: 0.243, alpha: 4.414 * 7, a: 0.793, b: 2.426 } },
      spend,
    };
    const inWeeks = forecastCustomer(weekly, { x: 3, tx: 20, T: 30, meanRepeatSpend: 12 }, 90);
    const inDays = forecastCustomer(daily, { x: 3, tx: 140, T: 210, meanRepeatSpend: 12 }, 90);
    expect(inDays.expectedOrders).toBeCloseTo(inWeeks.expectedOrders, 12);
    expect(inDays.probabilityAlive).toBeCloseTo(inWeeks.probabilityAlive, 12);
  });

  it("reports NaN spend without a spend model and rejects negative horizons", () => {
    const forecast = forecastCustomer({ ...weekly, spend: null }, { x: 1, tx: 2, T: 3 }, 30);
    expect(forecast.expectedOrderValue).toBeNaN();
    expect(forecast.expectedOrders).toBeGreaterThan(0);
    expect(() => forecastCustomer(weekly, { x: 1, tx: 2, T: 3 }, -1)).toThrow(RangeError);
  });
});

describe("forecastCustomers", () => {
  const count = 1_000_000;
  const random = createRandom(7);
  const x = new Float64Array(count);
  const tx = new Float64Array(count);
  const T = new Float64Array(count);
  const meanRepeatSpend = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    T[i] = Math.floor(random.uniform() * 104 * 7) / 7;
    x[i] = Math.floor(random.exponential(0.7));
    tx[i] = x[i] > 0 ? Math.floor(random.uniform() * T[i] * 7) / 7 : 0;
    meanRepeatSpend[i] = x[i] > 0 ? 10 + 90 * random.uniform() : 0;
  }
  const columns = { x, tx, T, meanRepeatSpend };

  it("matches forecastCustomer customer by customer", () => {
    for (const model of [weekly, weeklyPareto]) {
      const out = forecastCustomers(
        model,
        { x: x.subarray(0, 500), tx: tx.subarray(0, 500), T: T.subarray(0, 500), meanRepeatSpend },
        365,
      );
      for (let i = 0; i < 500; i++) {
        const one = forecastCustomer(model, { x: x[i], tx: tx[i], T: T[i], meanRepeatSpend: meanRepeatSpend[i] }, 365);
        expect(out.expectedOrders[i]).toBe(one.expectedOrders);
        expect(out.probabilityAlive[i]).toBe(one.probabilityAlive);
        expect(out.expectedSpend[i]).toBe(one.expectedSpend);
      }
    }
  });

  it("scores a million customers in a couple of seconds, reusing output arrays", () => {
    const into = {
      expectedOrders: new Float64Array(count),
      probabilityAlive: new Float64Array(count),
      expectedOrderValue: new Float64Array(count),
      expectedSpend: new Float64Array(count),
    };
    for (const model of [weekly, weeklyPareto]) {
      const started = performance.now();
      const out = forecastCustomers(model, columns, 365, into);
      const elapsed = performance.now() - started;
      console.info(`${model.purchases.kind}: scored ${count} customers in ${elapsed.toFixed(0)} ms`);
      expect(out).toBe(into);
      expect(elapsed).toBeLessThan(5_000); // ~0.2-0.4 s here; generous for slow CI machines
      expect(out.expectedSpend.every(Number.isFinite)).toBe(true);
    }
  });

  it("rejects columns of different lengths", () => {
    expect(() => forecastCustomers(weekly, { x: [1, 2], tx: [1], T: [1, 2] }, 30)).toThrow(RangeError);
    const tooShort = {
      expectedOrders: new Float64Array(1),
      probabilityAlive: new Float64Array(2),
      expectedOrderValue: new Float64Array(2),
      expectedSpend: new Float64Array(2),
    };
    expect(() => forecastCustomers(weekly, { x: [1, 2], tx: [1, 1], T: [2, 2] }, 30, tooShort)).toThrow(RangeError);
  });
});

describe("checkDataSufficiency and fitClvModel", () => {
  it("requires enough customers and enough repeat buyers", () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ x: i < 40 ? 1 : 0 }));
    expect(checkDataSufficiency(many)).toMatchObject({ enough: true, customers: 200, repeatBuyers: 40, reason: null });
    const fewRepeat = checkDataSufficiency(many.map((c, i) => ({ x: i < 10 ? 1 : 0 })));
    expect(fewRepeat.enough).toBe(false);
    expect(fewRepeat.reason).toContain(`need ${MINIMUM_REPEAT_BUYERS}`);
    const fewCustomers = checkDataSufficiency(many.slice(0, 50));
    expect(fewCustomers.enough).toBe(false);
    expect(fewCustomers.reason).toContain(`need ${MINIMUM_CUSTOMERS}`);
    // Weighted rows count as their weight.
    expect(
      checkDataSufficiency([
        { x: 0, weight: 150 },
        { x: 2, weight: 35 },
      ]).enough,
    ).toBe(true);
    expect(checkDataSufficiency(many, { minimumRepeatBuyers: 50 }).enough).toBe(false);
  });

  it("returns no model when the data are insufficient", () => {
    const result = fitClvModel([{ x: 1, tx: 1, T: 2, meanRepeatSpend: 5 }], { timeUnit: "day" });
    expect(result.model).toBeNull();
    expect(result.sufficiency.enough).toBe(false);
  });

  it("fits both models on enough simulated customers", () => {
    const random = createRandom(99);
    const ages = Array.from({ length: 3_000 }, () => 39 - Math.floor(random.uniform() * 84) / 7);
    const histories = simulateBgNbd({ r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, ages, random);
    const spends = simulateGammaGammaSpend(
      { p: 6, q: 4, gamma: 15 },
      histories.map((h) => h.x),
      random,
    );
    const customers = histories.map((h, i) => ({ ...h, meanRepeatSpend: spends[i] }));
    const result = fitClvModel(customers, { timeUnit: "week" });
    expect(result.model?.purchases.kind).toBe("bg-nbd");
    expect(result.purchaseFit?.converged).toBe(true);
    expect(result.model?.spend).not.toBeNull();
    const forecast = forecastCustomer(result.model as ClvModel, customers[0], 365);
    expect(Number.isFinite(forecast.expectedSpend)).toBe(true);
  });
});
