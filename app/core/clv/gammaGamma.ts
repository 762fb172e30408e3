// Gamma-Gamma spend model: Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value".
// Each transaction's value is Gamma(p, nu); across customers nu ~ Gamma(q, gamma). Given x repeat
// transactions with mean zbar, x * zbar ~ Gamma(p x, nu), and integrating nu out gives
//   log f(zbar | x) = log Gamma(p x + q) - log Gamma(p x) - log Gamma(q) + q log gamma
//                   + p x log x + (p x - 1) log zbar - (p x + q) log(gamma + x zbar).
// The model assumes spend is independent of purchase frequency; fit it on repeat buyers only.
import { maximizeLikelihood, type Coordinates } from "./mle";
import { prepareSpendRows, type PreparedSpendRows } from "./preparedRows";
import { logGamma, logGammaRatio } from "./special";
import type { FitOptions, FitResult, GammaGammaParams, SpendRow } from "./types";

/** Sum over weighted rows (x >= 1, meanSpend > 0) of the Gamma-Gamma log-likelihood. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, rows: readonly SpendRow[]): number {
  return gammaGammaLogLikelihoodOf(prepareSpendRows(rows))(params.p, params.q, params.gamma);
}

function gammaGammaLogLikelihoodOf(data: PreparedSpendRows): (p: number, q: number, gamma: number) => number {
  const distinct = data.distinctX.length;
  const shapeTerm = new Float64Array(distinct);
  return (p, q, gamma) => {
    if (!(p > 0 && q > 0 && gamma > 0)) return NaN;
    for (let k = 0; k < distinct; k++) {
      const x = data.distinctX[k];
      shapeTerm[k] = logGammaRatio(q, p * x) - logGamma(p * x) + p * x * Math.log(x);
    }
    let total = 0;
    const { x, meanSpend, weight, xIndex } = data;
    for (let i = 0; i < x.length; i++) {
      const shape = p * x[i];
      const spend = meanSpend[i];
      // q log gamma - (px + q) log(gamma + x zbar), rearranged to keep its precision as q and
      // gamma grow together (every customer spending alike).
      const scaleTerm = -q * Math.log1p((x[i] * spend) / gamma) - shape * Math.log(gamma + x[i] * spend);
      total += weight[i] * (shapeTerm[xIndex[i]] + (shape - 1) * Math.log(spend) + scaleTerm);
    }
    return total;
  };
}

/**
 * Optimiser coordinates [log p, log q, log(q/gamma)]: q/gamma is the mean of nu, and the limit
 * where every customer has the same nu lies along the q axis.
 */
const gammaGammaCoordinates: Coordinates = {
  fromParameters: ([p, q, gamma]) => [Math.log(p), Math.log(q), Math.log(q / gamma)],
  toParameters: (theta, values) => {
    values[0] = Math.exp(theta[0]);
    values[1] = Math.exp(theta[1]);
    values[2] = Math.exp(theta[1] - theta[2]);
  },
};

/** Maximum-likelihood fit (Nelder-Mead in the coordinates above; see mle.ts). */
export function fitGammaGamma(
  rows: readonly SpendRow[],
  options: FitOptions<GammaGammaParams> = {},
): FitResult<GammaGammaParams> {
  const data = prepareSpendRows(rows);
  if (data.totalWeight === 0) throw new RangeError("fitGammaGamma needs at least one repeat buyer");
  const logLikelihood = gammaGammaLogLikelihoodOf(data);
  // p = 1, q = 2 put the population mean spend p gamma / (q - 1) at gamma: start it at the data's.
  const start: GammaGammaParams = { p: 1, q: 2, gamma: data.averageSpend, ...options.start };
  const fit = maximizeLikelihood(
    (v) => logLikelihood(v[0], v[1], v[2]),
    [start.p, start.q, start.gamma],
    data.totalWeight,
    gammaGammaCoordinates,
    options.optimizer,
  );
  const [p, q, gamma] = fit.values;
  return {
    params: { p, q, gamma },
    logLikelihood: fit.logLikelihood,
    converged: fit.converged,
    atLimit: fit.atLimit,
    customers: data.totalWeight,
    evaluations: fit.evaluations,
  };
}

/**
 * Expected value of a customer's future transactions given x repeat transactions with mean
 * `meanSpend`: p (gamma + x zbar) / (p x + q - 1), a weighted average of the population mean
 * p gamma / (q - 1) and the customer's own mean. For x = 0 that is the population mean, which
 * is infinite when q <= 1 (returned as NaN so callers fall back to an empirical figure).
 */
export function gammaGammaExpectedAverageSpend(params: GammaGammaParams, x: number, meanSpend: number): number {
  const { p, q, gamma } = params;
  const ownWeight = x > 0 ? x * meanSpend : 0;
  const denominator = p * x + q - 1;
  return denominator > 0 ? (p * (gamma + ownWeight)) / denominator : NaN;
}
