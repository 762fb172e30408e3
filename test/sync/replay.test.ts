// Shopify delivers at least once and in any order. A messy delivery of a few thousand events
// (20% duplicated, shuffled) must leave exactly the state the clean, ordered stream leaves.
import { describe, expect, it } from "vitest";

import prisma from "~/db.server";
import { parseExactJson } from "~/platform/exact-json";
import { ingestWebhook } from "~/sync/webhook-ingest.server";
import { ensureShop } from "~/sync/shops.server";

import { deliverMessily, generateEventStream, type StreamEvent } from "../helpers/event-stream";
import { shopifyJson } from "../helpers/orders";
import { uniqueShop } from "../helpers/shopify";

async function replay(shop: string, events: StreamEvent[]) {
  for (const event of events) {
    await ingestWebhook({
      topic: event.topic,
      shop,
      webhookId: crypto.randomUUID(),
      eventId: event.eventId,
      apiVersion: "2026-07",
      triggeredAt: undefined,
      payload: parseExactJson(shopifyJson(event.payload)),
    });
  }
}

async function state(shopDomain: string) {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { shopDomain } });
  const orders = await prisma.order.findMany({
    where: { shopId: shop.id },
    orderBy: { shopifyId: "asc" },
    select: {
      shopifyId: true,
      shopifyUpdatedAt: true,
      subtotal: true,
      currentSubtotal: true,
      netRevenue: true,
      totalRefunded: true,
      cancelledAt: true,
      deletedAt: true,
      test: true,
      customer: { select: { shopifyId: true } },
    },
  });
  const customers = await prisma.customer.findMany({
    where: { shopId: shop.id },
    orderBy: { shopifyId: "asc" },
    select: { shopifyId: true, ordersCount: true, firstOrderAt: true, lastOrderAt: true, netRevenue: true },
  });
  const refunds = await prisma.refund.findMany({
    where: { shopId: shop.id },
    orderBy: { shopifyId: "asc" },
    select: { shopifyId: true, orderShopifyId: true, amount: true, merchandiseAmount: true, reflected: true },
  });
  return JSON.parse(
    JSON.stringify({ orders, customers, refunds }, (key, value) =>
      typeof value === "bigint" ? value.toString() : key === "deletedAt" && value ? "deleted" : value,
    ),
  ) as { orders: { netRevenue: string; deletedAt: string | null }[]; customers: unknown[]; refunds: unknown[] };
}

describe("replaying a messy delivery", () => {
  it("ends in exactly the state of the clean, ordered stream", async () => {
    const events = generateEventStream({ orders: 700, customers: 120, seed: 7 });
    const messy = deliverMessily(events, 11);
    expect(events.length).toBeGreaterThan(1500);
    expect(messy.length).toBeGreaterThan(events.length * 1.15);
    expect(new Set(events.map((event) => event.topic))).toEqual(
      new Set(["orders/create", "orders/updated", "refunds/create", "orders/cancelled", "orders/delete"]),
    );

    const clean = uniqueShop("replay-clean");
    const shuffled = uniqueShop("replay-messy");
    await ensureShop(clean);
    await ensureShop(shuffled);
    await replay(clean, events);
    await replay(shuffled, messy);

    const expected = await state(clean);
    const actual = await state(shuffled);
    expect(actual.orders.length).toBe(700);
    expect(actual.orders.filter((order) => order.deletedAt).length).toBeGreaterThan(5);
    expect(actual.refunds.length).toBeGreaterThan(200);
    expect(actual).toEqual(expected);
  }, 300_000);
});
