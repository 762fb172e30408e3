// Issue 12 item 4: a signed delivery that can never be applied is kept in quarantine and answered
// 200, so that Shopify stops retrying; it shows on the Sync status card and a replay applies it
// after a fix. A forged one is still a 401.
import { afterAll, describe, expect, it } from "vitest";

import prisma from "~/db.server";
import { loadSyncStatus } from "~/insight/sync-status.server";
import { stopJobQueue } from "~/platform/jobs.server";
import { ensureShop } from "~/sync/shops.server";
import { quarantineDelivery, replayQuarantined, unapplicableReason } from "~/sync/webhook-quarantine.server";

import { deliver } from "../helpers/deliver";
import { orderPayload, shopifyJson } from "../helpers/orders";
import { storeOfflineSession, uniqueShop } from "../helpers/shopify";

afterAll(() => stopJobQueue());

const ORDER = 820982911946154508n;
const CUSTOMER = 115310627314723954n;
const order = (change: Record<string, unknown> = {}) => ({
  ...orderPayload({ id: ORDER, updatedAt: "2026-03-01T10:00:00Z", customer: { id: CUSTOMER }, subtotalCents: 10_000 }),
  ...change,
});

async function newShop(label: string) {
  const shop = uniqueShop(label);
  const { id: shopId } = await ensureShop(shop);
  await storeOfflineSession(shop);
  return { shop, shopId };
}

const quarantined = (shopDomain: string) =>
  prisma.webhookQuarantine.findMany({ where: { shopDomain }, orderBy: { id: "asc" } });

async function written(shopId: string, shopDomain: string) {
  const [orders, customers, deliveries] = await Promise.all([
    prisma.order.count({ where: { shopId } }),
    prisma.customer.count({ where: { shopId } }),
    prisma.webhookDelivery.count({ where: { shopDomain } }),
  ]);
  return { orders, customers, deliveries };
}

const nothing = { orders: 0, customers: 0, deliveries: 0 };

describe("a signed delivery that can never be applied", () => {
  it("with a \\u0000 in an order's string: kept as received, answered 200, nothing applied", async () => {
    const { shop, shopId } = await newShop("quarantine-nul-order");
    const payload = order({ name: "#1001\u0000" });
    const delivery = await deliver({ topic: "orders/create", shop, payload, eventId: "nul-1" });
    expect(delivery).toMatchObject({ status: 200, outcome: "quarantined" });
    expect(await written(shopId, shop)).toEqual(nothing);
    const [row] = await quarantined(shop);
    expect(row).toMatchObject({ topic: "orders/create", eventId: "nul-1", apiVersion: "2026-07", attempts: 1 });
    expect(row.reason).toMatch(/22P05/);
    expect(Buffer.from(row.body).toString("utf8")).toBe(shopifyJson(payload));
    // Shopify delivering the same event again adds no row.
    expect((await deliver({ topic: "orders/create", shop, payload, eventId: "nul-1" })).outcome).toBe("quarantined");
    expect(await quarantined(shop)).toMatchObject([{ eventId: "nul-1", attempts: 2 }]);
  });

  it("with a \\u0000 in a customer's name, an id beyond 64 bits, or a body that is not JSON", async () => {
    const { shop, shopId } = await newShop("quarantine-kinds");
    const cases = [
      {
        topic: "customers/create",
        payload: { id: CUSTOMER, first_name: "Bob\u0000", updated_at: "2026-03-01T10:00:00Z" },
      },
      { topic: "orders/create", payload: order({ id: "9".repeat(25) }) },
      { topic: "orders/delete", payload: { id: "18446744073709551616" } },
      { topic: "refunds/create", payload: "{not json", raw: true },
    ];
    for (const [index, { topic, payload, raw }] of cases.entries()) {
      const delivery = await deliver({ topic, shop, payload, raw, eventId: `kind-${index}` });
      expect(delivery, topic).toMatchObject({ status: 200, outcome: "quarantined" });
    }
    expect(await written(shopId, shop)).toEqual(nothing);
    const rows = await quarantined(shop);
    expect(rows.map((row) => row.topic)).toEqual(cases.map((c) => c.topic));
    expect(rows[1].reason).toMatch(/orders\/create payload: id/);
    expect(rows[2].reason).toMatch(/beyond a 64-bit id/);
    expect(rows[3].reason).toMatch(/not valid JSON/);
  });

  it("is counted on the Sync status card", async () => {
    const { shop } = await newShop("quarantine-status");
    expect((await loadSyncStatus(shop)).quarantined).toBe(0);
    await deliver({ topic: "orders/create", shop, payload: order({ name: "\u0000" }), eventId: "status-1" });
    await deliver({ topic: "orders/create", shop, payload: order({ name: "\u0000" }), eventId: "status-2" });
    expect((await loadSyncStatus(shop)).quarantined).toBe(2);
    expect((await loadSyncStatus(uniqueShop("other"))).quarantined).toBe(0);
  });

  it("but forged is still a 401 and kept nowhere", async () => {
    const { shop, shopId } = await newShop("quarantine-forged");
    const delivery = await deliver({
      topic: "orders/create",
      shop,
      payload: order({ name: "\u0000" }),
      secret: "forged",
    });
    expect(delivery.status).toBe(401);
    expect(await quarantined(shop)).toEqual([]);
    expect(await written(shopId, shop)).toEqual(nothing);
  });

  it("goes when its shop is erased", async () => {
    const { shop } = await newShop("quarantine-shop-redact");
    await deliver({ topic: "orders/create", shop, payload: order({ name: "\u0000" }) });
    await deliver({ topic: "app/uninstalled", shop, payload: { id: 1, domain: null, myshopify_domain: shop } });
    await deliver({ topic: "shop/redact", shop, payload: { shop_id: 1, shop_domain: shop } });
    expect(await quarantined(shop)).toEqual([]);
  });
});

