import { describe, expect, it } from "vitest";

import { maximizeLikelihood, type Coordinates } from "~/core/clv/mle";

const logScale: Coordinates = {
  fromParameters: (values) => values.map(Math.log),
  toParameters: (theta, values) => {
    for (let i = 0; i < theta.length; i++) values[i] = Math.exp(theta[i]);
  },
};

describe("maximizeLikelihood", () => {
  it("finds an interior maximum of positive parameters", () => {
    // Maximum at (2, 0.5).
    const fit = maximizeLikelihood(
      (v) => -((Math.log(v[0] / 2) ** 2 + Math.log(v[1] / 0.5) ** 2) * 100),
      [1, 1],
      100,
      logScale,
    );
    expect(fit.converged).toBe(true);
    expect(fit.atLimit).toBe(false);
    expect(fit.values[0]).toBeCloseTo(2, 5);
    expect(fit.values[1]).toBeCloseTo(0.5, 5);
    expect(fit.logLikelihood).toBeCloseTo(0, 8);
  });

  it("stops at the 1e8 wall when the likelihood keeps rising, and says so", () => {
    const fit = maximizeLikelihood((v) => -(Math.log(v[0]) ** 2) - 1 / v[1], [1, 1], 1, logScale);
    expect(fit.converged).toBe(true);
    expect(fit.atLimit).toBe(true);
    expect(fit.values[0]).toBeCloseTo(1, 4);
    expect(fit.values[1]).toBeGreaterThan(0.99e8);
    expect(fit.values[1]).toBeLessThanOrEqual(1e8);
  });
});
