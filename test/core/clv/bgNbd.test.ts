import logBeta from "@stdlib/math-base-special-betaln";
import { describe, expect, it } from "vitest";

import {
  bgNbdExpectedTransactions,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  bgNbdUnconditionalExpectedTransactions,
  fitBgNbd,
} from "~/core/clv/bgNbd";
import { createRandom, simulateBgNbd } from "~/core/clv/simulate";
import { logGamma } from "~/core/clv/special";

// CDNOW-like parameters (weeks).
const truth = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 };

/** Customers who joined over 12 weeks, observed to week 39, as in CDNOW. */
function cohortAges(count: number, seed: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => 39 - Math.floor(random.uniform() * 84) / 7);
}

/** The paper's eq. 6 computed directly, for small x where nothing overflows. */
function directLikelihood(p: typeof truth, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = p;
  const common = Math.exp(logGamma(r + x) - logGamma(r)) * alpha ** r;
  const beta = (u: number, v: number) => Math.exp(logBeta(u, v));
  const alive = ((beta(a, b + x) / beta(a, b)) * common) / (alpha + T) ** (r + x);
  const dropped = x > 0 ? ((beta(a + 1, b + x - 1) / beta(a, b)) * common) / (alpha + tx) ** (r + x) : 0;
  return alive + dropped;
}

describe("BG/NBD likelihood", () => {
  it("equals the paper's formula", () => {
    for (const [x, tx, T] of [
      [0, 0, 38],
      [1, 5.5, 30],
      [4, 20, 21],
      [10, 37.9, 39],
    ]) {
      expect(bgNbdLogLikelihood(truth, [{ x, tx, T }])).toBeCloseTo(Math.log(directLikelihood(truth, x, tx, T)), 10);
    }
  });

  it("weights rows as repeated customers", () => {
    const one = bgNbdLogLikelihood(truth, [{ x: 2, tx: 10, T: 30 }]);
    expect(bgNbdLogLikelihood(truth, [{ x: 2, tx: 10, T: 30, weight: 3 }])).toBeCloseTo(3 * one, 10);
  });

  it("stays finite for extreme customers and a + b < 1", () => {
    const odd = { r: 0.243, alpha: 4.4, a: 0.3, b: 0.4 };
    for (const row of [
      { x: 300, tx: 38.9, T: 39 },
      { x: 300, tx: 1e-3, T: 1e-3 },
      { x: 0, tx: 0, T: 1e-9 },
      { x: 0, tx: 0, T: 0 },
      { x: 1, tx: 0, T: 1e-9 },
    ]) {
      for (const params of [truth, odd]) {
        expect(Number.isFinite(bgNbdLogLikelihood(params, [row]))).toBe(true);
      }
    }
    // A customer seen for zero time has certainly made no repeat purchase yet.
    expect(bgNbdLogLikelihood(truth, [{ x: 0, tx: 0, T: 0 }])).toBeCloseTo(0, 12);
  });

  it("rejects malformed rows", () => {
    expect(() => bgNbdLogLikelihood(truth, [{ x: 1.5, tx: 1, T: 2 }])).toThrow(RangeError);
    expect(() => bgNbdLogLikelihood(truth, [{ x: 1, tx: 3, T: 2 }])).toThrow(RangeError);
    expect(() => bgNbdLogLikelihood(truth, [{ x: 0, tx: 1, T: 2 }])).toThrow(RangeError);
    expect(() => bgNbdLogLikelihood(truth, [{ x: 1, tx: 1, T: 2, weight: -1 }])).toThrow(RangeError);
  });
});

describe("BG/NBD forecasts", () => {
  it("P(alive) is 1 without repeats and falls with time since the last purchase", () => {
    expect(bgNbdProbabilityAlive(truth, 0, 0, 30)).toBe(1);
    const recent = bgNbdProbabilityAlive(truth, 3, 29, 30);
    const lapsed = bgNbdProbabilityAlive(truth, 3, 5, 30);
    expect(recent).toBeGreaterThan(lapsed);
    expect(recent).toBeLessThanOrEqual(1);
    expect(lapsed).toBeGreaterThan(0);
  });

  it("the unconditional expectation is the conditional one for a brand-new customer", () => {
    for (const t of [1, 39, 520]) {
      expect(bgNbdUnconditionalExpectedTransactions(truth, t)).toBeCloseTo(
        bgNbdExpectedTransactions(truth, t, 0, 0, 0),
        12,
      );
    }
    expect(bgNbdExpectedTransactions(truth, 0, 3, 10, 20)).toBe(0);
  });

  it("forecasts increase with the horizon and stay finite for extreme customers", () => {
    const odd = { r: 0.243, alpha: 4.4, a: 0.3, b: 0.4 };
    for (const params of [truth, odd]) {
      for (const [x, tx, T] of [
        [300, 38.9, 39],
        [300, 1e-3, 1e-3],
        [0, 0, 1e-9],
        [2, 30.43, 38.86],
      ]) {
        let previous = 0;
        for (const t of [0.1, 1, 39, 520, 5200]) {
          const expected = bgNbdExpectedTransactions(params, t, x, tx, T);
          expect(Number.isFinite(expected)).toBe(true);
          expect(expected).toBeGreaterThan(previous);
          previous = expected;
        }
        const alive = bgNbdProbabilityAlive(params, x, tx, T);
        expect(alive).toBeGreaterThanOrEqual(0);
        expect(alive).toBeLessThanOrEqual(1);
      }
    }
  });

  it("conditional and unconditional expectations match simulated customers", () => {
    // No fitting here: with the true parameters the average conditional forecast must equal the
    // average holdout count (law of total expectation), and E[X(T)] the calibration count.
    const customers = simulateBgNbd(truth, cohortAges(50_000, 11), createRandom(12), 39);
    const forecast = customers.reduce((sum, c) => sum + bgNbdExpectedTransactions(truth, 39, c.x, c.tx, c.T), 0);
    const holdout = customers.reduce((sum, c) => sum + c.holdoutX, 0);
    expect(forecast / holdout).toBeGreaterThan(0.97);
    expect(forecast / holdout).toBeLessThan(1.03);
    const unconditional = customers.reduce((sum, c) => sum + bgNbdUnconditionalExpectedTransactions(truth, c.T), 0);
    const repeats = customers.reduce((sum, c) => sum + c.x, 0);
    expect(unconditional / repeats).toBeGreaterThan(0.97);
    expect(unconditional / repeats).toBeLessThan(1.03);
  });
});

