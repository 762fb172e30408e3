// `npm run demo`: the embedded admin with a seeded demo store, in an ordinary browser, with no
// Shopify account and no network. It builds the app when the build is missing or older than the
// source, seeds the demo store (idempotently), and serves it on 127.0.0.1.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { configOf } from "../app/platform/env.server";
import { freePort } from "./lib/free-port";
import { buildIfStale, ROOT as root } from "./lib/build";

// Unset, NODE_ENV means production (README, "Configuration"); the demo runs as development.
process.env.NODE_ENV ||= "development";
if (configOf("NODE_ENV").NODE_ENV === "production") {
  // The demo signs session tokens for anyone who asks.
  throw new Error("The demo refuses to run with NODE_ENV=production.");
}

function declaredScopes(): string {
  const toml = fs.readFileSync(path.join(root, "shopify.app.toml"), "utf8");
  const scopes = /^\s*scopes\s*=\s*"([^"]*)"/m.exec(toml)?.[1];
  if (!scopes) throw new Error("shopify.app.toml declares no [access_scopes] scopes");
  return scopes;
}

export interface RunningDemo {
  url: string;
  close(): Promise<void>;
}

export async function startDemo(options: { port?: number } = {}): Promise<RunningDemo> {
  const host = "127.0.0.1";
  const port = options.port || (await freePort(host));
  const apiKey = "perennial-demo";
  // A fresh secret per run: tokens signed for one demo never open another.
  const apiSecret = randomBytes(32).toString("hex");
  Object.assign(process.env, {
    PERENNIAL_DEMO: "1",
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: apiSecret,
    SHOPIFY_APP_URL: `http://${host}:${port}`,
    SCOPES: declaredScopes(),
  });

  buildIfStale();

  const { seedDemoLoyalty, seedDemoStore, storeDemoSession, DEMO_SHOP } = await import("../app/demo/demo-store.server");
  const seedStarted = Date.now();
  const seed = await seedDemoStore();
  const loyaltySeeded = await seedDemoLoyalty();
  await storeDemoSession(process.env.SCOPES!.split(","));
  console.log(
    `Demo store ${DEMO_SHOP}: ${seed.customers} customers, ${seed.orders} orders ` +
      `(${seed.seeded ? `seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s` : "already seeded"}` +
      `${loyaltySeeded ? ", with its loyalty program" : ""}).`,
  );

  // Predictions for the demo's customers, as the nightly refresh would have made them.
  const { refreshClv } = await import("../app/insight/clv-refresh.server");
  const { default: prisma } = await import("../app/db.server");
  const fitted = await prisma.clvRun.count({ where: { shop: { shopDomain: DEMO_SHOP }, status: "completed" } });
  if (seed.seeded || fitted === 0) {
    // As of the end of the synthetic history, so its last weeks are not an empty holdout.
    const { DEMO_HISTORY } = await import("../app/demo/synthetic-history");
    const refresh = await refreshClv(DEMO_SHOP, { trigger: "demo", asOf: DEMO_HISTORY.end });
    console.log(
      `CLV refresh: ${refresh.status} in ${Object.values(refresh.phases)
        .reduce((a, b) => a + b, 0)
        .toFixed(1)} s.`,
    );
  }

  const { createServer } = await import("../server");
  const app = await createServer({ demo: { shop: DEMO_SHOP, apiKey, apiSecret } });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(port, host, () => resolve(listening));
  });
  return {
    url: `http://${host}:${port}/demo`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const demo = await startDemo({ port: process.env.PORT ? configOf("PORT").PORT : undefined });
  console.log(`Perennial demo: open ${demo.url}`);
}
