// The production HTTP server: Remix's build behind Express, static assets with long caching.
// `npm start` runs it; the demo (scripts/demo.ts) runs it with the demo's admin stand-ins.
import path from "node:path";
import { pathToFileURL } from "node:url";

import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";

import { demoRouter, type DemoConfig } from "./app/demo/demo-routes.server";
import { config, ConfigError, embeddedDatabaseInProduction, type Config } from "./app/platform/env.server";
import { exactJsonProblem } from "./app/platform/exact-json";
import { capRequestBodies } from "./app/platform/request-body.server";
import type { handleWebhookOverHttp } from "./app/sync/webhook-route.server";
import type { startBackgroundWorkers } from "./app/workers.server";

const BUILD_DIR = path.resolve(import.meta.dirname, "build");

// What app/entry.server.tsx exports for this server, besides Remix's own.
interface Entry {
  startBackgroundWorkers: typeof startBackgroundWorkers;
  handleWebhookOverHttp: typeof handleWebhookOverHttp;
}

export async function createServer(options: { demo?: DemoConfig; workers?: boolean } = {}) {
  // Below the Node it needs the app would round Shopify's 64-bit ids: it does not start at all.
  const runtime = exactJsonProblem();
  if (runtime) throw new Error(runtime);
  const app = express();
  app.disable("x-powered-by");
  const build = (await import(pathToFileURL(path.join(BUILD_DIR, "server/index.js")).href)) as ServerBuild;
  const entry = build.entry.module as unknown as Entry;
  // Webhooks, Shopify's heaviest traffic, skip Remix: each route that exports its topics is also
  // served by the same verification and ingest as a plain Node handler
  // (docs/decisions/010-webhook-hot-path.md). Its Remix data path (`.data`) too, so that no door
  // to a webhook route reads a body without the webhook's streaming size check.
  for (const route of Object.values(build.routes)) {
    const topics = (route.module as { webhookTopics?: readonly string[] }).webhookTopics;
    if (topics)
      app.post([`/${route.path}`, `/${route.path}.data`], (request, response) =>
        entry.handleWebhookOverHttp(request, response, topics),
      );
  }
  // Every other request: one byte cap, checked before anything reads the body.
  app.use(capRequestBodies());
  app.use("/assets", express.static(path.join(BUILD_DIR, "client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(BUILD_DIR, "client"), { maxAge: "1h" }));
  if (options.demo) app.use(demoRouter(options.demo));
  app.all("*", createRequestHandler({ build, mode: config().NODE_ENV }));
  if (options.workers ?? true) await entry.startBackgroundWorkers();
  return app;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  // Every variable is checked before anything starts: a bad one stops the server here, named.
  const runtime = exactJsonProblem();
  if (runtime) {
    console.error(runtime);
    process.exit(1);
  }
  let settings: Readonly<Config>;
  try {
    settings = config();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const embedded = embeddedDatabaseInProduction(settings);
  if (embedded && "refuse" in embedded) {
    console.error(embedded.refuse);
    process.exit(1);
  }
  if (embedded) console.warn(embedded.warn);
  const { PORT: port, HOST: host } = settings;
  const app = await createServer();
  const server = app.listen(port, host, () => console.log(`Perennial listening on http://${host}:${port}`));
  // Stop taking requests, let those in flight finish, then exit (the embedded database closes
  // itself on the same signals).
  const shutdown = () => server.close(() => process.exit(0));
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