describe("fitBgNbd on simulated customers", () => {
  it("recovers known parameters", () => {
    const customers = simulateBgNbd(truth, cohortAges(20_000, 1), createRandom(2));
    const fit = fitBgNbd(customers);
    expect(fit.converged).toBe(true);
    expect(fit.customers).toBe(20_000);
    // Tolerances are several standard errors at this sample size (from repeated simulation):
    // the rate parameters are well identified, the dropout ones less so.
    expect(Math.abs(fit.params.r / truth.r - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.params.alpha / truth.alpha - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.params.a / truth.a - 1)).toBeLessThan(0.25);
    expect(Math.abs(fit.params.b / truth.b - 1)).toBeLessThan(0.3);
    // The maximum beats the truth, by no more than a 99.9% likelihood-ratio bound (chi2, 4 df).
    const atTruth = bgNbdLogLikelihood(truth, customers);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(atTruth);
    expect(2 * (fit.logLikelihood - atTruth)).toBeLessThan(18.47);
  });

  it("converges to finite parameters when the truth has a + b < 1", () => {
    const skewed = { r: 0.5, alpha: 3, a: 0.35, b: 0.5 };
    const customers = simulateBgNbd(skewed, cohortAges(5_000, 3), createRandom(4));
    const fit = fitBgNbd(customers);
    expect(fit.converged).toBe(true);
    for (const value of Object.values(fit.params)) expect(Number.isFinite(value)).toBe(true);
    expect(fit.params.a + fit.params.b).toBeLessThan(1.3);
    expect(2 * (fit.logLikelihood - bgNbdLogLikelihood(skewed, customers))).toBeLessThan(18.47);
  });

  it("converges promptly when everyone shares one dropout probability", () => {
    // a = 2e8, b = 8e8 is a fixed p = 0.2. The likelihood then often keeps rising towards
    // a, b -> infinity (the fit stops at the 1e8 wall) or peaks at some large a + b.
    const fixedDropout = { r: 0.25, alpha: 4, a: 2e8, b: 8e8 };
    const customers = simulateBgNbd(fixedDropout, cohortAges(3_000, 9), createRandom(10));
    const fit = fitBgNbd(customers);
    expect(fit.converged).toBe(true);
    expect(fit.atLimit || fit.params.a + fit.params.b > 50).toBe(true);
    expect(fit.evaluations).toBeLessThan(5_000);
    expect(fit.params.a / (fit.params.a + fit.params.b)).toBeCloseTo(0.2, 1);
    // Forecasts at such parameters are finite and agree with the true model's.
    const sample = customers.slice(0, 200);
    const withFit = sample.reduce((sum, c) => sum + bgNbdExpectedTransactions(fit.params, 39, c.x, c.tx, c.T), 0);
    const withTruth = sample.reduce((sum, c) => sum + bgNbdExpectedTransactions(fixedDropout, 39, c.x, c.tx, c.T), 0);
    expect(Math.abs(withFit / withTruth - 1)).toBeLessThan(0.15);
  });

  it("gives the same answer for collapsed and uncollapsed rows", () => {
    const customers = simulateBgNbd(truth, cohortAges(2_000, 5), createRandom(6)).map((c) => ({
      x: c.x,
      // Whole days, so identical customers exist to collapse.
      tx: Math.round(c.tx * 7) / 7,
      T: c.T,
    }));
    const grouped = new Map<string, { x: number; tx: number; T: number; weight: number }>();
    for (const c of customers) {
      const key = `${c.x}|${c.tx}|${c.T}`;
      const row = grouped.get(key) ?? { ...c, weight: 0 };
      row.weight++;
      grouped.set(key, row);
    }
    expect(grouped.size).toBeLessThan(customers.length);
    const plain = fitBgNbd(customers);
    const collapsed = fitBgNbd(Array.from(grouped.values()));
    expect(collapsed.logLikelihood).toBeCloseTo(plain.logLikelihood, 5);
    expect(collapsed.params.r).toBeCloseTo(plain.params.r, 4);
    expect(collapsed.params.b).toBeCloseTo(plain.params.b, 3);
  });
});
