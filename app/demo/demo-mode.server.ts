// Demo mode serves the embedded admin to an ordinary browser (see scripts/demo.ts). It can never
// be on in production: it signs session tokens for anyone who asks.
export function isDemoMode(env: Record<string, string | undefined> = process.env): boolean {
  return env.PERENNIAL_DEMO === "1" && env.NODE_ENV !== "production";
}
