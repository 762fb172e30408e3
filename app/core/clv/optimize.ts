// A derivative-free minimiser (Nelder-Mead simplex, with the Lagarias et al. 1998 acceptance
// rules) plus restarts. The CLV likelihoods are cheap, smooth and low-dimensional (3-4
// parameters), where Nelder-Mead on log-parameters is reliable and needs no gradients. A restart
// from the best point catches the simplex collapsing onto a ridge before reaching the minimum,
// which the Pareto/NBD likelihood is prone to.

export interface MinimizeOptions {
  /** Initial simplex edge along each coordinate (one number for all). Default 0.5. */
  initialStep?: number | readonly number[];
  /**
   * Converged when the simplex's values differ by at most this (relative to 1 + |best value|)...
   * Default 1e-10.
   */
  valueTolerance?: number;
  /**
   * ...and every vertex is within this of the best one in each coordinate (relative to 1 + |that
   * coordinate|), or the values have agreed without improving for 50 iterations per dimension.
   * Default 1e-8.
   */
  pointTolerance?: number;
  /** Total budget of objective evaluations over all restarts. Default 20,000. */
  maxEvaluations?: number;
  /** Fresh simplices built around the best point after the first run converges. Default 3. */
  maxRestarts?: number;
}

export interface MinimizeResult {
  point: number[];
  value: number;
  /** True when the last run met both tolerances and a restart no longer improved the value. */
  converged: boolean;
  evaluations: number;
  iterations: number;
  restarts: number;
}

const REFLECTION = 1;
const EXPANSION = 2;
const CONTRACTION = 0.5;
const SHRINK = 0.5;
const STALL_ITERATIONS_PER_DIMENSION = 50;

/**
 * Minimises `objective` from `start`. Non-finite objective values (NaN, +-Infinity from a
 * parameter region where a model is undefined) count as +Infinity, so the simplex backs away.
 * The objective receives a scratch array it must not keep.
 */
export function minimizeNelderMead(
  objective: (point: Float64Array) => number,
  start: readonly number[],
  options: MinimizeOptions = {},
): MinimizeResult {
  const dimension = start.length;
  if (dimension === 0) throw new RangeError("minimizeNelderMead needs at least one coordinate");
  const steps = stepVector(options.initialStep ?? 0.5, dimension);
  const valueTolerance = options.valueTolerance ?? 1e-10;
  const pointTolerance = options.pointTolerance ?? 1e-8;
  const maxEvaluations = options.maxEvaluations ?? 20_000;
  const maxRestarts = options.maxRestarts ?? 3;

  let evaluations = 0;
  const evaluate = (point: Float64Array): number => {
    evaluations++;
    const value = objective(point);
    return Number.isFinite(value) || value === -Infinity ? value : Infinity;
  };

  let best: Float64Array = Float64Array.from(start);
  let bestValue = evaluate(best);
  let iterations = 0;
  let restarts = 0;
  let converged = false;

  for (let run = 0; run <= maxRestarts; run++) {
    const outcome = runSimplex(best, bestValue, steps, evaluate, {
      valueTolerance,
      pointTolerance,
      evaluationBudget: () => maxEvaluations - evaluations,
    });
    iterations += outcome.iterations;
    const improvement = bestValue - outcome.value;
    if (outcome.value < bestValue) {
      best = outcome.point;
      bestValue = outcome.value;
    }
    if (run > 0) restarts++;
    if (!outcome.converged) {
      converged = false;
      break;
    }
    // A restart that could not improve on the previous minimum confirms it.
    const confirmed = run === 0 ? maxRestarts === 0 : !(improvement > valueTolerance * (1 + Math.abs(bestValue)));
    converged = confirmed;
    if (confirmed) break;
  }

  return {
    point: Array.from(best),
    value: bestValue,
    converged: converged && Number.isFinite(bestValue),
    evaluations,
    iterations,
    restarts,
  };
}

function stepVector(step: number | readonly number[], dimension: number): Float64Array {
  if (typeof step === "number") return new Float64Array(dimension).fill(step);
  if (step.length !== dimension) throw new RangeError("initialStep must have one entry per coordinate");
  return Float64Array.from(step);
}

interface SimplexSettings {
  valueTolerance: number;
  pointTolerance: number;
  evaluationBudget: () => number;
}

interface SimplexOutcome {
  point: Float64Array;
  value: number;
  converged: boolean;
  iterations: number;
}

