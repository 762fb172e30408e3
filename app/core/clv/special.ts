// Numerical building blocks for the CLV models: log-space helpers and the two hypergeometric
// evaluations the models need.
//
// Why not @stdlib/math-base-special-hyp2f1 for the models themselves: it is a port of Cephes'
// hyp2f1 and works on the function's value rather than its logarithm, so it overflows in the
// range the models reach (BG/NBD eq. 10 with x = 300 and z = 0.9 needs 2F1 ~ 1e300; x = 400
// overflows; it returns NaN for 2F1(1, 300.6; 305.6; 0.99)), and the textbook expressions around
// it divide by a - 1 and cancel badly. Both quantities below have all-positive representations
// that avoid these problems. The tests compare them with stdlib where stdlib is accurate, and
// with direct numerical integration elsewhere.
import gammalnImpl from "@stdlib/math-base-special-gammaln";

export const logGamma: (x: number) => number = gammalnImpl;

const LN2 = Math.LN2;
const EPSILON = 1e-16;
// Lentz's algorithm replaces exact zeros in the continued fraction by this.
const TINY = 1e-300;

/** log(e^a + e^b) without overflow; either argument may be -Infinity. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** log(1 - e^x) for x <= 0, accurate both near 0 and for very negative x (Mächler's split). */
export function logOneMinusExp(x: number): number {
  if (x > -LN2) return Math.log(-Math.expm1(x));
  return Math.log1p(-Math.exp(x));
}

/**
 * (1 - e^(-rate * length)) / rate, the integral of e^(-rate * u) over [0, length], with the limit
 * `length` at rate 0. Several closed forms divide by (a - 1) or (s - 1); this keeps them smooth
 * through 1.
 */
export function expDecayIntegral(rate: number, length: number): number {
  if (rate === 0) return length;
  return -Math.expm1(-rate * length) / rate;
}

/**
 * log Gamma(base + step) - log Gamma(base) for base > 0, step >= 0, without the cancellation
 * of two large log-gammas when base is large (a model's homogeneous limit sends a shape
 * parameter towards 1e8). For base >= 100 it uses the difference of Stirling series,
 *   (base - 1/2) log1p(step/base) + step log(base + step) - step + S(base + step) - S(base),
 * S(y) = 1/(12y) - 1/(360y^3) + 1/(1260y^5), whose truncation error is below 1e-17 there.
 */
export function logGammaRatio(base: number, step: number): number {
  if (base < 100) return logGamma(base + step) - logGamma(base);
  const end = base + step;
  const series = (y: number) => {
    const inverseSquare = 1 / (y * y);
    return (1 / 12 - inverseSquare * (1 / 360 - inverseSquare / 1260)) / y;
  };
  return (base - 0.5) * Math.log1p(step / base) + step * Math.log(end) - step + (series(end) - series(base));
}

/**
 * Writes log Gamma(base + x) - log Gamma(base) for each of the ascending whole numbers in
 * `counts` into `out`, by summing log(base + j) over j < x: exact for any base, and cheap
 * because the counts are few and mostly small. Very large counts use logGammaRatio instead, to
 * bound the cost.
 */
export function fillLogRisingFactorial(base: number, counts: Float64Array, out: Float64Array): void {
  const largest = counts.length > 0 ? counts[counts.length - 1] : 0;
  if (largest > 20_000) {
    for (let k = 0; k < counts.length; k++) out[k] = logGammaRatio(base, counts[k]);
    return;
  }
  let sum = 0;
  let j = 0;
  for (let k = 0; k < counts.length; k++) {
    for (; j < counts[k]; j++) sum += Math.log(base + j);
    out[k] = sum;
  }
}

/**
 * 2F1(1, b; c; z) for b > 0, c > 1 and 0 <= z < 1. When b < c (always so in the Pareto/NBD) it
 * uses the Gauss continued fraction behind the incomplete beta function,
 * B_z(p, q) = z^p (1-z)^q / p * 2F1(1, p+q; p+1; z) with p = c - 1 and q = b - c + 1,
 * evaluated by the modified Lentz method.
 *
 * Chosen over the power series because the fraction converges like
 * ((1 - sqrt(1-z)) / (1 + sqrt(1-z)))^n rather than z^n: near z = 1, which the Pareto/NBD
 * likelihood reaches when alpha and beta are far apart, that is tens of terms instead of
 * hundreds of thousands.
 */
