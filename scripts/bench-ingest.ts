// npm run bench:ingest -- [--concurrency 32] [--count 20000] [--history 0] [--loyalty]
// Starts the app (production build) on 127.0.0.1, sends signed orders/create webhooks over HTTP
// at the chosen concurrency, and prints JSON: throughput, latency percentiles, the server's
// resident memory, and the database (DATABASE_URL, or the embedded PGlite in a temp folder).
// With --history N the shop first gets N customers with three orders each, and the webhooks
// are their next orders: a grown shop, where a cost that grows with the shop would show. With
// --loyalty the shop runs a loyalty program, so each order also earns points in its transaction.
import { createHmac } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import { parseArgs } from "node:util";

import type { PrismaClient } from "@prisma/client";

import { loyaltySettingsSchema } from "../app/core/loyalty/settings";
import { benchDatabase, startBenchApp } from "./lib/bench-app";
import { buildIfStale } from "./lib/build";

const { values } = parseArgs({
  options: {
    concurrency: { type: "string", default: "32" },
    count: { type: "string", default: "20000" },
    history: { type: "string", default: "0" },
    loyalty: { type: "boolean", default: false },
  },
});
const concurrency = Number(values.concurrency);
const count = Number(values.count);
const history = Number(values.history);
const loyalty = values.loyalty;
const SHOP = process.env.BENCH_SHOP ?? "bench-ingest.myshopify.com";
const SECRET = "bench-ingest-secret";

// The shop must exist before its webhooks count; a clean slate for repeated runs on one server.
async function prepareShop(prisma: PrismaClient): Promise<void> {
  const shop = await prisma.shop.upsert({ where: { shopDomain: SHOP }, create: { shopDomain: SHOP }, update: {} });
  await prisma.order.deleteMany({ where: { shopId: shop.id } });
  await prisma.customer.deleteMany({ where: { shopId: shop.id } });
  await prisma.webhookDelivery.deleteMany({ where: { shopDomain: SHOP } });
  if (history > 0) await seedHistory(prisma, shop.id);
  await prisma.loyaltyProgram.deleteMany({ where: { shopId: shop.id } });
  if (loyalty) {
    // A point per dollar, points available once paid, a first-order bonus and two tiers.
    const settings = loyaltySettingsSchema.parse({
      earnRate: "1",
      bonuses: { firstOrder: 50 },
      rewards: [{ id: "five-off", name: "$5 off", pointsCost: 500, discount: { type: "fixedAmount", amount: "5.00" } }],
      tiers: {
        basis: "netSpend",
        window: "rolling12Months",
        review: "yearly",
        levels: [
          { id: "silver", name: "Silver", threshold: "250", earnMultiplier: "1.25" },
          { id: "gold", name: "Gold", threshold: "750", earnMultiplier: "1.5" },
        ],
      },
    });
    await prisma.loyaltyProgram.create({
      data: { shopId: shop.id, enabled: true, settings, launchedAt: new Date("2024-01-01T00:00:00Z") },
    });
  }
}

