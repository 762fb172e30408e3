import { describe, expect, it } from "vitest";

import { loader as appLoader } from "~/routes/app";
import { action as homeAction, loader as homeLoader } from "~/routes/app._index";
import { jobQueue, QUEUES, stopJobQueue } from "~/platform/jobs.server";
import { ensureShop } from "~/sync/shops.server";

import {
  adminDocumentRequest,
  adminFetchRequest,
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
