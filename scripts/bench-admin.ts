// npm run bench:admin -- [--customers 1000000] [--requests 50]
// Times the embedded admin's page loaders on a large synthetic shop: Home, the Customers list
// (first page, by predicted CLV, 20 pages deep, a segment, at risk, a loyalty tier, searches for
// a common, an uncommon and a rare term), a Customer page, Segments, Model accuracy, and the
// Loyalty program and results (600k members, 6M ledger entries). Each loader is
// called directly with a signed session token, as
// App Bridge's fetches reach it, `--requests` times after 3 warm-up calls; a loader that streams
// its data (a promise in what it returns) is timed until that data has arrived. Prints one JSON
// object with each page's p50 and p95 in milliseconds. The goal (issue 6) is p95 under 150 ms at
// a million customers on PostgreSQL (DATABASE_URL, e.g. scripts/with-postgres.sh).
import { registerHooks } from "node:module";
import os from "node:os";
import { parseArgs } from "node:util";

import type { LoaderFunctionArgs } from "@remix-run/node";
import { RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "1000000" },
    requests: { type: "string", default: "50" },
  },
});
const customers = Number(values.customers);
const requests = Number(values.requests);
if (!Number.isInteger(customers) || customers < 1000)
  throw new Error("--customers must be an integer of at least 1000");
if (!Number.isInteger(requests) || requests < 1) throw new Error("--requests must be a positive integer");
const WARM_UP = 3;
const shopDomain = `bench-admin-${customers}.myshopify.com`;
// Ids carry the shop's size, so shops of different sizes can share a database.
const idPrefix = `ba${customers}_`;
const customerId = (n: number) => `${idPrefix}${String(n).padStart(8, "0")}`;

// The Shopify app's configuration, set before any module that reads it is imported (hence the
// dynamic imports below). A made-up app: nothing here talks to Shopify.
process.env.SHOPIFY_API_KEY = "perennial-bench-api-key";
process.env.SHOPIFY_API_SECRET = "perennial-bench-api-secret";
process.env.SHOPIFY_APP_URL = "https://bench.perennial.test";
process.env.SCOPES = "read_all_orders,read_customers,read_discounts,read_orders,write_customers,write_discounts";
// Without a server, never fill the developer's own embedded database with a benchmark shop.
if (!process.env.DATABASE_URL) process.env.PERENNIAL_DATA_DIR ??= "memory://";

// The Segments and Model accuracy routes import a stylesheet's URL (a Vite feature); in plain
// Node it is an empty string.
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier.endsWith(".css?url")) return { url: "data:text/javascript,export default ''", shortCircuit: true };
    return nextResolve(specifier, context);
  },
});

// Standard output carries only the result: anything the app logs goes to standard error, less
// the Shopify library's line per authenticated request.
const print = (text: string) => process.stdout.write(`${text}\n`);
const toStderr = (...args: unknown[]) => {
  if (typeof args[0] === "string" && /^\[shopify-(api|app)\/INFO\]/.test(args[0])) return;
  console.error(...args);
};
console.log = toStderr;
console.info = toStderr;

const { default: prisma, databaseUrl } = await import("../app/db.server");
const { applyMigrations } = await import("../app/platform/migrate.server");