// Customers 1…N, each with three orders in 2025, then their rollups and fresh statistics, as a
// shop that has been running a while would have.
async function seedHistory(prisma: PrismaClient, shopId: string): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO "Customer" ("id", "shopId", "shopifyId", "email", "firstName", "lastName", "updatedAt")
    SELECT 'bench-c' || n, ${shopId}, n, 'c' || n || '@example.com', 'Bench', 'Mark', now()
      FROM generate_series(1, ${history}::int) AS n`;
  await prisma.$executeRaw`
    INSERT INTO "Order" ("id", "shopId", "shopifyId", "customerId", "name", "processedAt", "shopifyUpdatedAt",
                         "currencyCode", "subtotal", "currentSubtotal", "netRevenue", "totalPrice", "updatedAt")
    SELECT 'bench-o' || n || '-' || k, ${shopId}, n::bigint * 10 + k, 'bench-c' || n, '#' || (n::bigint * 10 + k),
           timestamp '2025-01-01' + (n % 300 + k * 20) * interval '1 day',
           timestamp '2025-01-01' + (n % 300 + k * 20) * interval '1 day', 'USD', 50, 50, 50, 55, now()
      FROM generate_series(1, ${history}::int) AS n CROSS JOIN generate_series(1, 3) AS k`;
  await prisma.$executeRaw`SELECT perennial_refresh_rollups(${shopId}, NULL)`;
  await prisma.$executeRawUnsafe(`ANALYZE "Customer", "Order", "CustomerSearch"`);
}

// Shopify's customer in an order payload carries an updated_at at least as late as the order (its
// order count and spend changed), so each order also rewrites its customer, as it would live.
function orderBody(index: number): string {
  const id = 7_000_000_000_000_000_000n + BigInt(index);
  // New customers with about three orders each or, in a grown shop, its customers in turn.
  const customer =
    history > 0
      ? BigInt(1 + ((index * 7919) % history))
      : 8_000_000_000_000_000_000n + BigInt(index % Math.max(1, Math.floor(count / 3)));
  const at = new Date(Date.parse("2026-01-01T00:00:00Z") + index * 60_000).toISOString();
  const money = (amount: string) =>
    `{"shop_money":{"amount":"${amount}","currency_code":"USD"},"presentment_money":{"amount":"${amount}","currency_code":"USD"}}`;
  const subtotal = (10 + (index % 190)).toFixed(2);
  return `{"id":${id},"admin_graphql_api_id":"gid://shopify/Order/${id}","name":"#${1000 + index}","created_at":"${at}","processed_at":"${at}","updated_at":"${at}","cancelled_at":null,"test":false,"currency":"USD","financial_status":"paid","subtotal_price_set":${money(subtotal)},"current_subtotal_price_set":${money(subtotal)},"total_discounts_set":${money("0.00")},"total_shipping_price_set":${money("5.00")},"total_tax_set":${money("1.00")},"total_price_set":${money(subtotal)},"customer":{"id":${customer},"email":"c${customer}@example.com","first_name":"Bench","last_name":"Mark","created_at":"2024-06-01T00:00:00Z","updated_at":"${at}"},"refunds":[],"line_items":[{"id":${id + 1n},"title":"Aviator sunglasses","quantity":1,"price":"${subtotal}"}]}`;
}

const percentile = (sorted: number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];

async function main() {
  buildIfStale();
  const database = await benchDatabase(prepareShop);
  const profile = process.env.BENCH_CPU_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
    : [];
  const app = await startBenchApp(
    database,
    { SHOPIFY_API_KEY: "bench-ingest", SHOPIFY_API_SECRET: SECRET, SCOPES: "read_orders" },
    profile,
  );
  const { port, server } = app;

  const bodies = Array.from({ length: count }, (_, index) => orderBody(index));
  // node:http with keep-alive rather than fetch: the load generator shares the 2 cores with the
  // app and the database, so its own cost per request is kept small.
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const send = (index: number) =>
    new Promise<number>((resolve, reject) => {
      const body = bodies[index];
      const request = http.request(
        {
          host: "127.0.0.1",
          port,
          path: "/webhooks/orders",
          method: "POST",
          agent,
          headers: {
            "Content-Type": "application/json",
            "Content-Length": Buffer.byteLength(body),
            "X-Shopify-Topic": "orders/create",
            "X-Shopify-Shop-Domain": process.env.BENCH_TARGET_SHOP ?? SHOP,
            "X-Shopify-API-Version": "2026-07",
            "X-Shopify-Webhook-Id": `bench-${index}`,
            "X-Shopify-Event-Id": `bench-event-${index}`,
            "X-Shopify-Triggered-At": new Date().toISOString(),
            "X-Shopify-Hmac-Sha256": createHmac("sha256", SECRET).update(body).digest("base64"),
          },
        },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
        },
      );
      request.on("error", reject);
      request.end(body);
    });

  // Warm up (JIT, connection pools), then measure.
  for (let index = 0; index < Math.min(200, count); index++) await send(index);
  const latencies: number[] = [];
  const serverCpuSeconds = () => {
    const fields = fs.readFileSync(`/proc/${server.pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
  };
  // PostgreSQL's backends (a real server only; PGlite runs inside the app's process).
  const postgresCpuSeconds = () =>
    fs
      .readdirSync("/proc")
      .filter((entry) => /^\d+$/.test(entry))
      .map((pid) => {
        try {
          const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
          if (!stat.includes("(postgres)")) return 0;
          const fields = stat.split(") ")[1].split(" ");
          return (Number(fields[11]) + Number(fields[12])) / 100;
        } catch {
          return 0;
        }
      })
      .reduce((sum, seconds) => sum + seconds, 0);
  const serverCpuBefore = serverCpuSeconds();
  const postgresCpuBefore = postgresCpuSeconds();
  const clientCpuBefore = process.cpuUsage();
  let next = Math.min(200, count);
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        const sentAt = performance.now();
        const status = await send(index);
        latencies.push(performance.now() - sentAt);
        if (status !== 200) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const cpuShare = {
    server: Number(((serverCpuSeconds() - serverCpuBefore) / seconds).toFixed(2)),
    load_generator: Number(((clientCpu.user + clientCpu.system) / 1e6 / seconds).toFixed(2)),
    postgres: Number(((postgresCpuSeconds() - postgresCpuBefore) / seconds).toFixed(2)),
  };
  const status = fs.readFileSync(`/proc/${server.pid}/status`, "utf8");
  const rssKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  agent.destroy();
  await app.stop();
  latencies.sort((left, right) => left - right);
  console.log(
    JSON.stringify({
      benchmark: "ingest",
      database: database.label,
      shop_history_customers: history,
      loyalty_program: loyalty,
      webhooks: latencies.length,
      concurrency,
      errors,
      webhooks_per_s: Math.round(latencies.length / seconds),
      p50_ms: Number(percentile(latencies, 0.5).toFixed(1)),
      p99_ms: Number(percentile(latencies, 0.99).toFixed(1)),
      rss_mb: Math.round(rssKb / 1024),
      // Cores busy during the run (of 2): the load generator shares the machine with the app and
      // the database.
      cpu_cores_used: cpuShare,
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
    }),
  );
}

await main();
