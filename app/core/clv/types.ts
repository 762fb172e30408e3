// Shapes shared by the CLV models. Times (tx, T, horizons) are in the model's time unit.
import type { MinimizeOptions } from "./optimize";

export type TimeUnit = "day" | "week";

export const DAYS_PER_UNIT: Readonly<Record<TimeUnit, number>> = { day: 1, week: 7 };

/** One customer's calibration-period history as the purchase-count models see it. */
export interface FrequencyRecency {
  /** Repeat transactions: transaction days after the first. */
  x: number;
  /** Time of the last transaction, from the first (0 when x = 0). */
  tx: number;
  /** Time from the first transaction to the end of calibration. */
  T: number;
}

/** Identical customers collapsed into one row; `weight` is how many (may be fractional). */
export interface FrequencyRow extends FrequencyRecency {
  weight: number;
}

/** Input of the Gamma-Gamma spend model: customers with x > 0 and their mean repeat spend. */
export interface SpendRow {
  x: number;
  meanSpend: number;
  weight: number;
}

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface FitResult<Params> {
  params: Params;
  /** Sum over customers (weights included) of the log-likelihood at `params`. */
  logLikelihood: number;
  /** The optimiser met its tolerances and a restart could not improve the fit. */
  converged: boolean;
  /**
   * A parameter ended at the optimiser's 1e-8 / 1e8 wall: the data point to a limiting case
   * (e.g. a, b -> infinity: everyone has the same dropout probability). Forecasts remain valid.
   */
  atLimit: boolean;
  /** Customers the fit used (sum of weights). */
  customers: number;
  evaluations: number;
}

export interface FitOptions<Params> {
  /** Starting parameters; by default chosen from the data's scale. */
  start?: Partial<Params>;
  optimizer?: MinimizeOptions;
}
