// npm run bench:clv -- [--customers 1000000]
// Builds a synthetic shop in the database (about five orders per customer, drawn inside
// PostgreSQL with a fixed seed), then times one CLV refresh: loading the orders, summarising and
// fitting, scoring, the backtest, the shop's insight, and writing the predictions back. Prints
// JSON with each phase's seconds and the peak RSS. Use a real PostgreSQL (DATABASE_URL): the
// targets are for it; on the embedded database pass a smaller --customers.
import os from "node:os";
import { parseArgs } from "node:util";

import prisma, { databaseUrl } from "../app/db.server";
import { applyMigrations } from "../app/platform/migrate.server";
import { refreshClv } from "../app/insight/clv-refresh.server";

const { values } = parseArgs({ options: { customers: { type: "string", default: "1000000" } } });
const customers = Number(values.customers);
const shopDomain = `bench-clv-${customers}.myshopify.com`;

async function seed(shopId: string): Promise<void> {
  const existing = await prisma.customer.count({ where: { shopId } });
  if (existing === customers) return;
  await prisma.order.deleteMany({ where: { shopId } });
  await prisma.customer.deleteMany({ where: { shopId } });
  console.error(`Seeding ${customers} customers…`);
  await prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT setseed(0.42)`;
      await tx.$executeRaw`
        INSERT INTO "Customer" ("id", "shopId", "shopifyId", "updatedAt")
        SELECT 'bc' || lpad(g::text, 8, '0'), ${shopId}, g, now() FROM generate_series(1, ${customers}) AS g`;
      // Each customer: 1 + an exponential number of orders (mean 5.5), a random first order in the
      // last two years and a customer-specific gap between orders; some stop early.
      await tx.$executeRaw`
        INSERT INTO "Order" ("id", "shopId", "shopifyId", "customerId", "processedAt", "shopifyUpdatedAt",
                             "currencyCode", "subtotal", "currentSubtotal", "netRevenue", "totalPrice", "updatedAt")
        SELECT 'bo' || c.g || '_' || k, ${shopId}, c.g * 100 + k, 'bc' || lpad(c.g::text, 8, '0'),
               c.first_at + (k - 1) * c.gap, c.first_at + (k - 1) * c.gap, 'USD',
               c.spend, c.spend, c.spend, c.spend, now()
          FROM (SELECT g,
                       (now() - interval '730 days' + random() * interval '730 days')::timestamp(3) AS first_at,
                       random() * interval '60 days' + interval '1 day' AS gap,
                       1 + floor(-ln(1 - random()) * 5.5)::int AS orders,
                       round((20 + random() * 120)::numeric, 2) AS spend
                  FROM generate_series(1, ${customers}) AS g) AS c,
               LATERAL generate_series(1, c.orders) AS k
         WHERE c.first_at + (k - 1) * c.gap <= now()`;
      await tx.$executeRaw`SELECT perennial_refresh_rollups(${shopId}, NULL)`;
    },
    { timeout: 3_600_000 },
  );
  // A refresh normally finds settled tables, not the dead rows and the trigram index's pending
  // list a million-row bulk load leaves for autovacuum (which would otherwise run during the
  // refresh and share its two cores).
  await prisma.$executeRawUnsafe(`VACUUM (ANALYZE) "Customer", "Order", "CustomerSearch"`);
}

await applyMigrations(await databaseUrl());
const shop = await prisma.shop.upsert({ where: { shopDomain }, create: { shopDomain }, update: {} });
const seedStarted = performance.now();
await seed(shop.id);
const seedSeconds = (performance.now() - seedStarted) / 1000;
const orders = await prisma.order.count({ where: { shopId: shop.id } });

const started = performance.now();
const result = await refreshClv(shopDomain, { trigger: "benchmark" });
const totalSeconds = (performance.now() - started) / 1000;
const phases = result.phases;
console.log(
  JSON.stringify({
    benchmark: "clv",
    database: process.env.DATABASE_URL ? "postgresql" : "pglite",
    status: result.status,
    customers,
    orders,
    seed_s: Number(seedSeconds.toFixed(1)),
    phases_s: phases,
    fit_and_score_s: Number(((phases.fit ?? 0) + (phases.score ?? 0)).toFixed(3)),
    refresh_s: Number(totalSeconds.toFixed(2)),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
  }),
);
await prisma.$disconnect();
process.exit(0);
