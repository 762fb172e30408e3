import { afterAll, describe, expect, it } from "vitest";

import prisma, { databasePool } from "~/db.server";
import { MAX_WEBHOOK_BYTES } from "~/sync/webhook-verify.server";
import { stopJobQueue } from "~/platform/jobs.server";
import { ensureShop } from "~/sync/shops.server";

import { deliver } from "../helpers/deliver";
import { orderPayload, refundPayload, type OrderFixture } from "../helpers/orders";
import { storeOfflineSession, uniqueShop } from "../helpers/shopify";

afterAll(() => stopJobQueue());

// Ids beyond 2^53: any pass through a JS number would change them.
const ORDER = 820982911946154508n;
const CUSTOMER = 115310627314723954n;

async function newShop(label: string) {
  const shop = uniqueShop(label);
  const row = await ensureShop(shop);
  await storeOfflineSession(shop);
  return { shop, shopId: row.id };
}

async function orderRow(shopId: string, shopifyId = ORDER) {
  return prisma.order.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId } } });
}

async function customerRow(shopId: string, shopifyId = CUSTOMER) {
  return prisma.customer.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId } } });
}

async function rowCounts(shopId: string, shopDomain: string) {
  const [orders, customers, refunds, deliveries] = await Promise.all([
    prisma.order.count({ where: { shopId } }),
    prisma.customer.count({ where: { shopId } }),
    prisma.refund.count({ where: { shopId } }),
    prisma.webhookDelivery.count({ where: { shopDomain } }),
  ]);
  return { orders, customers, refunds, deliveries };
}

const baseOrder: OrderFixture = {
  id: ORDER,
  updatedAt: "2026-03-01T10:00:00Z",
  customer: { id: CUSTOMER },
  subtotalCents: 10_000,
  shippingCents: 700,
  taxCents: 800,
};

