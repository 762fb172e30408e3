// A small seeded random source, so synthetic data is the same on every machine and every run.
// mulberry32 for uniforms; Marsaglia–Tsang for gamma draws.
export interface Random {
  uniform(): number; // in (0, 1)
  gamma(shape: number, rate: number): number;
  beta(a: number, b: number): number;
  exponential(rate: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const value = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return value === 0 ? 1 / 8589934592 : value;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const gamma = (shape: number, rate: number): number => {
    if (shape < 1) return gamma(shape + 1, rate) * Math.pow(uniform(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = uniform();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
    }
  };
  return {
    uniform,
    gamma,
    beta(a, b) {
      const x = gamma(a, 1);
      return x / (x + gamma(b, 1));
    },
    exponential: (rate) => -Math.log(uniform()) / rate,
    pick: (items) => items[Math.floor(uniform() * items.length)],
    chance: (probability) => uniform() < probability,
  };
}

/**
 * The seed of one of many independent streams drawn from one seed (stream kind, then index):
 * murmur3's finaliser over the parts, so neighbouring indexes give unrelated sequences.
 */
export function streamSeed(seed: number, stream: number, index: number): number {
  let hash = seed >>> 0;
  for (const part of [stream, index]) {
    hash = Math.imul(hash ^ (part >>> 0), 0x9e3779b1) >>> 0;
    hash ^= hash >>> 16;
    hash = Math.imul(hash, 0x85ebca6b) >>> 0;
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
    hash ^= hash >>> 16;
  }
  return hash >>> 0;
}
