// BG/NBD: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way". While active, a
// customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha); after each repeat
// purchase they drop out with probability p ~ Beta(a, b).
import { maximizeLikelihood, type Coordinates } from "./mle";
import { prepareFrequencyRows, type PreparedFrequencyRows } from "./preparedRows";
import { bgNbdForecastBracket, fillLogRisingFactorial, logAddExp } from "./special";
import type { BgNbdParams, FitOptions, FitResult, FrequencyRecency } from "./types";

/**
 * Log-likelihood (eq. 6 of the paper, in log space) summed over weighted rows:
 *   log L = log Gamma(r+x) - log Gamma(r) + r log alpha
 *         + logsumexp( log B(a, b+x) - log B(a, b) - (r+x) log(alpha+T),
 *                      [x > 0] log B(a+1, b+x-1) - log B(a, b) - (r+x) log(alpha+t_x) ).
 * Nothing overflows at large x or underflows when a + b < 1, and the two terms are added in log
 * space. The gamma and beta ratios are taken as sums over j < x (see fillLogRisingFactorial) and
 * r log alpha - (r+x) log(alpha+T) as -r log1p(T/alpha) - x log(alpha+T), so the value keeps
 * its precision when the fit approaches a homogeneous limit (r, a, b in the millions).
 */
export function bgNbdLogLikelihood(
  params: BgNbdParams,
  rows: readonly (FrequencyRecency & { weight?: number })[],
): number {
  return bgNbdLogLikelihoodOf(prepareFrequencyRows(rows))(params.r, params.alpha, params.a, params.b);
}

/** Builds a fast evaluator over prepared rows; reuses its scratch space between calls. */
function bgNbdLogLikelihoodOf(data: PreparedFrequencyRows): (r: number, alpha: number, a: number, b: number) => number {
  const distinct = data.distinctX.length;
  const purchaseTerm = new Float64Array(distinct); // log Gamma(r+x) - log Gamma(r)
  const aliveTerm = new Float64Array(distinct); // log B(a, b+x) - log B(a, b)
  const droppedTerm = new Float64Array(distinct); // log B(a+1, b+x-1) - log B(a, b)
  const scratch = new Float64Array(distinct);
  return (r, alpha, a, b) => {
    if (!(r > 0 && alpha > 0 && a > 0 && b > 0)) return NaN;
    const counts = data.distinctX;
    fillLogRisingFactorial(r, counts, purchaseTerm);
    // B(a, b+x) / B(a, b) = (b)_x / (a+b)_x, and B(a+1, b+x-1) = B(a, b+x) * a / (b+x-1).
    fillLogRisingFactorial(b, counts, aliveTerm);
    fillLogRisingFactorial(a + b, counts, scratch);
    const logA = Math.log(a);
    for (let k = 0; k < distinct; k++) {
      aliveTerm[k] -= scratch[k];
      droppedTerm[k] = counts[k] > 0 ? aliveTerm[k] + logA - Math.log(b + counts[k] - 1) : -Infinity;
    }
    let total = 0;
    const { x, tx, T, weight, xIndex } = data;
    for (let i = 0; i < x.length; i++) {
      const k = xIndex[i];
      const stillAlive = aliveTerm[k] - r * Math.log1p(T[i] / alpha) - x[i] * Math.log(alpha + T[i]);
      const droppedOut =
        x[i] > 0 ? droppedTerm[k] - r * Math.log1p(tx[i] / alpha) - x[i] * Math.log(alpha + tx[i]) : -Infinity;
      total += weight[i] * (purchaseTerm[k] + logAddExp(stillAlive, droppedOut));
    }
    return total;
  };
}

/**
 * Optimiser coordinates [log r, log(r/alpha), log(a+b), log(a/b)]: the mean purchase rate r/alpha
 * and the mean dropout probability a/(a+b) are what the data determine best, and the
 * homogeneous limits (r -> infinity, a + b -> infinity) each lie along a single axis.
 */
const bgNbdCoordinates: Coordinates = {
  fromParameters: ([r, alpha, a, b]) => [Math.log(r), Math.log(r / alpha), Math.log(a + b), Math.log(a / b)],
  toParameters: (theta, values) => {
    const total = Math.exp(theta[2]);
    values[0] = Math.exp(theta[0]);
    values[1] = Math.exp(theta[0] - theta[1]);
    values[2] = total / (1 + Math.exp(-theta[3]));
    values[3] = total / (1 + Math.exp(theta[3]));
  },
};

/** Maximum-likelihood fit (Nelder-Mead in the coordinates above; see mle.ts). */
export function fitBgNbd(
  rows: readonly (FrequencyRecency & { weight?: number })[],
  options: FitOptions<BgNbdParams> = {},
): FitResult<BgNbdParams> {
  const data = prepareFrequencyRows(rows);
  if (data.totalWeight === 0) throw new RangeError("fitBgNbd needs at least one customer");
  const logLikelihood = bgNbdLogLikelihoodOf(data);
  // A population rate r/alpha equal to the observed repeat rate is a scale-aware start, so the
  // same defaults work for days and weeks.
  const start: BgNbdParams = {
    r: 1,
    alpha: data.meanX > 0 ? Math.max(data.meanT, 1e-6) / data.meanX : Math.max(data.meanT, 1),
    a: 1,
    b: 1,
    ...options.start,
  };
  const fit = maximizeLikelihood(
    (v) => logLikelihood(v[0], v[1], v[2], v[3]),
    [start.r, start.alpha, start.a, start.b],
    data.totalWeight,
    bgNbdCoordinates,
    options.optimizer,
  );
  const [r, alpha, a, b] = fit.values;
  return {
    params: { r, alpha, a, b },
    logLikelihood: fit.logLikelihood,
    converged: fit.converged,
    atLimit: fit.atLimit,
    customers: data.totalWeight,
    evaluations: fit.evaluations,
  };
}

/** Probability that a customer with this history is still active at T (paper's eq. 13). */
export function bgNbdProbabilityAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * Expected transactions in (T, T + t] for a customer with history (x, tx, T): the paper's
 * eq. 10, evaluated as the positive-term sum in special.ts (bgNbdForecastBracket).
 */
export function bgNbdExpectedTransactions(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  return bgNbdExpectedTransactionsIfAlive(params, t, x, T) * bgNbdProbabilityAlive(params, x, tx, T);
}

/** Eq. 10 without its P(alive) factor, for callers that already have P(alive). */
export function bgNbdExpectedTransactionsIfAlive(params: BgNbdParams, t: number, x: number, T: number): number {
  if (t <= 0) return 0;
  const { r, alpha, a, b } = params;
  const z = t / (alpha + T + t);
  const logOneMinusZ = -Math.log1p(t / (alpha + T));
  return bgNbdForecastBracket(r, a, b, x, z, logOneMinusZ);
}

/** Expected transactions in (0, t] for a customer picked at random at their first purchase (eq. 9). */
export function bgNbdUnconditionalExpectedTransactions(params: BgNbdParams, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, a, b } = params;
  return bgNbdForecastBracket(r, a, b, 0, t / (alpha + t), -Math.log1p(t / alpha));
}
