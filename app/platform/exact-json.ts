// Shopify ids are 64-bit integers; JSON.parse would round 820982911946154508 to
// 820982911946154500. Integers beyond 2^53 keep their source text instead (a string), so an id is
// always exact: read it with `shopifyId` below. Relies on JSON.parse source access (Node ≥ 21).
type Reviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

const keepLargeIntegers: Reviver = (_key, value, context) =>
  typeof value === "number" && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source)
    ? context.source
    : value;

export function parseExactJson(text: string): unknown {
  return JSON.parse(text, keepLargeIntegers as (key: string, value: unknown) => unknown);
}
