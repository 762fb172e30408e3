// Validated, column-oriented copies of the fitting rows. The likelihoods evaluate hundreds of
// times per fit; typed columns and a per-distinct-x index let each evaluation compute the
// x-only terms (log-gamma, log-beta) once per distinct x instead of once per row.
import type { FrequencyRecency, SpendRow } from "./types";

export interface PreparedFrequencyRows {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
  /** Distinct x values, ascending; `xIndex[row]` points into it. */
  distinctX: Float64Array;
  xIndex: Int32Array;
  totalWeight: number;
  /** Weighted means, used to choose scale-aware starting points. */
  meanX: number;
  meanT: number;
}

export function prepareFrequencyRows(rows: readonly (FrequencyRecency & { weight?: number })[]): PreparedFrequencyRows {
  const kept = rows.filter((row) => (row.weight ?? 1) !== 0);
  const count = kept.length;
  const prepared = {
    x: new Float64Array(count),
    tx: new Float64Array(count),
    T: new Float64Array(count),
    weight: new Float64Array(count),
    xIndex: new Int32Array(count),
  };
  let totalWeight = 0;
  let weightedX = 0;
  let weightedT = 0;
  kept.forEach((row, i) => {
    const weight = row.weight ?? 1;
    const { x, tx, T } = row;
    if (!(weight > 0) || !Number.isFinite(weight)) throw new RangeError(`Row ${i}: weight must be positive`);
    if (!Number.isInteger(x) || x < 0) throw new RangeError(`Row ${i}: x must be a whole number >= 0`);
    if (!(T >= 0) || !Number.isFinite(T)) throw new RangeError(`Row ${i}: T must be finite and >= 0`);
    if (!(tx >= 0) || tx > T) throw new RangeError(`Row ${i}: tx must lie in [0, T]`);
    if (x === 0 && tx !== 0) throw new RangeError(`Row ${i}: tx must be 0 when x is 0`);
    prepared.x[i] = x;
    prepared.tx[i] = tx;
    prepared.T[i] = T;
    prepared.weight[i] = weight;
    totalWeight += weight;
    weightedX += weight * x;
    weightedT += weight * T;
  });
  const { distinctX, xIndex } = indexDistinct(prepared.x, prepared.xIndex);
  return {
    ...prepared,
    distinctX,
    xIndex,
    totalWeight,
    meanX: totalWeight > 0 ? weightedX / totalWeight : 0,
    meanT: totalWeight > 0 ? weightedT / totalWeight : 0,
  };
}

export interface PreparedSpendRows {
  x: Float64Array;
  meanSpend: Float64Array;
  weight: Float64Array;
  distinctX: Float64Array;
  xIndex: Int32Array;
  totalWeight: number;
  /** Weighted mean of the mean spends, for the starting point. */
  averageSpend: number;
}

export function prepareSpendRows(rows: readonly SpendRow[]): PreparedSpendRows {
  const kept = rows.filter((row) => row.weight !== 0);
  const count = kept.length;
  const x = new Float64Array(count);
  const meanSpend = new Float64Array(count);
  const weight = new Float64Array(count);
  let totalWeight = 0;
  let weightedSpend = 0;
  kept.forEach((row, i) => {
    if (!(row.weight > 0) || !Number.isFinite(row.weight)) throw new RangeError(`Row ${i}: weight must be positive`);
    if (!Number.isInteger(row.x) || row.x < 1) throw new RangeError(`Row ${i}: x must be a whole number >= 1`);
    if (!(row.meanSpend > 0) || !Number.isFinite(row.meanSpend)) {
      throw new RangeError(`Row ${i}: meanSpend must be positive`);
    }
    x[i] = row.x;
    meanSpend[i] = row.meanSpend;
    weight[i] = row.weight;
    totalWeight += row.weight;
    weightedSpend += row.weight * row.meanSpend;
  });
  const { distinctX, xIndex } = indexDistinct(x, new Int32Array(count));
  return {
    x,
    meanSpend,
    weight,
    distinctX,
    xIndex,
    totalWeight,
    averageSpend: totalWeight > 0 ? weightedSpend / totalWeight : 0,
  };
}

function indexDistinct(values: Float64Array, index: Int32Array): { distinctX: Float64Array; xIndex: Int32Array } {
  const distinct = Float64Array.from(new Set(values)).sort();
  const position = new Map<number, number>();
  distinct.forEach((value, i) => position.set(value, i));
  for (let i = 0; i < values.length; i++) index[i] = position.get(values[i]) ?? 0;
  return { distinctX: distinct, xIndex: index };
}
