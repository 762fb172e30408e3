// Per-customer forecasts from fitted models, one at a time or in bulk. The bulk path writes into
// typed arrays the caller may reuse and allocates nothing per customer: a million customers
// score in about half a second.
import { bgNbdExpectedTransactionsIfAlive, bgNbdProbabilityAlive } from "./bgNbd";
import { gammaGammaExpectedAverageSpend } from "./gammaGamma";
import { paretoNbdExpectedTransactionsIfAlive, paretoNbdProbabilityAlive } from "./paretoNbd";
import { DAYS_PER_UNIT, type BgNbdParams, type GammaGammaParams, type ParetoNbdParams, type TimeUnit } from "./types";

export type PurchaseModel = { kind: "bg-nbd"; params: BgNbdParams } | { kind: "pareto-nbd"; params: ParetoNbdParams };

/** Everything needed to score customers: a purchase-count model and, optionally, a spend model. */
export interface ClvModel {
  /** The unit the parameters (and customers' tx and T) are measured in. */
  timeUnit: TimeUnit;
  purchases: PurchaseModel;
  /** Null when there were too few repeat buyers to fit spend. */
  spend: GammaGammaParams | null;
}

export interface CustomerHistory {
  x: number;
  tx: number;
  T: number;
  /** Mean repeat-transaction value; 0 (or absent) when x = 0. */
  meanRepeatSpend?: number;
}

export interface CustomerForecast {
  /** Expected orders in the next `horizonDays`. */
  expectedOrders: number;
  probabilityAlive: number;
  /** Expected value per future order; NaN without a spend model (or when it has no finite mean). */
  expectedOrderValue: number;
  /** expectedOrders * expectedOrderValue. */
  expectedSpend: number;
}

export function forecastCustomer(model: ClvModel, customer: CustomerHistory, horizonDays: number): CustomerForecast {
  const t = horizonInUnits(model, horizonDays);
  const { x, tx, T } = customer;
  let probabilityAlive: number;
  let expectedOrders: number;
  if (model.purchases.kind === "bg-nbd") {
    probabilityAlive = bgNbdProbabilityAlive(model.purchases.params, x, tx, T);
    expectedOrders = probabilityAlive * bgNbdExpectedTransactionsIfAlive(model.purchases.params, t, x, T);
  } else {
    probabilityAlive = paretoNbdProbabilityAlive(model.purchases.params, x, tx, T);
    expectedOrders = probabilityAlive * paretoNbdExpectedTransactionsIfAlive(model.purchases.params, t, x, T);
  }
  const expectedOrderValue = model.spend
    ? gammaGammaExpectedAverageSpend(model.spend, x, customer.meanRepeatSpend ?? 0)
    : NaN;
  return { expectedOrders, probabilityAlive, expectedOrderValue, expectedSpend: expectedOrders * expectedOrderValue };
}

export interface CustomerColumns {
  x: ArrayLike<number>;
  tx: ArrayLike<number>;
  T: ArrayLike<number>;
  meanRepeatSpend?: ArrayLike<number>;
}

export interface ForecastColumns {
  expectedOrders: Float64Array;
  probabilityAlive: Float64Array;
  expectedOrderValue: Float64Array;
  expectedSpend: Float64Array;
}

/**
 * Scores many customers at once. Pass `into` (arrays at least as long as the input) to reuse
 * memory across calls; otherwise new arrays are allocated once for the whole batch.
 */
export function forecastCustomers(
  model: ClvModel,
  customers: CustomerColumns,
  horizonDays: number,
  into?: ForecastColumns,
): ForecastColumns {
  const count = customers.x.length;
  if (customers.tx.length !== count || customers.T.length !== count) {
    throw new RangeError("x, tx and T must have the same length");
  }
  if (into && Object.values(into).some((column: Float64Array) => column.length < count)) {
    throw new RangeError("Every output column must hold at least as many entries as there are customers");
  }
  const out = into ?? {
    expectedOrders: new Float64Array(count),
    probabilityAlive: new Float64Array(count),
    expectedOrderValue: new Float64Array(count),
    expectedSpend: new Float64Array(count),
  };
  const t = horizonInUnits(model, horizonDays);
  const { x, tx, T } = customers;
  const spendMeans = customers.meanRepeatSpend;
  const spend = model.spend;

  // One branch per model outside the loop keeps the loop body monomorphic.
  if (model.purchases.kind === "bg-nbd") {
    const params = model.purchases.params;
    for (let i = 0; i < count; i++) {
      const alive = bgNbdProbabilityAlive(params, x[i], tx[i], T[i]);
      out.probabilityAlive[i] = alive;
      out.expectedOrders[i] = alive * bgNbdExpectedTransactionsIfAlive(params, t, x[i], T[i]);
    }
  } else {
    const params = model.purchases.params;
    for (let i = 0; i < count; i++) {
      const alive = paretoNbdProbabilityAlive(params, x[i], tx[i], T[i]);
      out.probabilityAlive[i] = alive;
      out.expectedOrders[i] = alive * paretoNbdExpectedTransactionsIfAlive(params, t, x[i], T[i]);
    }
  }
  for (let i = 0; i < count; i++) {
    const orderValue = spend ? gammaGammaExpectedAverageSpend(spend, x[i], spendMeans ? spendMeans[i] : 0) : NaN;
    out.expectedOrderValue[i] = orderValue;
    out.expectedSpend[i] = out.expectedOrders[i] * orderValue;
  }
  return out;
}

function horizonInUnits(model: ClvModel, horizonDays: number): number {
  if (!(horizonDays >= 0)) throw new RangeError("horizonDays must be >= 0");
  return horizonDays / DAYS_PER_UNIT[model.timeUnit];
}
