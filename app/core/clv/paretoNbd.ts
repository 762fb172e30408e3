// Pareto/NBD: Schmittlein, Morrison & Colombo (1987). While active, a customer buys as a Poisson
// process with rate lambda ~ Gamma(r, alpha); their lifetime is exponential with rate
// mu ~ Gamma(s, beta).
//
// The likelihood of (x, t_x, T), integrated over lambda and mu, is
//   Gamma(r+x) alpha^r beta^s / Gamma(r)
//     * [ (alpha+T)^-(r+x) (beta+T)^-s  +  s * I ],
//   I = integral over tau in [t_x, T] of (alpha+tau)^-(r+x) (beta+tau)^-(s+1),
// the first term for "still alive at T", the second for "died at tau after the last purchase".
// Fader & Hardie's note (2005) writes I with Gauss hypergeometric functions. We evaluate the same
// quantity as follows. With A = max(alpha, beta) carrying exponent p, B = min carrying exponent q
// (p, q = r+x, s+1 in the matching order), m = r+s+x and z(y) = (A-B)/(A+y), substituting
// v = (A-B)/(A+tau) gives
//   I = E(t_x) - E(T),
//   E(y) = (A+y)^-m (1-z)^(1-q) / m * 2F1(1, m+1-q; m+1; z),
// an incomplete beta function B_z(m, 1-q) rescaled. That form has all-positive terms, a
// continued fraction that converges fast even as z -> 1, no division by A - B (so alpha = beta is
// fine), and it is taken in log space: log I = log E(t_x) + log(1 - E(T)/E(t_x)).
//
// Both terms are computed already multiplied by alpha^r beta^s, so that r log alpha and
// -(r+x) log(alpha+y) combine into -r log1p(y/alpha) - x log(alpha+y) (likewise for s, beta):
// without that, the homogeneous limits (r or s near 1e8) would cancel ten-digit numbers.
import { maximizeLikelihood, type Coordinates } from "./mle";
import { prepareFrequencyRows, type PreparedFrequencyRows } from "./preparedRows";
import { expDecayIntegral, fillLogRisingFactorial, hypergeometricOneBC, logAddExp, logOneMinusExp } from "./special";
import type { FitOptions, FitResult, FrequencyRecency, ParetoNbdParams } from "./types";

/** log of alpha^r beta^s (alpha+T)^-(r+x) (beta+T)^-s: the "alive at T" term. */
function logAliveTerm(r: number, alpha: number, s: number, beta: number, x: number, T: number): number {
  return -r * Math.log1p(T / alpha) - s * Math.log1p(T / beta) - x * Math.log(alpha + T);
}

/** log of alpha^r beta^s E(y), E(y) as in the header comment. */
function logEndpoint(r: number, alpha: number, s: number, beta: number, x: number, y: number): number {
  const m = r + s + x;
  const common = -r * Math.log1p(y / alpha) - s * Math.log1p(y / beta) - x * Math.log(alpha + y) - Math.log(m);
  if (alpha >= beta) {
    // q = s + 1: (alpha+y)^-m (1-z)^-s = (alpha+y)^-(r+x) (beta+y)^-s.
    const z = (alpha - beta) / (alpha + y);
    return common + Math.log(hypergeometricOneBC(r + x, m + 1, z));
  }
  // q = r + x: (beta+y)^-m (1-z)^(1-r-x) = (alpha+y)^(1-r-x) (beta+y)^-(s+1).
  const z = (beta - alpha) / (beta + y);
  return common + Math.log(alpha + y) - Math.log(beta + y) + Math.log(hypergeometricOneBC(s + 1, m + 1, z));
}

/** log of alpha^r beta^s I, the death-after-last-purchase integral over [tx, T]. */
function logDeathTerm(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  tx: number,
  T: number,
  logAtTx: number = NaN,
): number {
  if (!(T > tx)) return -Infinity;
  const atTx = Number.isNaN(logAtTx) ? logEndpoint(r, alpha, s, beta, x, tx) : logAtTx;
  const difference = logEndpoint(r, alpha, s, beta, x, T) - atTx;
  // Rounding can make the two ends equal when T - tx is negligible; the integral is then ~0.
  return difference < 0 ? atTx + logOneMinusExp(difference) : -Infinity;
}

/** Sum over weighted rows of the Pareto/NBD log-likelihood. */
export function paretoNbdLogLikelihood(
  params: ParetoNbdParams,
  rows: readonly (FrequencyRecency & { weight?: number })[],
): number {
  return paretoNbdLogLikelihoodOf(prepareFrequencyRows(rows))(params.r, params.alpha, params.s, params.beta);
}

