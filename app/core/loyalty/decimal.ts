// Exact decimals for loyalty settings. An earn rate of 0.1 is 1/10 here, never the binary float
// 0.1000000000000000055…, so 0.1 points per unit on 1000 cents is exactly 1 point, and products
// of rates and multipliers are computed in bigint before the single floor.

/** A non-negative decimal as numerator / 10^decimalPlaces. */
export interface ExactDecimal {
  numerator: bigint;
  denominator: bigint;
}

export type DecimalProblem = "notANumber" | "negative" | "tooManyDecimals";

const plainDecimal = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Reads "0.1", "12.50" or a JS number such as 0.1 (through its shortest decimal spelling, which
 * is what a person typed). Exponent spellings (1e-7) are refused: no one types them in a form.
 */
export function readDecimal(
  value: string | number,
  maxDecimals: number,
): { ok: true; value: ExactDecimal } | { ok: false; problem: DecimalProblem } {
  if (typeof value === "number" && !Number.isFinite(value)) return { ok: false, problem: "notANumber" };
  const text = typeof value === "number" ? String(value) : value.trim();
  const match = plainDecimal.exec(text);
  if (!match) return { ok: false, problem: "notANumber" };
  const [, sign, whole, fraction = ""] = match;
  const digits = fraction.replace(/0+$/, "");
  if (digits.length > maxDecimals) return { ok: false, problem: "tooManyDecimals" };
  const denominator = 10n ** BigInt(digits.length);
  const numerator = BigInt(whole) * denominator + BigInt(digits || "0");
  if (sign === "-" && numerator !== 0n) return { ok: false, problem: "negative" };
  return { ok: true, value: { numerator, denominator } };
}

/** For values already validated (settings, stored entries): throws on anything else. */
export function parseDecimal(text: string): ExactDecimal {
  const read = readDecimal(text, 18);
  if (!read.ok) throw new Error(`Not a decimal: ${JSON.stringify(text)}`);
  return read.value;
}

/** Shortest spelling: "0.1", "2", "1.25". */
export function formatDecimal(value: ExactDecimal, minDecimals = 0): string {
  let places = 0;
  for (let scale = value.denominator; scale > 1n; scale /= 10n) places++;
  const whole = value.numerator / value.denominator;
  let fraction = (value.numerator % value.denominator).toString().padStart(places, "0").replace(/0+$/, "");
  if (fraction.length < minDecimals) fraction = fraction.padEnd(minDecimals, "0");
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

export function compareDecimals(left: ExactDecimal, right: ExactDecimal): number {
  const difference = left.numerator * right.denominator - right.numerator * left.denominator;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** A money amount with at most two decimals, in cents. */
export function decimalToCents(text: string): number {
  const { numerator, denominator } = parseDecimal(text);
  return Number((numerator * 100n) / denominator);
}

/**
 * Points for a spend: floor(spendCents × earnRate × tierMultiplier / 100), one floor at the end so
 * a 1.5× multiplier on 0.1 points per unit cannot lose a point to an intermediate rounding.
 */
export function pointsForSpend(spendCents: number, earnRate: string, tierMultiplier: string): number {
  if (!Number.isSafeInteger(spendCents)) throw new Error(`Spend must be whole cents: ${spendCents}`);
  if (spendCents <= 0) return 0;
  const rate = parseDecimal(earnRate);
  const multiplier = parseDecimal(tierMultiplier);
  const points =
    (BigInt(spendCents) * rate.numerator * multiplier.numerator) / (100n * rate.denominator * multiplier.denominator);
  if (points > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`Too many points to count exactly: ${points}`);
  return Number(points);
}
