import logBeta from "@stdlib/math-base-special-betaln";
import digamma from "@stdlib/math-base-special-digamma";
import hyp2f1 from "@stdlib/math-base-special-hyp2f1";
import { describe, expect, it } from "vitest";

import {
  bgNbdForecastBracket,
  expDecayIntegral,
  fillLogRisingFactorial,
  logGammaRatio,
  hypergeometricOneBC,
  logAddExp,
  logGamma,
  logOneMinusExp,
} from "~/core/clv/special";

// The models use only stdlib's gammaln; betaln, digamma and hyp2f1 serve here as independent
// references (hyp2f1 where it is accurate) and are checked on the ranges the models reach.

function simpson(f: (u: number) => number, lo: number, hi: number, steps: number): number {
  const h = (hi - lo) / steps;
  let sum = f(lo) + f(hi);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * f(lo + i * h);
  return (sum * h) / 3;
}

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** 2F1(1, b; c; z) by its plain power series; slow near z = 1 but simple enough to trust. */
function powerSeriesOneBC(b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 1_000_000 && term > 1e-18 * sum; n++) {
    term *= ((b + n) / (c + n)) * z;
    sum += term;
  }
  return sum;
}

describe("stdlib special functions on the ranges the models use", () => {
  it("logGamma matches known values and Stirling's series at large arguments", () => {
    expect(logGamma(1)).toBe(0);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(10)).toBeCloseTo(Math.log(362_880), 12);
    // r + x for x in the thousands (a very frequent buyer).
    const x = 5000.25;
    const stirling = (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3);
    expect(relativeError(logGamma(x), stirling)).toBeLessThan(1e-14);
    // Tiny shapes (r, a, b near 0 while the optimiser explores).
    expect(logGamma(1e-8)).toBeCloseTo(-Math.log(1e-8) - 0.5772156649e-8, 10);
  });

  it("logBeta agrees with logGamma differences, including tiny and huge arguments", () => {
    for (const [a, b] of [
      [0.3, 0.4],
      [0.793, 2.426 + 300],
      [1e-6, 2],
      [1.793, 1.426],
      [50, 7000],
    ]) {
      const viaGamma = logGamma(a) + logGamma(b) - logGamma(a + b);
      expect(Math.abs(logBeta(a, b) - viaGamma)).toBeLessThan(1e-9 * Math.max(1, Math.abs(viaGamma)));
    }
  });

  it("digamma matches known values", () => {
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 14);
    expect(digamma(0.5)).toBeCloseTo(-0.5772156649015329 - 2 * Math.LN2, 13);
  });
});

describe("log-space helpers", () => {
  it("logAddExp is exact-ish and never overflows", () => {
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 15);
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.LN2, 12);
    expect(logAddExp(-Infinity, -5)).toBe(-5);
    expect(logAddExp(-5, -Infinity)).toBe(-5);
    expect(logAddExp(-Infinity, -Infinity)).toBe(-Infinity);
  });

  it("logOneMinusExp is accurate near 0 and far from it", () => {
    expect(logOneMinusExp(-1e-20)).toBeCloseTo(Math.log(1e-20), 10);
    expect(logOneMinusExp(-50)).toBeCloseTo(-Math.exp(-50), 30);
    expect(logOneMinusExp(-1)).toBeCloseTo(Math.log(1 - Math.exp(-1)), 15);
  });

  it("expDecayIntegral is smooth through rate 0", () => {
    expect(expDecayIntegral(0, 2.5)).toBe(2.5);
    expect(expDecayIntegral(1e-12, 2.5)).toBeCloseTo(2.5, 10);
    expect(expDecayIntegral(-1e-12, 2.5)).toBeCloseTo(2.5, 10);
    expect(expDecayIntegral(0.5, 2)).toBeCloseTo((1 - Math.exp(-1)) / 0.5, 15);
  });
});

describe("log-gamma differences", () => {
  const sumOfLogs = (base: number, count: number) => {
    let sum = 0;
    for (let j = 0; j < count; j++) sum += Math.log(base + j);
    return sum;
  };

  it("logGammaRatio matches exact sums for whole steps, from small to homogeneous-limit bases", () => {
    for (const base of [0.25, 3.5, 99.9, 100, 1234.5, 1e8]) {
      for (const step of [1, 2, 7, 300]) {
        const exact = sumOfLogs(base, step);
        expect(Math.abs(logGammaRatio(base, step) - exact)).toBeLessThan(1e-12 * Math.max(1, Math.abs(exact)));
      }
    }
  });

  it("logGammaRatio agrees with logGamma differences for fractional steps", () => {
    for (const [base, step] of [
      [150, 0.3],
      [1e4, 37.25],
      [500, 1e5],
    ]) {
      const direct = logGamma(base + step) - logGamma(base);
      expect(Math.abs(logGammaRatio(base, step) - direct)).toBeLessThan(
        1e-12 * Math.max(1, Math.abs(logGamma(base + step))),
      );
    }
  });

  it("fillLogRisingFactorial fills ascending counts, with the large-count fallback", () => {
    const out = new Float64Array(4);
    fillLogRisingFactorial(0.243, Float64Array.from([0, 1, 5, 40]), out);
    expect(out[0]).toBe(0);
    expect(out[1]).toBeCloseTo(Math.log(0.243), 12);
    expect(out[2]).toBeCloseTo(sumOfLogs(0.243, 5), 12);
    expect(out[3]).toBeCloseTo(sumOfLogs(0.243, 40), 12);
    const large = new Float64Array(2);
    fillLogRisingFactorial(2.5, Float64Array.from([3, 30_000]), large);
    expect(large[0]).toBeCloseTo(sumOfLogs(2.5, 3), 12);
    expect(Math.abs(large[1] - sumOfLogs(2.5, 30_000)) / large[1]).toBeLessThan(1e-12);
  });
});

