// Shopify ids are 64-bit integers; JSON.parse would round 820982911946154508 to
// 820982911946154500. Integers beyond 2^53 keep their source text instead (a string), so an id is
// always exact: read it with `shopifyId` below. Relies on JSON.parse source access (Node ≥ 21):
// below it the app refuses to start (exactJsonProblem, server.ts), and a parse that meets a large
// integer without its source throws rather than round it.
type Reviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

const keepLargeIntegers: Reviver = (_key, value, context) => {
  if (typeof value !== "number" || Number.isSafeInteger(value) || !Number.isInteger(value)) return value;
  if (context?.source === undefined)
    throw new Error(`JSON.parse gave no source text for ${value}: this Node (${process.version}) would round it`);
  return /^-?\d+$/.test(context.source) ? context.source : value;
};

export function parseExactJson(text: string): unknown {
  return JSON.parse(text, keepLargeIntegers as (key: string, value: unknown) => unknown);
}

/** Why this runtime cannot read Shopify's ids exactly, or null when it can. */
export function exactJsonProblem(): string | null {
  const probe = "9007199254740993"; // 2^53 + 1
  let kept: unknown;
  try {
    kept = parseExactJson(probe);
  } catch {
    kept = undefined;
  }
  if (kept === probe) return null;
  return (
    `Perennial cannot start on Node ${process.version}: its JSON.parse has no source access (Node 21 and ` +
    `later), so 64-bit Shopify ids above 2^53 would be rounded and orders, customers and points ` +
    `filed under the wrong ids. Start it with \`npm start\`, which runs the Node 24 of the \`node\` ` +
    `dependency (install with \`npm ci\`; --omit=dev keeps it), or with Node ≥ 22.12 on PATH.`
  );
}
