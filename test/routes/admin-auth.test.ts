import { createHmac } from "node:crypto";

import { describe, expect, it } from "vitest";

import { signSessionToken } from "~/demo/session-token.server";

import { loader as appLoader } from "~/routes/app";
import { action as homeAction, loader as homeLoader } from "~/routes/app._index";
import { jobQueue, QUEUES, stopJobQueue } from "~/platform/jobs.server";
import { ensureShop } from "~/sync/shops.server";

import {
  adminDocumentRequest,
  adminFetchRequest,
  apiKey,
  apiSecret,
  routeArgs,
  storeOfflineSession,
  uniqueShop,
} from "../helpers/shopify";

async function thrownResponse(promise: Promise<unknown>): Promise<Response> {
  try {
    await promise;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error("expected the loader to refuse the request");
}

function forge(request: Request, where: "query" | "header"): Request {
  const url = new URL(request.url);
  const header = request.headers.get("Authorization");
  const token = where === "query" ? url.searchParams.get("id_token")! : header!.replace("Bearer ", "");
  const [head, payload] = token.split(".");
  const forged = `${head}.${payload}.${Buffer.from("not-the-signature").toString("base64url")}`;
  if (where === "query") {
    url.searchParams.set("id_token", forged);
    return new Request(url, { headers: request.headers });
  }
  const headers = new Headers(request.headers);
  headers.set("Authorization", `Bearer ${forged}`);
  return new Request(url, { headers });
}

describe("embedded admin authentication", () => {
  it("serves the admin to a valid session token (document request)", async () => {
    const shop = uniqueShop("auth-ok");
    await ensureShop(shop);
    await storeOfflineSession(shop);
    const request = await adminDocumentRequest(shop);
    await expect(appLoader(routeArgs(request))).resolves.toMatchObject({ apiKey: process.env.SHOPIFY_API_KEY });
    const home = await homeLoader(routeArgs(await adminDocumentRequest(shop)));
    expect(home.overview).toMatchObject({ customers: 0, orders: 0, currencyCode: "USD" });
  });

  it("serves the admin's fetches with a Bearer session token", async () => {
    const shop = uniqueShop("auth-bearer");
    await ensureShop(shop);
    await storeOfflineSession(shop);
    const home = await homeLoader(routeArgs(await adminFetchRequest(shop, "/app")));
    expect(home.overview).not.toBeNull();
  });

  it("refuses a forged session token in the URL", async () => {
    const shop = uniqueShop("auth-forged");
    await ensureShop(shop);
    await storeOfflineSession(shop);
    const response = await thrownResponse(homeLoader(routeArgs(forge(await adminDocumentRequest(shop), "query"))));
    expect([302, 401]).toContain(response.status);
  });

  it("refuses a forged Bearer token with 401", async () => {
    const shop = uniqueShop("auth-forged-bearer");
    await ensureShop(shop);
    await storeOfflineSession(shop);
    const response = await thrownResponse(
      homeLoader(routeArgs(forge(await adminFetchRequest(shop, "/app"), "header"))),
    );
    expect(response.status).toBe(401);
  });
});

// A token signed with the app's secret (so the signature, audience and expiry all pass) whose
// other claims are whatever the test says.
function appSignedToken(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const body = `${part({ alg: "HS256", typ: "JWT" })}.${part({ aud: apiKey(), exp: now + 60, nbf: now - 5, iat: now, jti: "j", sid: "s", ...claims })}`;
  return `${body}.${createHmac("sha256", apiSecret()).update(body).digest("base64url")}`;
}

const bearer = (token: string, path = "/app") =>
  new Request(`${process.env.SHOPIFY_APP_URL}${path}`, { headers: { Authorization: `Bearer ${token}` } });

describe("admin session tokens name a staff user of the shop's admin", () => {
  it("refuses app-signed tokens that are not a staff user's with 401, and serves one that is", async () => {
    const shop = uniqueShop("auth-claims");
    const other = uniqueShop("auth-claims-other");
    await ensureShop(shop);
    await storeOfflineSession(shop);
    const staff = { iss: `https://${shop}/admin`, dest: `https://${shop}`, sub: "42" };
    const refused = [
      // A customer account's token: sub a customer gid, dest a bare domain (this gave a 500).
      { iss: `https://${shop}/account`, dest: shop, sub: "gid://shopify/Customer/7" },
      // A URL dest, but a customer for sub.
      { ...staff, sub: "gid://shopify/Customer/7" },
      { ...staff, sub: "" },
      { iss: staff.iss, dest: staff.dest },
      // iss and dest disagree on the shop, or name something other than its admin.
      { ...staff, iss: `https://${other}/admin` },
      { ...staff, dest: `https://${other}` },
      { ...staff, iss: `https://${shop}/account` },
      { ...staff, dest: `http://${shop}` },
      { ...staff, dest: `https://${shop}/admin` },
      { iss: "https://example.com/admin", dest: "https://example.com", sub: "42" },
    ];
    for (const claims of refused) {
      for (const loader of [appLoader, homeLoader]) {
        const response = await thrownResponse(loader(routeArgs(bearer(appSignedToken(claims)))));
        expect({ claims, status: response.status }).toEqual({ claims, status: 401 });
      }
      const url = new URL(`${process.env.SHOPIFY_APP_URL}/app`);
      url.search = new URLSearchParams({ embedded: "1", shop, id_token: appSignedToken(claims) }).toString();
      const document = await thrownResponse(appLoader(routeArgs(new Request(url))));
      expect({ claims, status: document.status }).toEqual({ claims, status: 401 });
    }
    const home = await homeLoader(routeArgs(bearer(appSignedToken(staff))));
    expect(home.overview).not.toBeNull();
  });

  it("serves the demo's own tokens", async () => {
    const shop = uniqueShop("auth-demo-token");
    await ensureShop(shop);
    await storeOfflineSession(shop);
    const token = signSessionToken({ shop, apiKey: apiKey(), apiSecret: apiSecret() });
    await expect(appLoader(routeArgs(bearer(token)))).resolves.toMatchObject({ apiKey: apiKey() });
  });
});

describe("the home page's Analyse now", () => {
  it("queues one CLV refresh for the merchant's shop", async () => {
    const shop = uniqueShop("analyse-now");
    await ensureShop(shop);
    await storeOfflineSession(shop);
    const post = async () => {
      const request = await adminFetchRequest(shop, "/app?index");
      return homeAction(routeArgs(new Request(request.url, { method: "POST", headers: request.headers })));
    };
    await expect(post()).resolves.toEqual({ refreshRequested: true });
    await post();
    const boss = await jobQueue();
    const jobs = await boss.findJobs(QUEUES.clvRefresh, { key: shop, queued: true });
    expect(jobs).toHaveLength(1);
    expect(jobs[0].data).toEqual({ shop, trigger: "on demand" });
    await stopJobQueue();
  });
});
