import { describe, expect, it } from "vitest";

import { minimizeNelderMead } from "~/core/clv/optimize";

const rosenbrock = (p: Float64Array) => 100 * (p[1] - p[0] ** 2) ** 2 + (1 - p[0]) ** 2;

describe("minimizeNelderMead", () => {
  it("finds the Rosenbrock valley's minimum from the classic start", () => {
    const result = minimizeNelderMead(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.point[0]).toBeCloseTo(1, 5);
    expect(result.point[1]).toBeCloseTo(1, 5);
    expect(result.value).toBeLessThan(1e-10);
  });

  it("solves the 4-dimensional Rosenbrock function (the size of our models)", () => {
    const rosenbrock4 = (p: Float64Array) => {
      let sum = 0;
      for (let i = 0; i < 3; i++) sum += 100 * (p[i + 1] - p[i] ** 2) ** 2 + (1 - p[i]) ** 2;
      return sum;
    };
    const result = minimizeNelderMead(rosenbrock4, [-1.2, 1, -1.2, 1], { maxRestarts: 6 });
    expect(result.converged).toBe(true);
    for (const coordinate of result.point) expect(coordinate).toBeCloseTo(1, 4);
  });

  it("handles badly scaled quadratics with a known minimum", () => {
    const centre = [3, -2, 0.5, 1e-3];
    const scales = [1, 100, 1e-2, 1e4];
    const bowl = (p: Float64Array) => p.reduce((sum, value, i) => sum + scales[i] * (value - centre[i]) ** 2, 0);
    const result = minimizeNelderMead(bowl, [0, 0, 0, 0], { pointTolerance: 1e-10, valueTolerance: 1e-14 });
    expect(result.converged).toBe(true);
    result.point.forEach((value, i) => expect(value).toBeCloseTo(centre[i], 4));
  });

  it("finds Beale's function minimum at (3, 0.5)", () => {
    const beale = (p: Float64Array) => {
      const [x, y] = p;
      return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2;
    };
    const result = minimizeNelderMead(beale, [1, 1]);
    expect(result.point[0]).toBeCloseTo(3, 5);
    expect(result.point[1]).toBeCloseTo(0.5, 5);
  });

  it("treats NaN and infinite values as walls", () => {
    // Undefined for x <= 0 (like a model with a non-positive parameter); minimum at x = 2.
    const guarded = (p: Float64Array) => (p[0] <= 0 ? NaN : (Math.log(p[0]) - Math.log(2)) ** 2 + p[1] ** 2);
    const result = minimizeNelderMead(guarded, [0.1, 1], { initialStep: 1 });
    expect(result.converged).toBe(true);
    expect(result.point[0]).toBeCloseTo(2, 5);
    expect(result.point[1]).toBeCloseTo(0, 5);
  });

  it("stops in a valley that is flat along one direction instead of wandering to the budget", () => {
    // The second coordinate does not matter (like a shape-scale pair in a homogeneous limit).
    const result = minimizeNelderMead((p) => (p[0] - 1) ** 2, [4, 0]);
    expect(result.converged).toBe(true);
    expect(result.point[0]).toBeCloseTo(1, 5);
    expect(result.evaluations).toBeLessThan(2_000);
  });

  it("reports non-convergence when the evaluation budget runs out", () => {
    const result = minimizeNelderMead(rosenbrock, [-1.2, 1], { maxEvaluations: 30 });
    expect(result.converged).toBe(false);
    expect(result.evaluations).toBeLessThanOrEqual(31);
  });

  it("confirms a minimum with a restart, and can skip restarts", () => {
    const withRestarts = minimizeNelderMead(rosenbrock, [-1.2, 1]);
    expect(withRestarts.restarts).toBeGreaterThanOrEqual(1);
    const single = minimizeNelderMead((p) => (p[0] - 1) ** 2, [5], { maxRestarts: 0 });
    expect(single.converged).toBe(true);
    expect(single.restarts).toBe(0);
    expect(single.point[0]).toBeCloseTo(1, 6);
  });

  it("is deterministic and does not touch the caller's start", () => {
    const start = [-1.2, 1];
    const first = minimizeNelderMead(rosenbrock, start);
    const second = minimizeNelderMead(rosenbrock, start);
    expect(second).toEqual(first);
    expect(start).toEqual([-1.2, 1]);
  });

  it("rejects malformed input", () => {
    expect(() => minimizeNelderMead(() => 0, [])).toThrow(RangeError);
    expect(() => minimizeNelderMead(() => 0, [1, 2], { initialStep: [1] })).toThrow(RangeError);
  });
});
