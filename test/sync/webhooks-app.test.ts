import { describe, expect, it } from "vitest";

import prisma from "~/db.server";
import { action as orders } from "~/routes/webhooks.orders";
import { action as scopesUpdate } from "~/routes/webhooks.app.scopes_update";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { ensureShop } from "~/sync/shops.server";
import { MAX_WEBHOOK_BYTES } from "~/sync/webhook-verify.server";

import { routeArgs, storeOfflineSession, uniqueShop, webhookRequest } from "../helpers/shopify";

async function statusOf(run: () => Promise<Response>): Promise<number> {
  try {
    return (await run()).status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

async function installedShop(label: string) {
  const shop = uniqueShop(label);
  await ensureShop(shop);
  await storeOfflineSession(shop);
  return shop;
}

async function stateOf(shop: string) {
  const row = await prisma.shop.findUniqueOrThrow({ where: { shopDomain: shop } });
  const sessions = await prisma.session.findMany({ where: { shop } });
  return { isActive: row.isActive, sessions: sessions.length, scope: sessions[0]?.scope };
}

const body = (shop: string) =>
  JSON.stringify({ id: 548380009, name: "Super Toys", domain: null, myshopify_domain: shop });

describe("webhooks/app/uninstalled", () => {
  it("answers 200 and marks the shop inactive, deleting its sessions", async () => {
    const shop = await installedShop("uninstall");
    const status = await statusOf(() =>
      uninstalled(routeArgs(webhookRequest({ topic: "app/uninstalled", shop, body: body(shop) }))),
    );
    expect(status).toBe(200);
    expect(await stateOf(shop)).toMatchObject({ isActive: false, sessions: 0 });
  });

  it("answers 401 to a bad signature and writes nothing", async () => {
    const shop = await installedShop("uninstall-forged");
    const request = webhookRequest({ topic: "app/uninstalled", shop, body: body(shop), secret: "someone-else" });
    expect(await statusOf(() => uninstalled(routeArgs(request)))).toBe(401);
    expect(await stateOf(shop)).toMatchObject({ isActive: true, sessions: 1 });
  });

  it("answers 401 when the signature header is missing, and writes nothing", async () => {
    const shop = await installedShop("uninstall-unsigned");
    const request = webhookRequest({
      topic: "app/uninstalled",
      shop,
      body: body(shop),
      omitHeaders: ["X-Shopify-Hmac-Sha256"],
    });
    expect(await statusOf(() => uninstalled(routeArgs(request)))).toBe(401);
    expect(await stateOf(shop)).toMatchObject({ isActive: true, sessions: 1 });
  });

  it("answers 400 when delivery headers are missing, and writes nothing", async () => {
    const shop = await installedShop("uninstall-headers");
    for (const missing of [
      "X-Shopify-Topic",
      "X-Shopify-Shop-Domain",
      "X-Shopify-Webhook-Id",
      "X-Shopify-API-Version",
    ]) {
      const request = webhookRequest({ topic: "app/uninstalled", shop, body: body(shop), omitHeaders: [missing] });
      expect(await statusOf(() => uninstalled(routeArgs(request))), missing).toBe(400);
    }
    expect(await stateOf(shop)).toMatchObject({ isActive: true, sessions: 1 });
  });

  it("quarantines a signed body that is not JSON (200), and answers 405 to a GET", async () => {
    const shop = await installedShop("uninstall-malformed");
    const malformed = webhookRequest({ topic: "app/uninstalled", shop, body: "{not json" });
    expect(await statusOf(() => uninstalled(routeArgs(malformed)))).toBe(200);
    expect(await prisma.webhookQuarantine.count({ where: { shopDomain: shop } })).toBe(1);
    const get = new Request("https://perennial.test/webhooks/app/uninstalled");
    expect(await statusOf(() => uninstalled(routeArgs(get)))).toBe(405);
    expect(await stateOf(shop)).toMatchObject({ isActive: true, sessions: 1 });
  });
});

describe("webhooks/app/scopes_update", () => {
  it("records the scopes now granted on the offline session", async () => {
    const shop = await installedShop("scopes");
    const payload = JSON.stringify({
      id: 1,
      previous: ["read_orders"],
      current: ["read_orders", "write_customers"],
      updated_at: "2026-07-01T00:00:00Z",
    });
    const status = await statusOf(() =>
      scopesUpdate(routeArgs(webhookRequest({ topic: "app/scopes_update", shop, body: payload }))),
    );
    expect(status).toBe(200);
    expect((await stateOf(shop)).scope).toBe("read_orders,write_customers");
  });

  it("quarantines a payload without the current scopes (200), and changes nothing", async () => {
    const shop = await installedShop("scopes-bad");
    const before = await stateOf(shop);
    const request = webhookRequest({ topic: "app/scopes_update", shop, body: JSON.stringify({ previous: [] }) });
    expect(await statusOf(() => scopesUpdate(routeArgs(request)))).toBe(200);
    expect(await prisma.webhookQuarantine.count({ where: { shopDomain: shop } })).toBe(1);
    expect(await stateOf(shop)).toEqual(before);
  });
});

describe("a webhook route's Remix action", () => {
  it("answers 413 to a streamed body as soon as it passes the limit, without reading the rest", async () => {
    const shop = uniqueShop("remix-large");
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(32));
      },
    });
    const headers = {
      "Content-Type": "application/json",
      "X-Shopify-Topic": "orders/create",
      "X-Shopify-Shop-Domain": shop,
    };
    const request = new Request(`${process.env.SHOPIFY_APP_URL}/webhooks/orders`, {
      method: "POST",
      headers,
      body: endless,
      duplex: "half",
    } as RequestInit);
    const answer = await orders(routeArgs(request));
    expect(answer.status).toBe(413);
    expect(await answer.text()).toBe("Webhook body too large");
    expect(pulled).toBeLessThan(MAX_WEBHOOK_BYTES + 1024 * 1024);
    expect(await prisma.webhookDelivery.count({ where: { shopDomain: shop } })).toBe(0);
  }, 15_000);
});
