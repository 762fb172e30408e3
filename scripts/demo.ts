// `npm run demo`: the embedded admin with a seeded demo store, in an ordinary browser, with no
// Shopify account and no network. It builds the app when the build is missing or older than the
// source, brings the demo store's history up to yesterday, and serves it on 127.0.0.1.
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

/**
 * Starts the demo as of `now` (the clock, unless a caller passes another time): the demo store's
 * history is brought up to the day before, then the app is served.
 */
export async function startDemo(options: { port?: number; now?: Date } = {}): Promise<RunningDemo> {
  const host = "127.0.0.1";
  const port = options.port || (await freePort(host));
  const now = options.now ?? new Date();
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

  const { prepareDemoStore, storeDemoSession, DEMO_SHOP } = await import("../app/demo/demo-store.server");
  const started = Date.now();
  // The first start writes two years of history; later ones only the days since.
  console.log("Bringing the demo store up to date…");
  const { seed, clv } = await prepareDemoStore(now);
  await storeDemoSession(process.env.SCOPES!.split(","));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `Demo store ${DEMO_SHOP}: ${seed.customers} customers, ${seed.orders} orders up to yesterday ` +
      `(${seed.seeded ? `${seed.days} days written` : "already up to date"}` +
      `${clv ? `, CLV refresh ${clv.status}` : ""}; ${seconds} s).`,
  );

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
