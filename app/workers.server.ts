// Every background worker of the app, started by the server (server.ts, through the build): the
// sync's, the CLV refresh's and the loyalty program's. It sits beside shopify.server.ts because it
// is the one place that knows every domain; no domain starts another's workers.
import { isDemoMode } from "~/demo/demo-mode.server";
import { startClvWorkers } from "~/insight/clv-jobs.server";
import { startLoyaltyWorkers } from "~/loyalty/jobs.server";
import { startSyncWorkers } from "~/sync/jobs.server";

export async function startBackgroundWorkers(): Promise<void> {
  await startSyncWorkers();
  await startClvWorkers();
  // The demo has no Shopify to write metafields to.
  await startLoyaltyWorkers({ metafields: !isDemoMode() });
}