describe("hypergeometricOneBC: 2F1(1, b; c; z)", () => {
  it("agrees with the power series and stdlib hyp2f1 over the Pareto/NBD range (b < c)", () => {
    for (const b of [0.05, 0.553, 1, 2.5, 30, 300.6]) {
      for (const extra of [0.1, 0.606, 1.606, 5]) {
        const c = b + extra < 1.01 ? 1.01 : b + extra;
        if (b >= c) continue;
        for (const z of [0, 1e-6, 0.093, 0.5, 0.9, 0.99]) {
          const series = powerSeriesOneBC(b, c, z);
          expect(relativeError(hypergeometricOneBC(b, c, z), series)).toBeLessThan(1e-12);
          // stdlib returns NaN at (300.6, 305.6, 0.99); compare only where it gives a value.
          const reference = hyp2f1(1, b, c, z);
          if (Number.isFinite(reference)) {
            expect(relativeError(hypergeometricOneBC(b, c, z), reference)).toBeLessThan(1e-10);
          }
        }
      }
    }
  });

  it("stays accurate close to z = 1 and degrades gracefully beyond", () => {
    // 2F1(1, 1; 2; z) = -log(1 - z) / z. In the Pareto/NBD, z = 1 - 1e-8 means alpha and beta
    // differ by a factor of 1e8, far outside any fitted value.
    const exact = (z: number) => -Math.log1p(-z) / z;
    for (const z of [0.999, 0.999_999, 1 - 1e-8]) {
      expect(relativeError(hypergeometricOneBC(1, 2, z), exact(z))).toBeLessThan(1e-9);
    }
    // Past that the iteration cap bounds the cost; the value is still close.
    expect(relativeError(hypergeometricOneBC(1, 2, 1 - 1e-10), exact(1 - 1e-10))).toBeLessThan(0.01);
    // And against stdlib, which switches to a 1 - z expansion there.
    expect(relativeError(hypergeometricOneBC(0.5, 1.6, 0.999_999), hyp2f1(1, 0.5, 1.6, 0.999_999))).toBeLessThan(1e-9);
  });

  it("falls back to the series when b >= c", () => {
    for (const [b, c, z] of [
      [10, 1.2, 0.9],
      [50, 30, 0.99],
      [3, 3, 0.5],
    ]) {
      expect(relativeError(hypergeometricOneBC(b, c, z), powerSeriesOneBC(b, c, z))).toBeLessThan(1e-12);
    }
  });
});

