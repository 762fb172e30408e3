// The demo's stand-ins for what the Shopify admin does around an embedded app: it opens the app
// with a fresh session token in the URL (/demo), hands App Bridge new tokens (/demo/session-token),
// and answers the session-token bounce page by reloading with a token (/auth/session-token).
// Everything after that is the app's real authentication path.
import fs from "node:fs";
import path from "node:path";

import express, { type RequestHandler, type Router } from "express";

import { adminHostParam, signSessionToken } from "~/demo/session-token.server";

export interface DemoConfig {
  shop: string;
  apiKey: string;
  apiSecret: string;
}

const STAND_IN = fs.readFileSync(path.join(import.meta.dirname, "app-bridge-stand-in.js"), "utf8");

export function demoAppUrl(config: DemoConfig, pathname = "/app"): string {
  const params = new URLSearchParams({
    embedded: "1",
    shop: config.shop,
    host: adminHostParam(config.shop),
    id_token: signSessionToken(config),
  });
  return `${pathname}?${params.toString()}`;
}

// The demo listens on 127.0.0.1, but a web page can still reach it by DNS rebinding: its own name
// made to resolve to 127.0.0.1, the browser sends that name as Host and lets the page read the
// answer. So the routes that hand out session tokens answer only the names of this machine.
const LOCAL_HOST = /^(?:127\.0\.0\.1|localhost)(?::\d{1,5})?$/;

export function isLocalHost(host: string | undefined): boolean {
  return host !== undefined && LOCAL_HOST.test(host);
}

const localOnly: RequestHandler = (request, response, next) => {
  if (isLocalHost(request.headers.host)) return next();
  response.status(403).type("text/plain").set("Cache-Control", "no-store");
  response.send("The demo answers only http://127.0.0.1 and http://localhost.");
};

export function demoRouter(config: DemoConfig): Router {
  const router = express.Router();
  router.use(["/demo", "/auth/session-token"], localOnly);
  router.get("/demo", (request, response) => {
    const target =
      typeof request.query.path === "string" && request.query.path.startsWith("/app") ? request.query.path : "/app";
    response.redirect(302, demoAppUrl(config, target));
  });
  router.get("/demo/session-token", (_request, response) => {
    response.type("text/plain").set("Cache-Control", "no-store").send(signSessionToken(config));
  });
  router.get("/demo/app-bridge.js", (_request, response) => {
    response.type("application/javascript").send(STAND_IN);
  });
  router.get("/auth/session-token", (request, response) => {
    const reload = typeof request.query["shopify-reload"] === "string" ? request.query["shopify-reload"] : "/app";
    const target = new URL(reload, `http://${request.headers.host}`);
    if (target.host !== request.headers.host) {
      response.status(400).send("shopify-reload must point to this app");
      return;
    }
    target.searchParams.set("id_token", signSessionToken(config));
    response.redirect(302, `${target.pathname}${target.search}`);
  });
  return router;
}