function runSimplex(
  start: Float64Array,
  startValue: number,
  steps: Float64Array,
  evaluate: (point: Float64Array) => number,
  settings: SimplexSettings,
): SimplexOutcome {
  const n = start.length;
  const vertices: Float64Array[] = [Float64Array.from(start)];
  const values: number[] = [startValue];
  for (let i = 0; i < n; i++) {
    const vertex = Float64Array.from(start);
    vertex[i] += steps[i];
    vertices.push(vertex);
    values.push(evaluate(vertex));
  }
  // Vertex indices kept sorted by value, best first.
  const order = vertices.map((_, index) => index);
  const centroid = new Float64Array(n);
  const reflected = new Float64Array(n);
  const trial = new Float64Array(n);

  let iterations = 0;
  let converged = false;
  // Best value and iteration of the last real improvement, for the flat-valley test below.
  let recordValue = Infinity;
  let recordIteration = 0;
  while (settings.evaluationBudget() > 0) {
    order.sort((i, j) => values[i] - values[j]);
    const bestIndex = order[0];
    const worstIndex = order[n];
    const valueTolerance = settings.valueTolerance * (1 + Math.abs(values[bestIndex]));
    if (values[bestIndex] < recordValue - valueTolerance) {
      recordValue = values[bestIndex];
      recordIteration = iterations;
    }
    if (hasConverged(vertices, values, order, settings)) {
      converged = true;
      break;
    }
    // A valley flat to within the value tolerance (a likelihood approaching a limiting case of
    // its model, plus rounding noise) lets the simplex wander without ever shrinking. When the
    // values agree and the best has not improved for many iterations, more steps cannot help.
    if (
      iterations - recordIteration > STALL_ITERATIONS_PER_DIMENSION * n &&
      values[worstIndex] - values[bestIndex] <= valueTolerance
    ) {
      converged = true;
      break;
    }
    iterations++;

    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      const vertex = vertices[order[k]];
      for (let i = 0; i < n; i++) centroid[i] += vertex[i] / n;
    }
    const worst = vertices[worstIndex];
    const along = (target: Float64Array, coefficient: number) => {
      for (let i = 0; i < n; i++) target[i] = centroid[i] + coefficient * (centroid[i] - worst[i]);
    };

    along(reflected, REFLECTION);
    const reflectedValue = evaluate(reflected);
    const bestValue = values[bestIndex];
    const secondWorstValue = values[order[n - 1]];

    if (reflectedValue < bestValue) {
      along(trial, REFLECTION * EXPANSION);
      const expandedValue = evaluate(trial);
      if (expandedValue < reflectedValue) replace(worstIndex, trial, expandedValue);
      else replace(worstIndex, reflected, reflectedValue);
      continue;
    }
    if (reflectedValue < secondWorstValue) {
      replace(worstIndex, reflected, reflectedValue);
      continue;
    }
    if (reflectedValue < values[worstIndex]) {
      // Outside contraction: between the centroid and the reflected point.
      along(trial, REFLECTION * CONTRACTION);
      const contractedValue = evaluate(trial);
      if (contractedValue <= reflectedValue) {
        replace(worstIndex, trial, contractedValue);
        continue;
      }
    } else {
      // Inside contraction: between the centroid and the worst point.
      along(trial, -CONTRACTION);
      const contractedValue = evaluate(trial);
      if (contractedValue < values[worstIndex]) {
        replace(worstIndex, trial, contractedValue);
        continue;
      }
    }
    // Shrink every vertex towards the best one.
    const bestVertex = vertices[bestIndex];
    for (let k = 1; k <= n; k++) {
      const vertex = vertices[order[k]];
      for (let i = 0; i < n; i++) vertex[i] = bestVertex[i] + SHRINK * (vertex[i] - bestVertex[i]);
      values[order[k]] = evaluate(vertex);
    }
  }

  let bestIndex = 0;
  for (let k = 1; k <= n; k++) if (values[k] < values[bestIndex]) bestIndex = k;
  return { point: vertices[bestIndex], value: values[bestIndex], converged, iterations };

  function replace(index: number, point: Float64Array, value: number): void {
    vertices[index].set(point);
    values[index] = value;
  }
}

function hasConverged(vertices: Float64Array[], values: number[], order: number[], settings: SimplexSettings): boolean {
  const bestValue = values[order[0]];
  const worstValue = values[order[order.length - 1]];
  if (!Number.isFinite(worstValue)) return false;
  if (worstValue - bestValue > settings.valueTolerance * (1 + Math.abs(bestValue))) return false;
  const best = vertices[order[0]];
  for (let k = 1; k < order.length; k++) {
    const vertex = vertices[order[k]];
    for (let i = 0; i < best.length; i++) {
      if (Math.abs(vertex[i] - best[i]) > settings.pointTolerance * (1 + Math.abs(best[i]))) return false;
    }
  }
  return true;
}
