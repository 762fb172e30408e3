// Shared maximum-likelihood driver: Nelder-Mead over unconstrained coordinates that each model
// maps to its positive parameters.
import { minimizeNelderMead, type MinimizeOptions } from "./optimize";

/**
 * Parameters are kept within [1e-8, 1e8]. Small shops' data often carry no evidence of
 * heterogeneity in one process (dropout, say); the likelihood then keeps rising, ever more
 * slowly, as a shape and a scale parameter grow together. Each model's coordinates put that
 * ridge along one axis (e.g. log(a + b) with a / b fixed), so the simplex expands along it and
 * stops at the wall instead of creeping until its budget runs out. At 1e8 the model is
 * indistinguishable from its homogeneous limit, and the forecasts handle such values.
 */
const LOWER = 1e-8;
const UPPER = 1e8;

export interface Coordinates {
  /** Unconstrained coordinates of a parameter vector. */
  fromParameters(values: readonly number[]): number[];
  /** Writes the parameters for `theta` into `values`. */
  toParameters(theta: Float64Array, values: Float64Array): void;
}

export interface MaximumLikelihoodResult {
  values: number[];
  logLikelihood: number;
  converged: boolean;
  evaluations: number;
  /** Some parameter ended at the 1e-8 or 1e8 wall: the data favour a limiting case of the model. */
  atLimit: boolean;
}

export function maximizeLikelihood(
  logLikelihood: (values: Float64Array) => number,
  start: readonly number[],
  customers: number,
  coordinates: Coordinates,
  optimizer: MinimizeOptions = {},
): MaximumLikelihoodResult {
  const values = new Float64Array(start.length);
  const result = minimizeNelderMead(
    (theta) => {
      coordinates.toParameters(theta, values);
      for (const value of values) if (!(value >= LOWER && value <= UPPER)) return Infinity;
      // Per customer, so the tolerances mean the same for 100 customers as for a million.
      return -logLikelihood(values) / customers;
    },
    coordinates.fromParameters(start),
    { valueTolerance: 1e-12, pointTolerance: 1e-7, ...optimizer },
  );
  coordinates.toParameters(Float64Array.from(result.point), values);
  const nearWall = (value: number) => value < LOWER * 1.01 || value > UPPER / 1.01;
  return {
    values: Array.from(values),
    logLikelihood: -result.value * customers,
    converged: result.converged,
    evaluations: result.evaluations,
    atLimit: values.some(nearWall),
  };
}