describe("orders webhooks", () => {
  it("store the order with exact ids and shop-money amounts, and the customer's rollups", async () => {
    const { shop, shopId } = await newShop("create");
    const delivery = await deliver({ topic: "orders/create", shop, payload: orderPayload(baseOrder) });
    expect(delivery).toMatchObject({ status: 200, outcome: "applied" });
    const order = await orderRow(shopId);
    expect(order).toMatchObject({ shopifyId: ORDER, currencyCode: "USD" });
    expect(order!.subtotal.toFixed(2)).toBe("100.00");
    expect(order!.totalShipping.toFixed(2)).toBe("7.00");
    expect(order!.totalTax.toFixed(2)).toBe("8.00");
    expect(order!.totalPrice.toFixed(2)).toBe("115.00");
    expect(order!.netRevenue.toFixed(2)).toBe("100.00");
    const customer = await customerRow(shopId);
    expect(customer).toMatchObject({ shopifyId: CUSTOMER, ordersCount: 1, email: `customer-${CUSTOMER}@example.com` });
    expect(customer!.netRevenue.toFixed(2)).toBe("100.00");
    expect(customer!.firstOrderAt).toEqual(order!.processedAt);
  });

  it("apply a duplicate delivery (same event id) once", async () => {
    const { shop, shopId } = await newShop("duplicate");
    const second = { ...baseOrder, id: ORDER + 1n };
    await deliver({ topic: "orders/create", shop, payload: orderPayload(baseOrder), eventId: "event-1" });
    const again = await deliver({ topic: "orders/create", shop, payload: orderPayload(baseOrder), eventId: "event-1" });
    expect(again).toMatchObject({ status: 200, outcome: "duplicate" });
    await deliver({ topic: "orders/create", shop, payload: orderPayload(second), eventId: "event-2" });
    await deliver({ topic: "orders/create", shop, payload: orderPayload(second), eventId: "event-2" });
    const customer = await customerRow(shopId);
    expect(customer!.ordersCount).toBe(2);
    expect(customer!.netRevenue.toFixed(2)).toBe("200.00");
  });

  it("never let an older snapshot overwrite a newer one", async () => {
    const { shop, shopId } = await newShop("out-of-order");
    const newer = { ...baseOrder, updatedAt: "2026-03-02T10:00:00Z", subtotalCents: 8_000 };
    expect((await deliver({ topic: "orders/updated", shop, payload: orderPayload(newer) })).outcome).toBe("applied");
    expect((await deliver({ topic: "orders/create", shop, payload: orderPayload(baseOrder) })).status).toBe(200);
    expect((await orderRow(shopId))!.subtotal.toFixed(2)).toBe("80.00");
    expect((await customerRow(shopId))!.netRevenue.toFixed(2)).toBe("80.00");
  });

  it("reverse refunds in any order: keyed by their own id, counted once", async () => {
    const { shop, shopId } = await newShop("refunds");
    const refund = {
      id: 890088186047892319n,
      orderId: ORDER,
      createdAt: "2026-03-05T10:00:00Z",
      amountCents: 3_300,
      merchandiseCents: 3_000,
    };
    // The refund arrives before the order, twice, then the order without it, then with it.
    await deliver({ topic: "refunds/create", shop, payload: refundPayload(refund), eventId: "refund-1" });
    await deliver({ topic: "refunds/create", shop, payload: refundPayload(refund), eventId: "refund-1" });
    await deliver({ topic: "orders/create", shop, payload: orderPayload(baseOrder) });
    let order = await orderRow(shopId);
    expect(order!.netRevenue.toFixed(2)).toBe("70.00");
    expect(order!.totalRefunded.toFixed(2)).toBe("33.00");
    const refunded = {
      ...baseOrder,
      updatedAt: "2026-03-05T10:00:01Z",
      currentSubtotalCents: 7_000,
      refunds: [refund],
    };
    await deliver({ topic: "orders/updated", shop, payload: orderPayload(refunded) });
    order = await orderRow(shopId);
    expect(order!.netRevenue.toFixed(2)).toBe("70.00");
    expect(order!.totalRefunded.toFixed(2)).toBe("33.00");
    expect(await prisma.refund.count({ where: { shopId } })).toBe(1);
    expect((await customerRow(shopId))!.netRevenue.toFixed(2)).toBe("70.00");
    // A full refund: nothing left, the order still counts as an order.
    const full = {
      ...refund,
      id: refund.id + 10n,
      createdAt: "2026-03-06T10:00:00Z",
      amountCents: 7_700,
      merchandiseCents: 7_000,
    };
    await deliver({ topic: "refunds/create", shop, payload: refundPayload(full) });
    expect((await orderRow(shopId))!.netRevenue.toFixed(2)).toBe("0.00");
    expect(await customerRow(shopId)).toMatchObject({ ordersCount: 1 });
  });

  it("store a refund of a EUR-presented order in the USD shop's money", async () => {
    const { shop, shopId } = await newShop("refund-eur");
    await deliver({ topic: "orders/create", shop, payload: orderPayload(baseOrder) });
    // €30 of merchandise and €33 returned; the sets say $33.00 for the €30 (1 EUR = 1.10 USD).
    const refund = {
      id: 890088186047892319n,
      orderId: ORDER,
      createdAt: "2026-03-05T10:00:00Z",
      amountCents: 3_630,
      merchandiseCents: 3_300,
      presentment: { currencyCode: "EUR", amountCents: 3_300, merchandiseCents: 3_000 },
    };
    const delivery = await deliver({ topic: "refunds/create", shop, payload: refundPayload(refund) });
    expect(delivery).toMatchObject({ status: 200, outcome: "applied" });
    const order = await orderRow(shopId);
    expect(order!.totalRefunded.toFixed(2)).toBe("36.30");
    expect(order!.netRevenue.toFixed(2)).toBe("67.00");
  });

  it("stop counting cancelled and test orders", async () => {
    const { shop, shopId } = await newShop("cancel");
    await deliver({ topic: "orders/create", shop, payload: orderPayload(baseOrder) });
    await deliver({
      topic: "orders/create",
      shop,
      payload: orderPayload({ ...baseOrder, id: ORDER + 5n, test: true }),
    });
    expect(await customerRow(shopId)).toMatchObject({ ordersCount: 1 });
    const cancelled = { ...baseOrder, updatedAt: "2026-03-03T10:00:00Z", cancelledAt: "2026-03-03T10:00:00Z" };
    await deliver({ topic: "orders/cancelled", shop, payload: orderPayload(cancelled) });
    const customer = await customerRow(shopId);
    expect(customer).toMatchObject({ ordersCount: 0, firstOrderAt: null });
    expect(customer!.netRevenue.toFixed(2)).toBe("0.00");
  });

  it("keep a deleted order deleted when an older update arrives later", async () => {
    const { shop, shopId } = await newShop("delete");
    await deliver({ topic: "orders/create", shop, payload: orderPayload(baseOrder) });
    await deliver({ topic: "orders/delete", shop, payload: { id: ORDER } });
    await deliver({
      topic: "orders/updated",
      shop,
      payload: orderPayload({ ...baseOrder, updatedAt: "2026-03-09T00:00:00Z" }),
    });
    expect((await orderRow(shopId))!.deletedAt).not.toBeNull();
    expect(await customerRow(shopId)).toMatchObject({ ordersCount: 0 });
  });

  it("count a $0 order as an order with no revenue, and a guest order for the shop only", async () => {
    const { shop, shopId } = await newShop("zero-guest");
    await deliver({
      topic: "orders/create",
      shop,
      payload: orderPayload({ ...baseOrder, subtotalCents: 0, taxCents: 0 }),
    });
    await deliver({
      topic: "orders/create",
      shop,
      payload: orderPayload({ ...baseOrder, id: ORDER + 9n, customer: null }),
    });
    expect(await customerRow(shopId)).toMatchObject({ ordersCount: 1 });
    expect(await prisma.order.count({ where: { shopId, customerId: null } })).toBe(1);
  });
});

