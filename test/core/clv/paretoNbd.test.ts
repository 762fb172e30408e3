import { describe, expect, it } from "vitest";

import {
  fitParetoNbd,
  paretoNbdExpectedTransactions,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
  paretoNbdUnconditionalExpectedTransactions,
} from "~/core/clv/paretoNbd";
import { createRandom, simulateParetoNbd } from "~/core/clv/simulate";
import { logGamma } from "~/core/clv/special";

// CDNOW-like parameters (weeks).
const truth = { r: 0.55, alpha: 10, s: 0.6, beta: 12 };

function cohortAges(count: number, seed: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => 39 - Math.floor(random.uniform() * 84) / 7);
}

/**
 * The likelihood from first principles: "alive at T" plus "died at tau in [t_x, T]", with the
 * tau integral done by Simpson's rule on a log-spaced grid. Independent of the hypergeometric
 * route the model takes.
 */
function likelihoodByQuadrature(p: typeof truth, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const common = Math.exp(logGamma(r + x) - logGamma(r) + r * Math.log(alpha) + s * Math.log(beta));
  const alive = (alpha + T) ** -(r + x) * (beta + T) ** -s;
  let died = 0;
  if (T > tx) {
    // tau = e^u - min(alpha, beta) packs points where the integrand changes fastest.
    const shift = Math.min(alpha, beta);
    const lo = Math.log(shift + tx);
    const hi = Math.log(shift + T);
    const steps = 20_000;
    const h = (hi - lo) / steps;
    const integrand = (u: number) => {
      const tau = Math.exp(u) - shift;
      return (alpha + tau) ** -(r + x) * (beta + tau) ** -(s + 1) * Math.exp(u);
    };
    let sum = integrand(lo) + integrand(hi);
    for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * integrand(lo + i * h);
    died = (s * sum * h) / 3;
  }
  return common * (alive + died);
}

describe("Pareto/NBD likelihood", () => {
  it("matches direct numerical integration, whichever of alpha and beta is larger", () => {
    const cases = [
      truth,
      { r: 2, alpha: 1, s: 3, beta: 50 },
      { r: 0.3, alpha: 100, s: 0.2, beta: 0.5 }, // z close to 1
      { r: 1, alpha: 5, s: 1, beta: 5 }, // alpha = beta: no hypergeometric term at all
    ];
    for (const params of cases) {
      for (const [x, tx, T] of [
        [0, 0, 30],
        [3, 10, 30],
        [20, 29, 30],
        [1, 0.5, 0.6],
      ]) {
        const expected = Math.log(likelihoodByQuadrature(params, x, tx, T));
        expect(paretoNbdLogLikelihood(params, [{ x, tx, T }])).toBeCloseTo(expected, 8);
      }
    }
  });

  it("stays finite for extreme customers", () => {
    for (const params of [truth, { r: 0.3, alpha: 1e4, s: 0.1, beta: 1e-3 }, { r: 5, alpha: 1e-3, s: 3, beta: 1e4 }]) {
      for (const row of [
        { x: 300, tx: 38.9, T: 39 },
        { x: 300, tx: 1e-3, T: 1e-3 },
        { x: 0, tx: 0, T: 1e-9 },
        { x: 0, tx: 0, T: 0 },
        { x: 500, tx: 10, T: 520 },
      ]) {
        expect(Number.isFinite(paretoNbdLogLikelihood(params, [row]))).toBe(true);
        const alive = paretoNbdProbabilityAlive(params, row.x, row.tx, row.T);
        expect(alive).toBeGreaterThanOrEqual(0);
        expect(alive).toBeLessThanOrEqual(1);
        expect(Number.isFinite(paretoNbdExpectedTransactions(params, 39, row.x, row.tx, row.T))).toBe(true);
      }
    }
  });
});

describe("Pareto/NBD forecasts", () => {
  it("P(alive) is 1 at T = t_x and falls with time since the last purchase", () => {
    expect(paretoNbdProbabilityAlive(truth, 3, 20, 20)).toBe(1);
    expect(paretoNbdProbabilityAlive(truth, 3, 29, 30)).toBeGreaterThan(paretoNbdProbabilityAlive(truth, 3, 5, 30));
  });

  it("is smooth through s = 1, where the closed form divides by s - 1", () => {
    const at = (s: number) => paretoNbdExpectedTransactions({ ...truth, s }, 39, 2, 20, 30);
    expect(at(1)).toBeCloseTo(at(1 + 1e-9), 7);
    expect(at(1)).toBeCloseTo(at(1 - 1e-9), 7);
  });

  it("the unconditional expectation is the conditional one for a brand-new customer", () => {
    for (const t of [1, 39, 520]) {
      expect(paretoNbdUnconditionalExpectedTransactions(truth, t)).toBeCloseTo(
        paretoNbdExpectedTransactions(truth, t, 0, 0, 0),
        12,
      );
    }
  });

  it("conditional and unconditional expectations match simulated customers", () => {
    const customers = simulateParetoNbd(truth, cohortAges(50_000, 21), createRandom(22), 39);
    const forecast = customers.reduce((sum, c) => sum + paretoNbdExpectedTransactions(truth, 39, c.x, c.tx, c.T), 0);
    const holdout = customers.reduce((sum, c) => sum + c.holdoutX, 0);
    expect(forecast / holdout).toBeGreaterThan(0.97);
    expect(forecast / holdout).toBeLessThan(1.03);
    const unconditional = customers.reduce((sum, c) => sum + paretoNbdUnconditionalExpectedTransactions(truth, c.T), 0);
    const repeats = customers.reduce((sum, c) => sum + c.x, 0);
    expect(unconditional / repeats).toBeGreaterThan(0.97);
    expect(unconditional / repeats).toBeLessThan(1.03);
  });
});

describe("fitParetoNbd on simulated customers", () => {
  it("recovers known parameters", () => {
    const customers = simulateParetoNbd(truth, cohortAges(10_000, 31), createRandom(32));
    const fit = fitParetoNbd(customers);
    expect(fit.converged).toBe(true);
    // The purchase-rate parameters are well identified; s and beta individually are not (the
    // likelihood has a long ridge), but their ratio, the mean dropout rate, is.
    expect(Math.abs(fit.params.r / truth.r - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.params.alpha / truth.alpha - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.params.s / fit.params.beta / (truth.s / truth.beta) - 1)).toBeLessThan(0.25);
    const atTruth = paretoNbdLogLikelihood(truth, customers);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(atTruth);
    expect(2 * (fit.logLikelihood - atTruth)).toBeLessThan(18.47); // chi2, 4 df, 99.9%
  });
});
