// Demo mode serves the embedded admin to an ordinary browser (see scripts/demo.ts). It can never
// be on in production: it signs session tokens for anyone who asks.
import { config, type Config } from "~/platform/env.server";

export function isDemoMode(settings: Pick<Config, "PERENNIAL_DEMO" | "NODE_ENV"> = config()): boolean {
  return settings.PERENNIAL_DEMO && settings.NODE_ENV !== "production";
}
