import { describe, expect, it } from "vitest";

import { fitGammaGamma, gammaGammaExpectedAverageSpend, gammaGammaLogLikelihood } from "~/core/clv/gammaGamma";
import { createRandom, simulateGammaGammaSpend } from "~/core/clv/simulate";
import { logGamma } from "~/core/clv/special";

const truth = { p: 6, q: 4, gamma: 15 };

describe("Gamma-Gamma likelihood", () => {
  it("for one transaction is the Gamma-mixture-of-Gammas density", () => {
    // x = 1: z ~ Gamma(p, nu), nu ~ Gamma(q, gamma) gives a beta-prime density in z / gamma.
    const { p, q, gamma } = truth;
    for (const z of [1, 20, 300]) {
      const logDensity =
        logGamma(p + q) -
        logGamma(p) -
        logGamma(q) +
        (p - 1) * Math.log(z) +
        q * Math.log(gamma) -
        (p + q) * Math.log(gamma + z);
      expect(gammaGammaLogLikelihood(truth, [{ x: 1, meanSpend: z, weight: 1 }])).toBeCloseTo(logDensity, 10);
    }
  });

  it("integrates to one over the mean spend, for several x", () => {
    for (const x of [1, 3, 12]) {
      // Simpson on a log grid: the density of log(zbar) is zbar * f(zbar).
      const steps = 4_000;
      const lo = Math.log(1e-3);
      const hi = Math.log(1e5);
      const h = (hi - lo) / steps;
      const density = (u: number) =>
        Math.exp(u + gammaGammaLogLikelihood(truth, [{ x, meanSpend: Math.exp(u), weight: 1 }]));
      let sum = density(lo) + density(hi);
      for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * density(lo + i * h);
      expect((sum * h) / 3).toBeCloseTo(1, 6);
    }
  });

  it("is finite for customers with hundreds of transactions", () => {
    expect(Number.isFinite(gammaGammaLogLikelihood(truth, [{ x: 300, meanSpend: 1e-3, weight: 1 }]))).toBe(true);
    expect(Number.isFinite(gammaGammaLogLikelihood(truth, [{ x: 300, meanSpend: 1e6, weight: 1 }]))).toBe(true);
  });

  it("rejects rows the model cannot describe", () => {
    expect(() => gammaGammaLogLikelihood(truth, [{ x: 0, meanSpend: 10, weight: 1 }])).toThrow(RangeError);
    expect(() => gammaGammaLogLikelihood(truth, [{ x: 2, meanSpend: 0, weight: 1 }])).toThrow(RangeError);
  });
});

describe("Gamma-Gamma expected average spend", () => {
  it("shrinks a customer's own mean towards the population mean by their number of transactions", () => {
    const { p, q, gamma } = truth;
    const populationMean = (p * gamma) / (q - 1);
    expect(gammaGammaExpectedAverageSpend(truth, 0, 0)).toBeCloseTo(populationMean, 12);
    const weightOnOwn = (x: number) => (p * x) / (p * x + q - 1);
    for (const x of [1, 5, 300]) {
      const expected = (1 - weightOnOwn(x)) * populationMean + weightOnOwn(x) * 80;
      expect(gammaGammaExpectedAverageSpend(truth, x, 80)).toBeCloseTo(expected, 10);
    }
  });

  it("is NaN when the population mean is infinite and the customer has no history", () => {
    expect(gammaGammaExpectedAverageSpend({ p: 2, q: 0.8, gamma: 10 }, 0, 0)).toBeNaN();
    expect(Number.isFinite(gammaGammaExpectedAverageSpend({ p: 2, q: 0.8, gamma: 10 }, 3, 25))).toBe(true);
  });
});

describe("fitGammaGamma on simulated spend", () => {
  it("recovers known parameters", () => {
    const random = createRandom(41);
    const repeatCounts = Array.from({ length: 5_000 }, () => 1 + Math.floor(random.exponential(1 / 3)));
    const spends = simulateGammaGammaSpend(truth, repeatCounts, random);
    const rows = repeatCounts.map((x, i) => ({ x, meanSpend: spends[i], weight: 1 }));
    const fit = fitGammaGamma(rows);
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.params.p / truth.p - 1)).toBeLessThan(0.2);
    expect(Math.abs(fit.params.q / truth.q - 1)).toBeLessThan(0.2);
    expect(Math.abs(fit.params.gamma / truth.gamma - 1)).toBeLessThan(0.3);
    // The population mean spend is much better determined than the parameters.
    const mean = (params: typeof truth) => (params.p * params.gamma) / (params.q - 1);
    expect(Math.abs(mean(fit.params) / mean(truth) - 1)).toBeLessThan(0.05);
    const atTruth = gammaGammaLogLikelihood(truth, rows);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(atTruth);
    expect(2 * (fit.logLikelihood - atTruth)).toBeLessThan(16.27); // chi2, 3 df, 99.9%
  });
});