describe("a failure that might pass on a retry", () => {
  it("is not quarantined: the route answers 500 and Shopify delivers again", () => {
    expect(unapplicableReason(new Error("Connection terminated unexpectedly"))).toBeNull();
    expect(unapplicableReason(Object.assign(new Error("deadlock detected"), { code: "40P01" }))).toBeNull();
    expect(unapplicableReason(Object.assign(new Error("timeout"), { code: "57014" }))).toBeNull();
    const prismaShaped = { meta: { driverAdapterError: { cause: { originalCode: "22003" } } } };
    expect(unapplicableReason(Object.assign(new Error("out of range"), prismaShaped))).toMatch(/22003/);
  });
});

describe("replaying the quarantine", () => {
  it("applies what now applies, removes it, and keeps what still cannot be applied", async () => {
    const { shop, shopId } = await newShop("quarantine-replay");
    await deliver({ topic: "orders/create", shop, payload: order({ name: "\u0000" }), eventId: "still-bad" });
    // A delivery quarantined by an earlier version that refused it; this version applies it.
    const fixed = order({ id: ORDER + 1n });
    await quarantineDelivery(
      {
        topic: "orders/create",
        shop,
        webhookId: "w-1",
        eventId: "fixed-since",
        apiVersion: "2026-07",
        triggeredAt: undefined,
        body: Buffer.from(shopifyJson(fixed)),
      },
      "refused by an earlier version",
    );
    const other = await newShop("quarantine-replay-other");
    await deliver({ topic: "orders/create", shop: other.shop, payload: order({ name: "\u0000" }) });

    const results = await replayQuarantined({ shop });
    expect(results.map((result) => [result.eventId, result.outcome])).toEqual([
      ["still-bad", "quarantined"],
      ["fixed-since", "applied"],
    ]);
    expect(await quarantined(shop)).toMatchObject([{ eventId: "still-bad" }]);
    expect(await written(shopId, shop)).toEqual({ orders: 1, customers: 1, deliveries: 1 });
    expect(await prisma.webhookDelivery.findFirst({ where: { shopDomain: shop } })).toMatchObject({
      eventId: "fixed-since",
    });
    // Another shop's quarantine is left alone, and --id picks one row.
    const [otherRow] = await quarantined(other.shop);
    expect(otherRow).toBeDefined();
    expect(await replayQuarantined({ id: otherRow.id })).toMatchObject([{ id: otherRow.id, outcome: "quarantined" }]);
  });
});

describe("a privacy request", () => {
  it("removes the quarantined deliveries that mention the customer, and only those", async () => {
    const { shop } = await newShop("quarantine-redact");
    const bob = { id: CUSTOMER, first_name: "Bob\u0000", updated_at: "2026-03-01T10:00:00Z" };
    await deliver({ topic: "customers/create", shop, payload: bob, eventId: "bob" });
    const neighbour = { ...bob, id: CUSTOMER * 10n + 1n };
    await deliver({ topic: "customers/create", shop, payload: neighbour, eventId: "neighbour" });
    const other = await newShop("quarantine-redact-other");
    await deliver({ topic: "customers/create", shop: other.shop, payload: bob, eventId: "bob-elsewhere" });
    expect(await quarantined(shop)).toHaveLength(2);
    const request = { shop_id: 1, shop_domain: shop, customer: { id: CUSTOMER }, orders_to_redact: [] };
    expect((await deliver({ topic: "customers/redact", shop, payload: request })).outcome).toBe("applied");
    expect((await quarantined(shop)).map((row) => row.eventId)).toEqual(["neighbour"]);
    expect(await quarantined(other.shop)).toHaveLength(1);
    await deliver({ topic: "customers/delete", shop, payload: { id: neighbour.id } });
    expect(await quarantined(shop)).toEqual([]);
  });
});
