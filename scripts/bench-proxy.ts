// npm run bench:proxy -- [--concurrency 16] [--count 5000] [--members 2000]
// Starts the app (production build) on 127.0.0.1 over a shop whose loyalty program has members
// with a year of ledger history, sends app-proxy-signed GET /proxy/balance requests for random
// members, and prints JSON: the balance endpoint's p50/p99 and throughput, and the storefront
// Rewards launcher's gzipped JavaScript + CSS.
import { createHmac } from "node:crypto";
import http from "node:http";
import os from "node:os";
import { parseArgs } from "node:util";

import type { PrismaClient } from "@prisma/client";

import { benchDatabase, startBenchApp } from "./lib/bench-app";
import { buildIfStale } from "./lib/build";
import { launcherGzipBytes, LAUNCHER_BUDGET_BYTES } from "./lib/launcher-size";

const { values } = parseArgs({
  options: {
    concurrency: { type: "string", default: "16" },
    count: { type: "string", default: "5000" },
    members: { type: "string", default: "2000" },
  },
});
const concurrency = Number(values.concurrency);
const count = Number(values.count);
const memberCount = Number(values.members);
const SHOP = "bench-proxy.myshopify.com";
const SECRET = "bench-proxy-secret";
const FIRST_CUSTOMER = 9_000_000_000_000_000_000n;
const ENTRIES_PER_MEMBER = 24;

const SETTINGS = {
  earnRate: "1",
  includeTax: false,
  includeShipping: false,
  availability: { when: "paid" },
  bonuses: { signUp: 100, birthday: 0, firstOrder: 0 },
  expiry: { inactiveDays: 365, warningDays: 30 },
  rewards: [
    {
      id: "five-off",
      name: "$5 off",
      pointsCost: 500,
      minimumOrder: "0.00",
      discount: { type: "fixedAmount", amount: "5.00" },
    },
  ],
  returnRedeemedPointsOnCancel: true,
  tiers: {
    basis: "pointsEarned",
    window: "rolling12Months",
    review: "quarterly",
    levels: [
      { id: "silver", name: "Silver", threshold: "0", earnMultiplier: "1" },
      { id: "gold", name: "Gold", threshold: "2000", earnMultiplier: "1.5" },
    ],
  },
  excludedCustomerTags: [],
};

// Members with a year of earning, written directly (the benchmark measures reads, not writes).
async function prepareMembers(prisma: PrismaClient): Promise<void> {
  await prisma.shop.deleteMany({ where: { shopDomain: SHOP } });
  const shop = await prisma.shop.create({ data: { shopDomain: SHOP } });
  await prisma.loyaltyProgram.create({
    data: { shopId: shop.id, enabled: true, settings: SETTINGS, launchedAt: new Date("2025-11-01T00:00:00Z") },
  });
  const year = Date.now() - 365 * 86_400_000;
  for (let start = 0; start < memberCount; start += 500) {
    const ids = Array.from({ length: Math.min(500, memberCount - start) }, (_, index) => start + index);
    await prisma.customer.createMany({
      data: ids.map((index) => ({
        id: `bench-customer-${index}`,
        shopId: shop.id,
        shopifyId: FIRST_CUSTOMER + BigInt(index),
        firstName: "Bench",
      })),
    });
    await prisma.loyaltyAccount.createMany({
      data: ids.map((index) => ({
        customerId: `bench-customer-${index}`,
        shopId: shop.id,
        pointsBalance: 100 + ENTRIES_PER_MEMBER * 40,
        tierId: "silver",
        lastActivityAt: new Date(),
      })),
    });
    await prisma.ledgerEntry.createMany({
      data: ids.flatMap((index) => [
        {
          shopId: shop.id,
          customerId: `bench-customer-${index}`,
          key: "bonus:signUp",
          kind: "bonus",
          points: 100,
          pendingPoints: 0,
          owedPoints: 0,
          occurredAt: new Date(year),
          bonus: "signUp",
        },
        ...Array.from({ length: ENTRIES_PER_MEMBER }, (_, entry) => ({
          shopId: shop.id,
          customerId: `bench-customer-${index}`,
          key: `order:${index * 100 + entry}@2026-01-01T00:00:00.000Z:points`,
          kind: "earn",
          points: 40,
          pendingPoints: 0,
          owedPoints: 0,
          occurredAt: new Date(year + (entry + 1) * 14 * 86_400_000),
          orderId: String(index * 100 + entry),
          earnRate: "1",
          tierMultiplier: "1",
          netSpendCents: 4000,
        })),
      ]),
    });
  }
}

// Shopify's app proxy signature: HMAC-SHA256 (hex) over the sorted key=value pairs, joined with nothing.
function signedPath(customerIndex: number): string {
  const params: Record<string, string> = {
    shop: SHOP,
    logged_in_customer_id: (FIRST_CUSTOMER + BigInt(customerIndex)).toString(),
    path_prefix: "/apps/loyalty",
    timestamp: String(Math.floor(Date.now() / 1000)),
  };
  const message = Object.keys(params)
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join("");
  const signature = createHmac("sha256", SECRET).update(message).digest("hex");
  return `/proxy/balance?${new URLSearchParams({ ...params, signature })}`;
}

const percentile = (sorted: number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];

async function main() {
  buildIfStale();
  const database = await benchDatabase(prepareMembers);
  const app = await startBenchApp(database, {
    SHOPIFY_API_KEY: "bench-proxy",
    SHOPIFY_API_SECRET: SECRET,
    SCOPES: "read_customers",
    // Every request here is a different shopper's or well under the real limit.
    PERENNIAL_PROXY_READS_PER_MINUTE: "100000",
  });
  const port = app.port;

  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const get = (index: number) =>
    new Promise<number>((resolve, reject) => {
      const request = http.request(
        { host: "127.0.0.1", port, path: signedPath(index % memberCount), agent },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
        },
      );
      request.on("error", reject);
      request.end();
    });

  for (let index = 0; index < Math.min(200, count); index++) await get(index);
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        const sentAt = performance.now();
        const status = await get(index * 7919);
        latencies.push(performance.now() - sentAt);
        if (status !== 200) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  await app.stop();
  latencies.sort((left, right) => left - right);
  const launcher = await launcherGzipBytes();
  console.log(
    JSON.stringify({
      benchmark: "proxy",
      database: database.label,
      endpoint: "GET /apps/loyalty/balance",
      requests: latencies.length,
      concurrency,
      members: memberCount,
      ledger_entries_per_member: ENTRIES_PER_MEMBER + 1,
      errors,
      requests_per_s: Math.round(latencies.length / seconds),
      p50_ms: Number(percentile(latencies, 0.5).toFixed(1)),
      p99_ms: Number(percentile(latencies, 0.99).toFixed(1)),
      launcher_gzip_bytes: { ...launcher, budget: LAUNCHER_BUDGET_BYTES },
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
    }),
  );
}

await main();