describe("customers webhooks", () => {
  it("keep the newest name and email, whatever the delivery order", async () => {
    const { shop, shopId } = await newShop("customers");
    const customer = (email: string, updatedAt: string) => ({
      id: CUSTOMER,
      email,
      first_name: "Bob",
      last_name: "Biller",
      created_at: "2025-01-01T00:00:00Z",
      updated_at: updatedAt,
      default_address: { address1: "151 O'Connor Street" },
    });
    await deliver({ topic: "customers/update", shop, payload: customer("new@example.com", "2026-02-02T00:00:00Z") });
    await deliver({ topic: "customers/create", shop, payload: customer("old@example.com", "2026-01-01T00:00:00Z") });
    expect(await customerRow(shopId)).toMatchObject({ email: "new@example.com", firstName: "Bob", ordersCount: 0 });
  });

  it("erase a deleted customer's personal data but keep the order amounts", async () => {
    const { shop, shopId } = await newShop("customer-delete");
    await deliver({ topic: "orders/create", shop, payload: orderPayload(baseOrder) });
    await deliver({ topic: "customers/delete", shop, payload: { id: CUSTOMER, phone: null, addresses: [] } });
    const customer = await customerRow(shopId);
    expect(customer).toMatchObject({ email: null, firstName: null, lastName: null, ordersCount: 1 });
    expect(customer!.redactedAt).not.toBeNull();
  });
});