// Seed data: customers with names and emails (the list searches them), each with 1 + an
// exponential number of orders (mean 5.5, about 5 per customer once orders past today are
// dropped) spread from a random first order in the last two years at a customer-specific pace.
const FIRST_NAMES = ["Ava", "Ben", "Chloe", "Dmitri", "Elena", "Farah", "Goran", "Hana", "Ines", "Jonas"];
const LAST_NAMES = ["Alvarez", "Berg", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jensen"];
const sqlArray = (items: string[]) => `ARRAY[${items.map((item) => `'${item}'`).join(",")}]`;

async function seedShop(shopId: string): Promise<void> {
  await prisma.order.deleteMany({ where: { shopId } });
  await prisma.customer.deleteMany({ where: { shopId } });
  console.error(`Seeding ${customers} customers…`);
  const firstNames = sqlArray(FIRST_NAMES);
  const lastNames = sqlArray(LAST_NAMES);
  await prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT setseed(0.17)`;
      await tx.$executeRawUnsafe(
        `INSERT INTO "Customer" ("id", "shopId", "shopifyId", "email", "firstName", "lastName", "shopifyCreatedAt", "updatedAt")
         SELECT $1 || lpad(n::text, 8, '0'), $2, n,
                lower(first_name) || '.' || lower(last_name) || n || '@example.com', first_name, last_name,
                now() - interval '800 days', now()
           FROM (SELECT n,
                        (${firstNames})[1 + floor(random() * ${FIRST_NAMES.length})::int] AS first_name,
                        (${lastNames})[1 + floor(random() * ${LAST_NAMES.length})::int] AS last_name
                   FROM generate_series(1, $3::int) AS n) AS drawn`,
        idPrefix,
        shopId,
        customers,
      );
      await tx.$executeRaw`
        INSERT INTO "Order" ("id", "shopId", "shopifyId", "customerId", "name", "processedAt", "shopifyUpdatedAt",
                             "currencyCode", "subtotal", "currentSubtotal", "netRevenue", "totalPrice", "updatedAt")
        SELECT ${idPrefix} || 'o' || p.n || '_' || k, ${shopId}, p.n::bigint * 1000 + k,
               ${idPrefix} || lpad(p.n::text, 8, '0'), '#' || (p.n::bigint * 1000 + k),
               p.started + (k - 1) * p.every, p.started + (k - 1) * p.every, 'USD',
               p.basket, p.basket, p.basket, p.basket, now()
          FROM (SELECT n,
                       (now() - random() * interval '730 days')::timestamp(3) AS started,
                       interval '1 day' + random() * interval '60 days' AS every,
                       1 + floor(5.5 * -ln(1 - random()))::int AS planned,
                       round((20 + 120 * random())::numeric, 2) AS basket
                  FROM generate_series(1, ${customers}::int) AS n) AS p
         CROSS JOIN LATERAL generate_series(1, p.planned) AS k
         WHERE p.started + (k - 1) * p.every <= now()`;
      await tx.$executeRaw`SELECT perennial_refresh_rollups(${shopId}, NULL)`;
    },
    { timeout: 3_600_000, maxWait: 60_000 },
  );
}

// Settles what a loader returned: a promise in it (streamed data) is awaited too.
async function settle(value: unknown): Promise<void> {
  if (value && typeof value === "object") await Promise.all(Object.values(value));
}

const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
const ms = (value: number) => Number(value.toFixed(1));

// A small seeded generator, so every run picks the same "random" customers.
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

await applyMigrations(await databaseUrl());
const shop = await prisma.shop.upsert({ where: { shopDomain }, create: { shopDomain }, update: {} });
let changed = false;
if ((await prisma.customer.count({ where: { shopId: shop.id } })) !== customers) {
  const started = performance.now();
  await seedShop(shop.id);
  console.error(`Seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await prisma.$executeRaw`ANALYZE "Customer"`;
  await prisma.$executeRaw`ANALYZE "Order"`;
  changed = true;
}
if (!(await prisma.shopInsight.findUnique({ where: { shopId: shop.id }, select: { shopId: true } }))) {
  const { refreshClv } = await import("../app/insight/clv-refresh.server");
  const started = performance.now();
  const result = await refreshClv(shopDomain, { trigger: "benchmark" });
  console.error(`CLV refresh ${result.status} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  changed = true;
}
if (!(await prisma.loyaltyProgram.findUnique({ where: { shopId: shop.id }, select: { shopId: true } }))) {
  // A loyalty program six in ten customers joined, each with ten earnings over the last year.
  const { DEMO_LOYALTY } = await import("../app/demo/demo-store.server");
  const { loyaltySettingsSchema } = await import("../app/core/loyalty");
  const settings = loyaltySettingsSchema.parse(DEMO_LOYALTY);
  const started = performance.now();
  await prisma.$transaction(
    async (tx) => {
      await tx.loyaltyProgram.create({
        data: { shopId: shop.id, enabled: true, settings, launchedAt: new Date(Date.now() - 400 * 86_400_000) },
      });
      await tx.$executeRaw`
        INSERT INTO "LoyaltyAccount" ("customerId", "shopId", "pointsBalance", "tierId", "lastActivityAt", "updatedAt")
        SELECT "id", "shopId", 500, (ARRAY['bronze','silver','gold'])[1 + abs(hashtext("id")) % 3], now(), now()
          FROM "Customer" WHERE "shopId" = ${shop.id} AND abs(hashtext("id")) % 10 < 6`;
      await tx.$executeRaw`
        INSERT INTO "LedgerEntry" ("id", "shopId", "customerId", "key", "kind", "points", "pendingPoints", "owedPoints",
                                   "occurredAt", "orderId", "earnRate", "tierMultiplier", "netSpendCents", "reason")
        SELECT a."customerId" || '_' || k, a."shopId", a."customerId", 'order:' || a."customerId" || '_' || k || ':points',
               'earn', 50, 0, 0, now() - random() * interval '365 days',
               (abs(hashtext(a."customerId"))::bigint * 100 + k)::text, '1', '1', 5000, 'earned'
          FROM "LoyaltyAccount" AS a CROSS JOIN generate_series(1, 10) AS k
         WHERE a."shopId" = ${shop.id}`;
    },
    { timeout: 3_600_000, maxWait: 60_000 },
  );
  const { refreshLoyaltyResults } = await import("../app/loyalty/results.server");
  await refreshLoyaltyResults(shopDomain);
  console.error(
    `Loyalty program seeded and its results computed in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  changed = true;
}
if (changed) {
  // The steady state autovacuum would reach: seeding and scoring rewrote every customer row, and
  // a vacuum running during the timings would only add noise.
  await prisma.$executeRawUnsafe(`VACUUM (ANALYZE) "Customer"`);
  await prisma.$executeRawUnsafe(`VACUUM (ANALYZE) "Order"`);
  await prisma.$executeRawUnsafe(`VACUUM (ANALYZE) "LoyaltyAccount", "LedgerEntry"`);
}
const orders = await prisma.order.count({ where: { shopId: shop.id } });

const { sessionStorage } = await import("../app/shopify.server");
await sessionStorage.storeSession(
  setUpValidSession({
    shop: shopDomain,
    isOnline: false,
    expires: new Date(Date.now() + 86_400_000),
    scope: process.env.SCOPES,
  }),
);

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
const routes = {
  home: (await import("../app/routes/app._index")).loader as Loader,
  customers: (await import("../app/routes/app.customers._index")).loader as Loader,
  customer: (await import("../app/routes/app.customers.$id")).loader as Loader,
  segments: (await import("../app/routes/app.segments")).loader as Loader,
  modelAccuracy: (await import("../app/routes/app.model-accuracy")).loader as Loader,
  loyaltyProgram: (await import("../app/routes/app.loyalty._index")).loader as Loader,
  loyaltyResults: (await import("../app/routes/app.loyalty.results")).loader as Loader,
};

// A request as the embedded app sends it: the session token as a Bearer header.
async function signedRequest(path: string): Promise<Request> {
  return setUpValidRequest(
    {
      type: RequestType.Bearer,
      store: shopDomain.replace(".myshopify.com", ""),
      apiKey: process.env.SHOPIFY_API_KEY!,
      apiSecretKey: process.env.SHOPIFY_API_SECRET!,
    },
    new Request(`${process.env.SHOPIFY_APP_URL}${path}`),
  );
}

interface PageCall {
  loader: Loader;
  path: string;
  params?: Record<string, string>;
}

interface CustomersLoaderData {
  list: { nextCursor: string | null; rows: unknown[] };
}

async function customersPage(path: string): Promise<CustomersLoaderData> {
  return (await routes.customers({
    request: await signedRequest(path),
    params: {},
    context: {},
  })) as CustomersLoaderData;
}

// The default list, 20 pages in by following Next.
let deepPath = "/app/customers";
for (let page = 0; page < 20; page++) {
  const { list } = await customersPage(deepPath);
  if (!list.nextCursor) throw new Error(`The list ends after ${page + 1} pages`);
  deepPath = `/app/customers?after=${encodeURIComponent(list.nextCursor)}`;
}

// The smallest segment with customers: the one a walk along the list's order finds slowest.
const [segment] = await prisma.$queryRaw<{ segment: string; customers: bigint }[]>`
  SELECT "rfmSegment" AS segment, count(*) AS customers FROM "Customer"
   WHERE "shopId" = ${shop.id} AND "rfmSegment" IS NOT NULL
   GROUP BY "rfmSegment" ORDER BY count(*), "rfmSegment" LIMIT 1`;
if (!segment) throw new Error("No customer has a segment: did the CLV refresh fail?");

const random = mulberry32(6);
const pages: Record<string, () => PageCall> = {
  home: () => ({ loader: routes.home, path: "/app" }),
  customers: () => ({ loader: routes.customers, path: "/app/customers" }),
  customers_by_predicted_clv: () => ({ loader: routes.customers, path: "/app/customers?sort=predictedClv" }),
  customers_page_21: () => ({ loader: routes.customers, path: deepPath }),
  customers_segment: () => ({ loader: routes.customers, path: `/app/customers?segment=${segment.segment}` }),
  customers_at_risk: () => ({ loader: routes.customers, path: "/app/customers?atRisk=1" }),
  // A surname: one customer in ten has it.
  customers_search: () => ({ loader: routes.customers, path: "/app/customers?q=jensen" }),
  // A surname and the start of a number: about one customer in a thousand, where the planner
  // weighs walking the sort index against the trigram index.
  customers_search_uncommon: () => ({ loader: routes.customers, path: "/app/customers?q=jensen12" }),
  // One customer's email: without the trigram index, nothing but a full walk finds it.
  customers_search_rare: () => ({
    loader: routes.customers,
    path: `/app/customers?q=${encodeURIComponent(`${Math.floor(customers / 2)}@example`)}`,
  }),
  customer: () => {
    const id = customerId(1 + Math.floor(random() * customers));
    return { loader: routes.customer, path: `/app/customers/${id}`, params: { id } };
  },
  segments: () => ({ loader: routes.segments, path: "/app/segments" }),
  model_accuracy: () => ({ loader: routes.modelAccuracy, path: "/app/model-accuracy" }),
  loyalty_program: () => ({ loader: routes.loyaltyProgram, path: "/app/loyalty" }),
  loyalty_results: () => ({ loader: routes.loyaltyResults, path: "/app/loyalty/results?period=365" }),
  customers_tier: () => ({ loader: routes.customers, path: "/app/customers?tier=gold" }),
};

const results: Record<string, { p50_ms: number; p95_ms: number; path: string }> = {};
for (const [name, next] of Object.entries(pages)) {
  const timings: number[] = [];
  let path = "";
  for (let call = 0; call < WARM_UP + requests; call++) {
    const page = next();
    path = page.path;
    const request = await signedRequest(page.path);
    const started = performance.now();
    await settle(await page.loader({ request, params: page.params ?? {}, context: {} }));
    if (call >= WARM_UP) timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  results[name] = {
    p50_ms: ms(percentile(timings, 50)),
    p95_ms: ms(percentile(timings, 95)),
    path: name === "customer" ? "/app/customers/<random id>" : path,
  };
  console.error(`${name}: p50 ${results[name].p50_ms} ms, p95 ${results[name].p95_ms} ms`);
}

print(
  JSON.stringify({
    benchmark: "admin",
    database: process.env.DATABASE_URL ? "postgresql" : "pglite",
    customers,
    orders,
    requests,
    segment: { id: segment.segment, customers: Number(segment.customers) },
    pages: results,
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
  }),
);
await prisma.$disconnect();
process.exit(0);
