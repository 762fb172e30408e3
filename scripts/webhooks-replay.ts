// `npm run webhooks:replay [-- --shop SHOP] [--id N]`: re-ingests the quarantined webhook deliveries
// (every one, one shop's, or one row) through the same ingest as the routes, after a fix is
// deployed. Those that apply leave the quarantine; those that still cannot stay, with their reason.
// Run it in the app's environment (SHOPIFY_* and DATABASE_URL, as `npm start`). Prints JSON; exits
// 1 when any delivery is still quarantined.
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { shop: { type: "string" }, id: { type: "string" } } });
if (values.id !== undefined && !/^\d{1,9}$/.test(values.id)) {
  console.error("--id takes the quarantined delivery's number");
  process.exit(2);
}
const { replayQuarantined } = await import("../app/sync/webhook-quarantine.server");
const { stopJobQueue } = await import("../app/platform/jobs.server");
const { default: prisma } = await import("../app/db.server");
const results = await replayQuarantined({ shop: values.shop, id: values.id ? Number(values.id) : undefined });
const still = results.filter((result) => result.outcome === "quarantined").length;
console.log(
  JSON.stringify(
    { replayed: results.length, applied: results.length - still, stillQuarantined: still, results },
    null,
    2,
  ),
);
await stopJobQueue();
await prisma.$disconnect();
process.exit(still === 0 ? 0 : 1);