function paretoNbdLogLikelihoodOf(
  data: PreparedFrequencyRows,
): (r: number, alpha: number, s: number, beta: number) => number {
  const distinct = data.distinctX.length;
  const purchaseTerm = new Float64Array(distinct); // log Gamma(r+x) - log Gamma(r)
  // The endpoint at y = 0 depends only on x; every x = 0 customer (often most) shares one value.
  const endpointAtZero = new Float64Array(distinct);
  return (r, alpha, s, beta) => {
    if (!(r > 0 && alpha > 0 && s > 0 && beta > 0)) return NaN;
    fillLogRisingFactorial(r, data.distinctX, purchaseTerm);
    endpointAtZero.fill(NaN);
    const logS = Math.log(s);
    let total = 0;
    const { x, tx, T, weight, xIndex } = data;
    for (let i = 0; i < x.length; i++) {
      const k = xIndex[i];
      let atTx = NaN;
      if (tx[i] === 0 && T[i] > 0) {
        if (Number.isNaN(endpointAtZero[k])) endpointAtZero[k] = logEndpoint(r, alpha, s, beta, x[i], 0);
        atTx = endpointAtZero[k];
      }
      const alive = logAliveTerm(r, alpha, s, beta, x[i], T[i]);
      const died = logS + logDeathTerm(r, alpha, s, beta, x[i], tx[i], T[i], atTx);
      total += weight[i] * (purchaseTerm[k] + logAddExp(alive, died));
    }
    return total;
  };
}

/**
 * Optimiser coordinates [log r, log(r/alpha), log s, log(s/beta)]: the mean purchase and dropout
 * rates are well determined, and the homogeneous limits lie along the r and s axes.
 */
const paretoNbdCoordinates: Coordinates = {
  fromParameters: ([r, alpha, s, beta]) => [Math.log(r), Math.log(r / alpha), Math.log(s), Math.log(s / beta)],
  toParameters: (theta, values) => {
    values[0] = Math.exp(theta[0]);
    values[1] = Math.exp(theta[0] - theta[1]);
    values[2] = Math.exp(theta[2]);
    values[3] = Math.exp(theta[2] - theta[3]);
  },
};

/** Maximum-likelihood fit (Nelder-Mead in the coordinates above; see mle.ts). */
export function fitParetoNbd(
  rows: readonly (FrequencyRecency & { weight?: number })[],
  options: FitOptions<ParetoNbdParams> = {},
): FitResult<ParetoNbdParams> {
  const data = prepareFrequencyRows(rows);
  if (data.totalWeight === 0) throw new RangeError("fitParetoNbd needs at least one customer");
  const logLikelihood = paretoNbdLogLikelihoodOf(data);
  const timeScale = Math.max(data.meanT, 1e-6);
  const start: ParetoNbdParams = {
    r: 1,
    alpha: data.meanX > 0 ? timeScale / data.meanX : timeScale,
    s: 1,
    beta: timeScale,
    ...options.start,
  };
  const fit = maximizeLikelihood(
    (v) => logLikelihood(v[0], v[1], v[2], v[3]),
    [start.r, start.alpha, start.s, start.beta],
    data.totalWeight,
    paretoNbdCoordinates,
    options.optimizer,
  );
  const [r, alpha, s, beta] = fit.values;
  return {
    params: { r, alpha, s, beta },
    logLikelihood: fit.logLikelihood,
    converged: fit.converged,
    atLimit: fit.atLimit,
    customers: data.totalWeight,
    evaluations: fit.evaluations,
  };
}

/** Probability that a customer with this history is still active at T. */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = params;
  const alive = logAliveTerm(r, alpha, s, beta, x, T);
  const died = Math.log(s) + logDeathTerm(r, alpha, s, beta, x, tx, T);
  return Math.exp(alive - logAddExp(alive, died));
}

/**
 * Expected transactions in (T, T + t]: P(alive) times the mean of lambda (1 - e^(-mu t)) / mu
 * under the alive-customer posterior lambda ~ Gamma(r+x, alpha+T), mu ~ Gamma(s, beta+T).
 */
export function paretoNbdExpectedTransactions(
  params: ParetoNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  return paretoNbdExpectedTransactionsIfAlive(params, t, x, T) * paretoNbdProbabilityAlive(params, x, tx, T);
}

/** The forecast without its P(alive) factor, for callers that already have P(alive). */
export function paretoNbdExpectedTransactionsIfAlive(params: ParetoNbdParams, t: number, x: number, T: number): number {
  if (t <= 0) return 0;
  const { r, alpha, s, beta } = params;
  return ((r + x) / (alpha + T)) * (beta + T) * expDecayIntegral(s - 1, Math.log1p(t / (beta + T)));
}

/** Expected transactions in (0, t] for a customer picked at random at their first purchase. */
export function paretoNbdUnconditionalExpectedTransactions(params: ParetoNbdParams, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, s, beta } = params;
  return (r / alpha) * beta * expDecayIntegral(s - 1, Math.log1p(t / beta));
}
