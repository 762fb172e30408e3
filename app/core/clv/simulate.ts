// Deterministic random numbers and simulators for the three models: the tests recover known
// parameters from simulated customers, and demo data can use the same generators.

export interface Random {
  /** Uniform on (0, 1); never exactly 0 or 1, so logs and powers are safe. */
  uniform(): number;
  normal(): number;
  exponential(rate: number): number;
  /** Gamma with the given shape and rate (mean shape / rate). */
  gamma(shape: number, rate: number): number;
  beta(a: number, b: number): number;
}

/**
 * xoshiro128** (Blackman & Vigna) seeded through a 32-bit SplitMix-style mixer: small, fast,
 * and the same sequence on every platform, which Math.random is not.
 */
export function createRandom(seed: number): Random {
  let mixer = seed >>> 0;
  const nextSeedWord = (): number => {
    mixer = (mixer + 0x9e3779b9) >>> 0;
    let z = mixer;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = nextSeedWord();
  let s1 = nextSeedWord();
  let s2 = nextSeedWord();
  let s3 = nextSeedWord();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is a fixed point

  const rotateLeft = (value: number, bits: number): number => (value << bits) | (value >>> (32 - bits));
  const nextWord = (): number => {
    const result = Math.imul(rotateLeft(Math.imul(s1, 5), 7), 9) >>> 0;
    const shifted = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= shifted;
    s3 = rotateLeft(s3, 11);
    return result;
  };

  const uniform = (): number => {
    // 53 random bits, offset by half a step so the result is strictly inside (0, 1).
    const high = nextWord() >>> 5;
    const low = nextWord() >>> 6;
    return (high * 67_108_864 + low + 0.5) / 9_007_199_254_740_992;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const gamma = (shape: number, rate: number): number => {
    if (shape < 1) {
      // Boost: Gamma(shape) = Gamma(shape + 1) * U^(1/shape).
      return gamma(shape + 1, rate) * Math.pow(uniform(), 1 / shape);
    }
    // Marsaglia & Tsang (2000) squeeze-rejection method.
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const n = normal();
      const v = 1 + c * n;
      if (v <= 0) continue;
      const cube = v * v * v;
      if (Math.log(uniform()) < 0.5 * n * n + d - d * cube + d * Math.log(cube)) return (d * cube) / rate;
    }
  };
  return {
    uniform,
    normal,
    exponential: (rate) => -Math.log(uniform()) / rate,
    gamma,
    beta: (a, b) => {
      const left = gamma(a, 1);
      const right = gamma(b, 1);
      // Both can underflow to 0 for tiny shapes; fall back to the right mean.
      return left + right > 0 ? left / (left + right) : uniform() < a / (a + b) ? 1 : 0;
    },
  };
}

export interface SimulatedCustomer {
  x: number;
  tx: number;
  T: number;
  /** Transactions in (T, T + holdout]. */
  holdoutX: number;
}

/**
 * BG/NBD customers, one per entry of `observationLengths` (their T). Each buys at rate lambda
 * while active and, after each repeat purchase (calibration or holdout), leaves with
 * probability p.
 */
export function simulateBgNbd(
  params: { r: number; alpha: number; a: number; b: number },
  observationLengths: readonly number[],
  random: Random,
  holdout = 0,
): SimulatedCustomer[] {
  return observationLengths.map((T) => {
    const rate = random.gamma(params.r, params.alpha);
    const dropout = random.beta(params.a, params.b);
    let time = 0;
    let x = 0;
    let tx = 0;
    let holdoutX = 0;
    for (;;) {
      time += random.exponential(rate);
      if (time > T + holdout) break;
      if (time <= T) {
        x++;
        tx = time;
      } else {
        holdoutX++;
      }
      if (random.uniform() < dropout) break;
    }
    return { x, tx, T, holdoutX };
  });
}

/** Pareto/NBD customers: Poisson purchases at rate lambda until an exponential lifetime ends. */
export function simulateParetoNbd(
  params: { r: number; alpha: number; s: number; beta: number },
  observationLengths: readonly number[],
  random: Random,
  holdout = 0,
): SimulatedCustomer[] {
  return observationLengths.map((T) => {
    const rate = random.gamma(params.r, params.alpha);
    const lifetime = random.exponential(random.gamma(params.s, params.beta));
    const end = Math.min(lifetime, T + holdout);
    let time = 0;
    let x = 0;
    let tx = 0;
    let holdoutX = 0;
    for (;;) {
      time += random.exponential(rate);
      if (time > end) break;
      if (time <= T) {
        x++;
        tx = time;
      } else {
        holdoutX++;
      }
    }
    return { x, tx, T, holdoutX };
  });
}

/** Gamma-Gamma: the mean of x transaction values per customer (0 when x = 0). */
export function simulateGammaGammaSpend(
  params: { p: number; q: number; gamma: number },
  repeatCounts: readonly number[],
  random: Random,
): number[] {
  return repeatCounts.map((x) => {
    const scaleRate = random.gamma(params.q, params.gamma);
    if (x === 0) return 0;
    // The sum of x Gamma(p, nu) values is Gamma(p x, nu).
    return random.gamma(params.p * x, scaleRate) / x;
  });
}