describe("privacy (compliance) webhooks", () => {
  it("customers/data_request records what Perennial holds", async () => {
    const { shop, shopId } = await newShop("data-request");
    await deliver({ topic: "orders/create", shop, payload: orderPayload(baseOrder) });
    const request = {
      shop_id: 954889,
      shop_domain: shop,
      customer: { id: CUSTOMER, email: "x@example.com", phone: null },
      orders_requested: [ORDER],
      data_request: { id: 9999 },
    };
    expect((await deliver({ topic: "customers/data_request", shop, payload: request })).status).toBe(200);
    const recorded = await prisma.dataRequest.findFirstOrThrow({ where: { shopId } });
    expect(recorded.customerShopifyId).toBe(CUSTOMER);
    expect(recorded.data).toMatchObject({
      customer: { id: CUSTOMER.toString(), email: `customer-${CUSTOMER}@example.com`, ordersCount: 1 },
      orders: [{ id: ORDER.toString(), netRevenue: "100.00" }],
    });
  });

  it("customers/redact erases the customer's personal data, keeps anonymous amounts", async () => {
    const { shop, shopId } = await newShop("redact");
    await deliver({ topic: "orders/create", shop, payload: orderPayload(baseOrder) });
    await deliver({
      topic: "customers/data_request",
      shop,
      payload: { shop_domain: shop, customer: { id: CUSTOMER }, orders_requested: [] },
    });
    const request = {
      shop_id: 954889,
      shop_domain: shop,
      customer: { id: CUSTOMER, email: "x@example.com" },
      orders_to_redact: [ORDER],
    };
    expect((await deliver({ topic: "customers/redact", shop, payload: request })).status).toBe(200);
    const customer = await customerRow(shopId);
    expect(customer).toMatchObject({ email: null, firstName: null, lastName: null, ordersCount: 1 });
    expect((await orderRow(shopId))!.netRevenue.toFixed(2)).toBe("100.00");
    expect(await prisma.dataRequest.count({ where: { shopId } })).toBe(0);
    // A later update cannot bring the personal data back.
    await deliver({
      topic: "customers/update",
      shop,
      payload: { id: CUSTOMER, email: "back@example.com", updated_at: "2030-01-01T00:00:00Z" },
    });
    expect((await customerRow(shopId))!.email).toBeNull();
  });

  it("shop/redact deletes every row of the shop", async () => {
    const { shop, shopId } = await newShop("shop-redact");
    await deliver({ topic: "orders/create", shop, payload: orderPayload({ ...baseOrder, refunds: [] }) });
    // Shopify sends it 48 hours after the uninstall.
    await deliver({ topic: "app/uninstalled", shop, payload: { id: 1, domain: null, myshopify_domain: shop } });
    const delivery = await deliver({ topic: "shop/redact", shop, payload: { shop_id: 954889, shop_domain: shop } });
    expect(delivery).toMatchObject({ status: 200, outcome: "shop-deleted" });
    expect(await prisma.shop.count({ where: { id: shopId } })).toBe(0);
    expect(await prisma.order.count({ where: { shopId } })).toBe(0);
    expect(await prisma.customer.count({ where: { shopId } })).toBe(0);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    expect(await prisma.webhookDelivery.count({ where: { shopDomain: shop } })).toBe(0);
  });

  it("shop/redact for another shop than the delivery's is refused and deletes nothing", async () => {
    const { shop, shopId } = await newShop("shop-redact-mismatch");
    const delivery = await deliver({
      topic: "shop/redact",
      shop,
      payload: { shop_id: 1, shop_domain: "someone-else.myshopify.com" },
    });
    expect(delivery).toMatchObject({ status: 200, outcome: "quarantined" });
    expect(await prisma.shop.count({ where: { id: shopId } })).toBe(1);
  });

  it("app/uninstalled marks the shop inactive and deletes its sessions", async () => {
    const { shop, shopId } = await newShop("uninstall");
    expect(
      (await deliver({ topic: "app/uninstalled", shop, payload: { id: 1, domain: null, myshopify_domain: shop } }))
        .status,
    ).toBe(200);
    expect(await prisma.shop.findUnique({ where: { id: shopId } })).toMatchObject({ isActive: false });
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
  });
});

describe("bad input", () => {
  it("answers 4xx to a delivery that is not Shopify's, and writes nothing", async () => {
    const { shop, shopId } = await newShop("bad");
    const before = await rowCounts(shopId, shop);
    const cases = [
      {
        name: "oversized body",
        delivery: await deliver({
          topic: "orders/create",
          shop,
          payload: "x".repeat(MAX_WEBHOOK_BYTES + 1),
          raw: true,
        }),
        status: 413,
      },
      {
        name: "topic at the wrong address",
        delivery: await deliver({ topic: "customers/create", shop, payload: orderPayload(baseOrder), route: "orders" }),
        status: 400,
      },
      {
        name: "forged signature",
        delivery: await deliver({ topic: "orders/create", shop, payload: orderPayload(baseOrder), secret: "forged" }),
        status: 401,
      },
    ];
    for (const { name, delivery, status } of cases) expect(delivery.status, name).toBe(status);
    expect(await rowCounts(shopId, shop)).toEqual(before);
    expect(await prisma.webhookQuarantine.count({ where: { shopDomain: shop } })).toBe(0);
  });

  it("quarantines a signed payload that can never be applied: 200, nothing applied", async () => {
    const { shop, shopId } = await newShop("bad-signed");
    const before = await rowCounts(shopId, shop);
    const cases = [
      { name: "malformed JSON", payload: "{oops", raw: true },
      { name: "missing fields", payload: { id: ORDER } },
      {
        name: "bad amount",
        payload: {
          ...orderPayload(baseOrder),
          subtotal_price_set: { shop_money: { amount: "ten", currency_code: "USD" } },
        },
      },
    ];
    for (const [index, { name, payload, raw }] of cases.entries()) {
      const delivery = await deliver({ topic: "orders/create", shop, payload, raw, eventId: `bad-${index}` });
      expect(delivery, name).toMatchObject({ status: 200, outcome: "quarantined" });
    }
    expect(await rowCounts(shopId, shop)).toEqual(before);
    const kept = await prisma.webhookQuarantine.findMany({ where: { shopDomain: shop }, orderBy: { id: "asc" } });
    expect(kept).toHaveLength(3);
    expect(kept[1].reason).toMatch(/orders\/create payload/);
  });

  it("logs and ignores a webhook for a shop Perennial does not know, writing nothing", async () => {
    const shop = uniqueShop("unknown");
    const delivery = await deliver({
      topic: "orders/create",
      shop,
      payload: orderPayload(baseOrder),
      eventId: "unknown-shop-event",
    });
    expect(delivery).toMatchObject({ status: 200, outcome: "unknown-shop" });
    expect(await prisma.webhookDelivery.count({ where: { shopDomain: shop } })).toBe(0);
    expect(await prisma.order.count({ where: { shopifyId: ORDER, shop: { shopDomain: shop } } })).toBe(0);
  });
});

