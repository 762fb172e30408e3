// Webhooks as the production server receives them: over HTTP, through server.ts, which serves
// every webhook route with a plain Node handler (decision 010) instead of Remix.
import { createHmac } from "node:crypto";
import fs from "node:fs";
import type http from "node:http";
import net, { type AddressInfo } from "node:net";

import { http as mswHttp, passthrough } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import prisma from "~/db.server";
import { MAX_REQUEST_BYTES } from "~/platform/request-body.server";
import { MAX_WEBHOOK_BYTES } from "~/sync/webhook-verify.server";
import { stopJobQueue } from "~/platform/jobs.server";
import { ensureShop } from "~/sync/shops.server";

import { orderPayload, shopifyJson } from "../helpers/orders";
import { apiSecret, uniqueShop } from "../helpers/shopify";
import { shopifyApi } from "../setup/msw";

let server: http.Server;
let origin: string;

beforeAll(async () => {
  const { createServer } = await import("../../server");
  const app = await createServer({ workers: false });
  server = await new Promise<http.Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

// MSW refuses every request no test expects: these go to the server above.
beforeEach(() => {
  shopifyApi.use(mswHttp.post(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()));
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await stopJobQueue();
});

interface Post {
  path: string;
  topic: string;
  shop: string;
  body: string;
  eventId?: string;
  signed?: boolean;
}

async function post({ path, topic, shop, body, eventId, signed = true }: Post) {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": shop,
    "X-Shopify-API-Version": "2026-07",
    "X-Shopify-Webhook-Id": crypto.randomUUID(),
    "X-Shopify-Event-Id": eventId ?? crypto.randomUUID(),
  };
  if (signed) headers["X-Shopify-Hmac-Sha256"] = createHmac("sha256", apiSecret()).update(body).digest("base64");
  const response = await fetch(`${origin}${path}`, { method: "POST", headers, body });
  return { status: response.status, outcome: response.headers.get("X-Perennial-Outcome"), text: await response.text() };
}

// The subscriptions declared in shopify.app.toml: each address with its topics.
function declaredSubscriptions(): { uri: string; topics: string[] }[] {
  const toml = fs.readFileSync("shopify.app.toml", "utf8");
  return toml
    .split("[[webhooks.subscriptions]]")
    .slice(1)
    .map((block) => ({
      uri: /uri\s*=\s*"([^"]+)"/.exec(block)![1],
      topics: [.../topics\s*=\s*\[([^\]]*)\]/.exec(block)![1].matchAll(/"([^"]+)"/g)].map((match) => match[1]),
    }));
}