export function hypergeometricOneBC(b: number, c: number, z: number): number {
  if (z === 0) return 1;
  // The fraction's even partial numerators are k (b - c + 1 - k) z / (...): negative for every
  // k >= 1 only when b < c, which is the case for the Pareto/NBD. Otherwise sum the series,
  // whose terms are then all positive.
  if (b >= c) return hypergeometricOneBCSeries(b, c, z);
  const p = c - 1;
  const q = b - c + 1;
  // h = 1 + d1/(1 + d2/(1 + ...)) and the function is 1/h.
  let h = 1;
  let front = 1; // Lentz's "C"
  let back = 0; // Lentz's "D"
  for (let k = 0; k < 100_000; k++) {
    // Odd partial numerator d(2k+1).
    const odd = (-(p + k) * (p + q + k) * z) / ((p + 2 * k) * (p + 2 * k + 1));
    back = 1 + odd * back;
    if (Math.abs(back) < TINY) back = TINY;
    front = 1 + odd / front;
    if (Math.abs(front) < TINY) front = TINY;
    back = 1 / back;
    const delta = front * back;
    h *= delta;
    // Even partial numerator d(2k+2).
    const m = k + 1;
    const even = (m * (q - m) * z) / ((p + 2 * m - 1) * (p + 2 * m));
    back = 1 + even * back;
    if (Math.abs(back) < TINY) back = TINY;
    front = 1 + even / front;
    if (Math.abs(front) < TINY) front = TINY;
    back = 1 / back;
    const evenDelta = front * back;
    h *= evenDelta;
    // Two factors of rounding error per step, hence a bound a little above machine epsilon.
    if (Math.abs(delta - 1) + Math.abs(evenDelta - 1) < 4 * EPSILON) break;
  }
  return 1 / h;
}

function hypergeometricOneBCSeries(b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 1_000_000; n++) {
    term *= ((b + n) / (c + n)) * z;
    sum += term;
    if (term <= EPSILON * sum) break;
  }
  return sum;
}

/**
 * The BG/NBD forecast core: eq. 10 of Fader, Hardie & Lee (2005) without its P(alive) factor,
 *     C/(a-1) * [1 - (1-z)^(r+x) 2F1(r+x, b+x; C; z)],   C = a + b + x - 1, z = t/(alpha+T+t).
 *
 * We do not evaluate that expression as written. It divides by a - 1 (the fit can land on
 * a = 1), it cancels catastrophically when the bracket is near 0, 2F1 overflows for x in the
 * hundreds, and an Euler-transformed series we tried instead needs ~a*z terms of size e^(a*z)
 * when a is large (small shops' fits drift to a, b -> infinity) and loses all precision to
 * alternating signs when r is much larger than a + b.
 *
 * Instead we sum the same quantity in its probabilistic form, all terms positive. Given that
 * the customer is alive at T: N, the purchases they would make in the next t if they never
 * left, is negative binomial, P(N = n) = (r+x)_n / n! * (1-z)^(r+x) z^n (lambda ~
 * Gamma(r+x, alpha+T) integrated out), and with p ~ Beta(a, b+x) the expected purchases before
 * dropping out among n is H(n) = sum over k < n of E[(1-p)^k] = sum over k < n of
 * (b+x)_k / (a+b+x)_k. The bracket is the sum over n of P(N = n) H(n); expanding H as a series
 * in (1-p) and summing over n gives back the hypergeometric form above.
 *
 * `logOneMinusZ` is log(1 - z) = -log(1 + t/(alpha+T)), passed in because callers compute it
 * accurately when z is close to 1. The probabilities are carried with a separate scale so that
 * (1-z)^(r+x) may underflow (x in the hundreds) without the sum being lost.
 */
export function bgNbdForecastBracket(
  r: number,
  a: number,
  b: number,
  x: number,
  z: number,
  logOneMinusZ: number,
): number {
  if (!(z > 0)) return 0;
  const shape = r + x;
  const laterB = b + x; // the posterior Beta's b
  const laterAB = a + b + x;
  let logScale = shape * logOneMinusZ; // log P(N = 0)
  let probability = 1; // P(N = n) / e^logScale
  let sum = 0; // sum of P(N = n) H(n), also divided by e^logScale
  let stayProbability = 1; // E[(1-p)^k], for k = n - 1 going into step n
  let expectedBeforeDropout = 0; // H(n)
  for (let n = 1; n < 10_000_000; n++) {
    const ratio = ((shape + n - 1) * z) / n;
    probability *= ratio;
    expectedBeforeDropout += stayProbability;
    stayProbability *= (laterB + n - 1) / (laterAB + n - 1);
    const term = probability * expectedBeforeDropout;
    sum += term;
    if (probability > 1e200) {
      probability *= 1e-200;
      sum *= 1e-200;
      logScale += 200 * Math.LN10;
    }
    // Past the mode the ratios tend to z, and H grows at most linearly, so the rest of the sum
    // is below term * (1 + 1/(n (1 - rho))) / (1 - rho) for rho = max(ratio, z).
    if (ratio < 1) {
      const rho = Math.max(ratio, z);
      if (term * (1 + 1 / (n * (1 - rho))) <= EPSILON * (1 - rho) * sum) break;
    }
  }
  return sum > 0 ? Math.exp(logScale + Math.log(sum)) : 0;
}