describe("customer rollups", () => {
  it("keep the second order's time for repeat-purchase figures", async () => {
    const { shop, shopId } = await newShop("second-order");
    const at = (day: number) => `2026-03-0${day}T10:00:00Z`;
    for (const [index, day] of [3, 1, 2].entries()) {
      await deliver({
        topic: "orders/create",
        shop,
        payload: orderPayload({ ...baseOrder, id: ORDER + BigInt(index), processedAt: at(day), updatedAt: at(day) }),
      });
    }
    const customer = await customerRow(shopId);
    expect(customer).toMatchObject({
      ordersCount: 3,
      firstOrderAt: new Date(at(1)),
      secondOrderAt: new Date(at(2)),
      lastOrderAt: new Date(at(3)),
    });
  });
});

describe("the ingest statement", () => {
  it("keeps working when the pool replaces its connection", async () => {
    const { shop, shopId } = await newShop("reconnect");
    const first = await deliver({ topic: "orders/create", shop, payload: orderPayload(baseOrder) });
    expect(first).toMatchObject({ status: 200, outcome: "applied" });
    // What an idle timeout does: the pool's connection goes and a new one comes. On PGlite every
    // connection shares one session, so a statement prepared by name on the first would clash.
    const pool = await databasePool();
    const client = await pool.connect();
    client.release(true);
    const next = orderPayload({ ...baseOrder, id: ORDER + 1n });
    expect(await deliver({ topic: "orders/create", shop, payload: next })).toMatchObject({
      status: 200,
      outcome: "applied",
    });
    expect(await prisma.order.count({ where: { shopId } })).toBe(2);
  });
});

describe("concurrent order webhooks", () => {
  it("apply each exactly once, and a failing one fails alone", async () => {
    const { shop, shopId } = await newShop("batched");
    const order = (index: number) =>
      orderPayload({ ...baseOrder, id: ORDER + BigInt(index), customer: { id: CUSTOMER + BigInt(index % 7) } });
    // Beyond numeric(14,2): valid JSON and a valid amount, but the database refuses it.
    const tooLarge = {
      ...orderPayload({ ...baseOrder, id: ORDER + 999n }),
      subtotal_price_set: { shop_money: { amount: "9999999999999999.00", currency_code: "USD" } },
    };
    const deliveries = [
      ...Array.from({ length: 60 }, (_, index) =>
        deliver({ topic: "orders/create", shop, payload: order(index), eventId: `batch-${index}` }),
      ),
      ...Array.from({ length: 15 }, (_, index) =>
        deliver({ topic: "orders/create", shop, payload: order(index), eventId: `batch-${index}` }),
      ),
      deliver({ topic: "orders/create", shop, payload: tooLarge, eventId: "batch-too-large" }),
    ];
    const results = await Promise.allSettled(deliveries);
    const statuses = results.map((result) => (result.status === "fulfilled" ? result.value.status : "rejected"));
    expect(statuses.slice(0, 75).every((status) => status === 200)).toBe(true);
    // Data the database refuses can never be applied: quarantined, alone.
    expect(results[75]).toMatchObject({ status: "fulfilled", value: { status: 200, outcome: "quarantined" } });
    expect(await prisma.webhookQuarantine.count({ where: { shopDomain: shop } })).toBe(1);
    const outcomes = results
      .slice(0, 75)
      .map((result) => (result.status === "fulfilled" ? result.value.outcome : null));
    expect(outcomes.filter((outcome) => outcome === "applied")).toHaveLength(60);
    expect(outcomes.filter((outcome) => outcome === "duplicate")).toHaveLength(15);
    expect(await prisma.order.count({ where: { shopId } })).toBe(60);
    expect(await prisma.webhookDelivery.count({ where: { shopDomain: shop } })).toBe(60);
    const customers = await prisma.customer.findMany({ where: { shopId } });
    expect(customers.reduce((sum, customer) => sum + customer.ordersCount, 0)).toBe(60);
  });
});