// The answer's head to a raw request: its headers, then (unless `declareOnly`) `bytes` of body in
// 256 KiB chunks, never finished. A raw socket, so nothing buffers the body before the server.
function rawRequest(path: string, headers: string, bytes: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = net.connect((server.address() as AddressInfo).port, "127.0.0.1");
    let answer = "";
    socket.on("data", (data: Buffer) => {
      answer += data.toString();
      if (answer.includes("\r\n\r\n")) {
        socket.destroy();
        resolve(answer);
      }
    });
    // The server may close the connection while chunks are still being written.
    socket.on("error", (error: NodeJS.ErrnoException) =>
      ["EPIPE", "ECONNRESET"].includes(error.code ?? "") ? undefined : reject(error),
    );
    socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`);
    if (!/transfer-encoding: chunked/i.test(headers)) return;
    const chunk = " ".repeat(256 * 1024);
    for (let sent = 0; sent <= bytes; sent += chunk.length) {
      if (!socket.destroyed) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    }
  });
}

/** A chunked body of more than `bytes`, with no Content-Length, never finished. */
const streamChunked = (path: string, headers: string, bytes: number) =>
  rawRequest(path, `Transfer-Encoding: chunked\r\n${headers}`, bytes);

/** Only the headers, declaring a body of `bytes` that is never sent. */
const declareOnly = (path: string, headers: string, bytes: number) =>
  rawRequest(path, `Content-Length: ${bytes}\r\n${headers}`, bytes);

describe("webhooks over HTTP in the production server", () => {
  it("serves every address of shopify.app.toml with exactly the topics declared for it", async () => {
    const subscriptions = declaredSubscriptions();
    expect(subscriptions.length).toBeGreaterThanOrEqual(6);
    const shop = uniqueShop("http-routing");
    for (const { uri, topics } of subscriptions) {
      const unsigned = await post({ path: uri, topic: topics[0], shop, body: "{}", signed: false });
      expect(unsigned, uri).toMatchObject({ status: 401, text: "Missing webhook signature" });
      // A topic of another address, or one Perennial does not subscribe to, is refused here.
      const elsewhere = subscriptions.flatMap((other) => other.topics).filter((topic) => !topics.includes(topic));
      for (const topic of [...elsewhere, "products/create"]) {
        const stranger = await post({ path: uri, topic, shop, body: "{}" });
        expect(stranger, `${uri} ${topic}`).toMatchObject({
          status: 400,
          text: `${topic} is not delivered to this address`,
        });
      }
      for (const topic of topics) {
        const delivery = await post({ path: uri, topic, shop, body: "{}" });
        expect(delivery.text, `${uri} ${topic}`).not.toContain("is not delivered to this address");
        expect(delivery.status, `${uri} ${topic}`).toBeLessThan(500);
      }
    }
  });

  it("applies a signed orders/create once, and acknowledges its second delivery without effect", async () => {
    const shop = uniqueShop("http-order");
    const { id: shopId } = await ensureShop(shop);
    const body = shopifyJson(
      orderPayload({
        id: 820982911946154508n,
        updatedAt: "2026-03-01T10:00:00Z",
        customer: { id: 115310627314723954n },
        subtotalCents: 10_000,
      }),
    );
    const first = await post({ path: "/webhooks/orders", topic: "orders/create", shop, body, eventId: "http-1" });
    const again = await post({ path: "/webhooks/orders", topic: "orders/create", shop, body, eventId: "http-1" });
    expect(first).toMatchObject({ status: 200, outcome: "applied" });
    expect(again).toMatchObject({ status: 200, outcome: "duplicate" });
    const order = await prisma.order.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId, shopifyId: 820982911946154508n } },
      include: { customer: true },
    });
    expect(order.customer).toMatchObject({ shopifyId: 115310627314723954n, ordersCount: 1 });
  });

  it("quarantines malformed JSON and a payload missing its fields with 200, applying nothing", async () => {
    const shop = uniqueShop("http-bad");
    const { id: shopId } = await ensureShop(shop);
    const broken = await post({ path: "/webhooks/orders", topic: "orders/create", shop, body: '{"id": 1,' });
    expect(broken.status).toBe(200);
    const empty = await post({ path: "/webhooks/orders", topic: "orders/create", shop, body: '{"id": 1}' });
    expect(empty.status).toBe(200);
    const kept = await prisma.webhookQuarantine.findMany({ where: { shopDomain: shop }, orderBy: { id: "asc" } });
    expect(kept.map((row) => row.reason)).toEqual([
      "Webhook body is not valid JSON",
      expect.stringMatching(/^Invalid orders\/create payload/),
    ]);
    expect(await prisma.order.count({ where: { shopId } })).toBe(0);
    expect(await prisma.webhookDelivery.count({ where: { shopDomain: shop } })).toBe(0);
  });

  it("refuses an oversized body with 413, whether its length is declared or only streamed", async () => {
    const shop = uniqueShop("http-large");
    const declared = await post({
      path: "/webhooks/orders",
      topic: "orders/create",
      shop,
      body: " ".repeat(MAX_WEBHOOK_BYTES + 1),
    });
    expect(declared).toMatchObject({ status: 413, text: "Webhook body too large" });

    // Chunked, with no Content-Length, and never finished: answered as soon as the bytes received
    // pass the limit, rather than buffered to the end. A raw socket, so nothing buffers it first.
    const streamed = await streamChunked(
      "/webhooks/orders",
      `X-Shopify-Topic: orders/create\r\nX-Shopify-Shop-Domain: ${shop}\r\n`,
      MAX_WEBHOOK_BYTES,
    );
    expect(streamed).toMatch(/^HTTP\/1\.1 413 /);
    expect(await prisma.webhookDelivery.count({ where: { shopDomain: shop } })).toBe(0);
  });

  it("answers 413 on a webhook route's Remix data path (.data) too, declared or streamed", async () => {
    const shop = uniqueShop("http-large-data");
    const headers = `X-Shopify-Topic: orders/create\r\nX-Shopify-Shop-Domain: ${shop}\r\n`;
    for (const uri of declaredSubscriptions().map((subscription) => subscription.uri)) {
      const declared = await declareOnly(`${uri}.data`, headers, 256 * 1024 * 1024);
      expect(declared, uri).toMatch(/^HTTP\/1\.1 413 /);
      const streamed = await streamChunked(`${uri}.data`, headers, MAX_WEBHOOK_BYTES);
      expect(streamed, uri).toMatch(/^HTTP\/1\.1 413 /);
    }
    expect(await prisma.webhookDelivery.count({ where: { shopDomain: shop } })).toBe(0);
  });
});

describe("every other request in the production server", () => {
  const form = "Content-Type: application/x-www-form-urlencoded\r\n";

  it("answers 413 to a body declared larger than the cap, before it is sent", async () => {
    for (const path of ["/auth/login", "/proxy/redeem", "/api/loyalty/redeem", "/app", "/nowhere"]) {
      const answer = await declareOnly(path, form, 256 * 1024 * 1024);
      expect(answer, path).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer, path).toMatch(/connection: close/i);
    }
  });

  it("answers 413 to a chunked body as soon as it passes the cap, without reading the rest", async () => {
    // The login form reads its whole body (a route that answers before reading needs no cap).
    const answer = await streamChunked("/auth/login", form, MAX_REQUEST_BYTES * 4);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });

  it("still answers a body under the cap", async () => {
    const answer = await fetch(`${origin}/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `shop=${"a".repeat(1000)}`,
      redirect: "manual",
    });
    expect(answer.status).toBeLessThan(413);
    await answer.text();
  });
});