describe("bgNbdForecastBracket: C/(a-1) * [1 - (1-z)^(r+x) 2F1(r+x, b+x; C; z)]", () => {
  const direct = (r: number, a: number, b: number, x: number, z: number) => {
    const c = a + b + x - 1;
    return (c / (a - 1)) * (1 - Math.pow(1 - z, r + x) * hyp2f1(r + x, b + x, c, z));
  };

  it("equals the textbook formula where stdlib hyp2f1 is reliable", () => {
    for (const [r, a, b] of [
      [0.243, 0.793, 2.426],
      [1.5, 2, 3],
      [0.5, 0.3, 0.9],
      [3, 5, 0.5],
    ]) {
      for (const x of [0, 1, 2, 7, 25]) {
        for (const z of [0.001, 0.3, 0.7, 0.95]) {
          const ours = bgNbdForecastBracket(r, a, b, x, z, Math.log1p(-z));
          expect(relativeError(ours, direct(r, a, b, x, z))).toBeLessThan(1e-9);
        }
      }
    }
  });

  it("is continuous through a = 1, where the textbook formula divides by zero", () => {
    for (const x of [0, 3]) {
      const atOne = bgNbdForecastBracket(0.4, 1, 1.5, x, 0.6, Math.log1p(-0.6));
      expect(Number.isFinite(atOne)).toBe(true);
      expect(relativeError(bgNbdForecastBracket(0.4, 1 + 1e-7, 1.5, x, 0.6, Math.log1p(-0.6)), atOne)).toBeLessThan(
        1e-6,
      );
      expect(relativeError(bgNbdForecastBracket(0.4, 1 - 1e-7, 1.5, x, 0.6, Math.log1p(-0.6)), atOne)).toBeLessThan(
        1e-6,
      );
    }
  });

  // Independent check: for an alive customer, lambda ~ Gamma(r+x, alpha+T) and
  // p ~ Beta(a, b+x), and purchases in the next t number (1/p)(1 - E[e^(-lambda p t)]) on
  // average, so the bracket is the Beta average of (1/p)(1 - (1 + p t/(alpha+T))^-(r+x)).
  // Integrated in two halves with substitutions that remove the endpoint singularities:
  // p = e^-v on (0, 1/2], w = (1-p)^(b+x) on [1/2, 1).
  const byQuadrature = (r: number, a: number, b: number, x: number, z: number) => {
    const horizonRatio = z / (1 - z); // t / (alpha + T)
    const boughtFraction = (p: number) => -Math.expm1(-(r + x) * Math.log1p(p * horizonRatio)); // p * purchases
    const lowerHalf = simpson(
      (v) => {
        const p = Math.exp(-v);
        return boughtFraction(p) * Math.pow(p, a - 1) * Math.pow(1 - p, b + x - 1);
      },
      Math.LN2,
      Math.LN2 + 42 / a,
      40_000,
    );
    const upperHalf = simpson(
      (w) => {
        const p = 1 - Math.pow(w, 1 / (b + x));
        return (boughtFraction(p) * Math.pow(p, a - 2)) / (b + x);
      },
      0,
      Math.pow(0.5, b + x),
      2_000,
    );
    return (lowerHalf + upperHalf) / Math.exp(logBeta(a, b + x));
  };

  it("matches a direct integral over the posterior, including x in the hundreds", () => {
    for (const [r, a, b, x, z] of [
      [0.243, 0.793, 2.426, 2, 0.47],
      [0.243, 0.793, 2.426, 400, 0.9],
      [1.2, 1.5, 0.8, 300, 0.99],
      [0.3, 1, 1, 50, 0.5],
    ]) {
      const ours = bgNbdForecastBracket(r, a, b, x, z, Math.log1p(-z));
      expect(relativeError(ours, byQuadrature(r, a, b, x, z))).toBeLessThan(1e-6);
    }
  });

  it("stays finite where the textbook formula overflows (x in the hundreds)", () => {
    const z = 0.9;
    expect(Number.isFinite(direct(0.243, 0.793, 2.426, 400, z))).toBe(false);
    expect(Number.isFinite(bgNbdForecastBracket(0.243, 0.793, 2.426, 400, z, Math.log1p(-z)))).toBe(true);
  });

  it("tends to the fixed-dropout limit as a, b -> infinity (where small shops' fits drift)", () => {
    // With p fixed at a / (a + b): (1 - E[(1-p)^N]) / p, and E[s^N] = ((1-z) / (1 - z s))^(r+x).
    const [r, x, z] = [0.25, 2, 0.6];
    for (const a of [1e4, 1e7]) {
      const b = 3 * a;
      const p = a / (a + b + x);
      const limit = (1 - Math.pow((1 - z) / (1 - z * (1 - p)), r + x)) / p;
      expect(relativeError(bgNbdForecastBracket(r, a, b, x, z, Math.log1p(-z)), limit)).toBeLessThan(100 / a);
    }
  });

  it("tends to the fixed-rate limit as r, alpha -> infinity, even with many purchases ahead", () => {
    // lambda fixed: N is Poisson(mean), and the bracket is E[(1 - e^(-mean p)) / p] over p.
    const [a, b, x, mean] = [2, 3, 4, 40];
    const r = 1e6;
    const z = mean / (r + x + mean); // so that (r+x) z / (1-z) = mean
    const viaRate = simpson(
      (p) => {
        const purchases = p === 0 ? mean : -Math.expm1(-mean * p) / p;
        return purchases * Math.pow(p, a - 1) * Math.pow(1 - p, b + x - 1);
      },
      0,
      1,
      20_000,
    );
    const limit = viaRate / Math.exp(logBeta(a, b + x));
    expect(relativeError(bgNbdForecastBracket(r, a, b, x, z, Math.log1p(-z)), limit)).toBeLessThan(1e-5);
  });

  it("handles a + b < 1, where C = a + b - 1 is negative for x = 0", () => {
    for (const z of [0.01, 0.5, 0.99]) {
      const value = bgNbdForecastBracket(0.3, 0.2, 0.3, 0, z, Math.log1p(-z));
      expect(Number.isFinite(value)).toBe(true);
      expect(relativeError(value, byQuadrature(0.3, 0.2, 0.3, 0, z))).toBeLessThan(1e-6);
    }
  });
});
