import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { amountToCents } from "~/core/orders/money";
import {
  appUninstalledSchema,
  bulkOperationFinishSchema,
  customersDataRequestSchema,
  customersRedactSchema,
  deletionSchema,
  shopRedactSchema,
} from "~/core/orders/payloads";
import {
  customerWebhookSchema,
  orderEditedSchema,
  orderWebhookSchema,
  refundWebhookSchema,
} from "~/core/orders/snapshot";
import { parseExactJson } from "~/platform/exact-json";

import { orderPayload, shopifyJson } from "../../helpers/orders";

const SAMPLES = path.resolve(import.meta.dirname, "../../../../shared/fixtures/shopify-webhooks");
const hasSamples = fs.existsSync(SAMPLES);
if (!hasSamples)
  console.warn(`Skipping Shopify sample payload tests: ${SAMPLES} is absent (a fresh clone has no ../shared).`);
const sample = (name: string) => parseExactJson(fs.readFileSync(path.join(SAMPLES, name), "utf8"));

describe("amountToCents", () => {
  it("reads Shopify's decimal strings exactly", () => {
    expect(amountToCents("404.95")).toBe(40495);
    expect(amountToCents("0.10")).toBe(10);
    expect(amountToCents("1000")).toBe(100000);
    expect(amountToCents("19.999")).toBe(2000);
    expect(amountToCents("-5.5")).toBe(-550);
    expect(amountToCents(89.99)).toBe(8999);
    expect(() => amountToCents("ten")).toThrow();
    expect(() => amountToCents("")).toThrow();
  });
});

describe("order snapshots from our own fixtures", () => {
  it("keep a fully refunded order's current subtotal of zero", () => {
    const payload = parseExactJson(
      shopifyJson(
        orderPayload({ id: 1n, updatedAt: "2026-01-01T00:00:00Z", subtotalCents: 5000, currentSubtotalCents: 0 }),
      ),
    );
    expect(orderWebhookSchema.parse(payload)).toMatchObject({ subtotalCents: 5000, currentSubtotalCents: 0 });
  });

  it("fall back to the subtotal when the current subtotal is absent", () => {
    const payload = parseExactJson(
      shopifyJson(orderPayload({ id: 1n, updatedAt: "2026-01-01T00:00:00Z", subtotalCents: 5000 })),
    ) as Record<string, unknown>;
    delete payload.current_subtotal_price_set;
    expect(orderWebhookSchema.parse(payload).currentSubtotalCents).toBe(5000);
  });
});

describe.skipIf(!hasSamples)("each topic's schema against Shopify's samples", () => {
  it("accepts its own topic's sample and refuses another topic's", () => {
    expect(deletionSchema("Customer").parse(sample("customers_delete.json"))).toEqual({ id: 706405506930370084n });
    expect(deletionSchema("Order").parse(sample("orders_delete.json"))).toEqual({ id: 820982911946154508n });
    expect(appUninstalledSchema.parse(sample("app_uninstalled.json"))).toMatchObject({ id: 548380009n });
    expect(shopRedactSchema.parse(sample("shop_redact.json"))).toMatchObject({ shop_domain: "{shop}.myshopify.com" });
    expect(deletionSchema("Customer").safeParse(sample("customers_create.json")).success).toBe(false);
    expect(deletionSchema("Order").safeParse(sample("orders_create.json")).success).toBe(false);
    expect(customerWebhookSchema.safeParse(sample("orders_create.json")).success).toBe(false);
    expect(appUninstalledSchema.safeParse(sample("customers_create.json")).success).toBe(false);
  });
});

describe("ids", () => {
  it("refuses an id beyond 64 bits", () => {
    expect(deletionSchema("Order").parse({ id: "9223372036854775807" })).toEqual({ id: 9223372036854775807n });
    expect(deletionSchema("Order").safeParse({ id: "9223372036854775808" }).success).toBe(false);
    expect(deletionSchema("Order").safeParse({ id: "1".repeat(40) }).success).toBe(false);
  });
});

describe.skipIf(!hasSamples)("Shopify's sample payloads", () => {
  it("orders/create parses with exact ids and shop-money amounts", () => {
    const order = orderWebhookSchema.parse(sample("orders_create.json"));
    expect(order.shopifyId).toBe(820982911946154508n);
    expect(order.customer?.shopifyId).toBe(115310627314723954n);
    expect(order).toMatchObject({
      subtotalCents: 40495,
      currentSubtotalCents: 41495,
      shippingCents: 1000,
      discountsCents: 2000,
      test: true,
      currencyCode: "USD",
    });
    expect(order.cancelledAt).toEqual(new Date("2022-01-01T00:00:00Z"));
  });

  it("refunds/create parses merchandise and money refunded", () => {
    const refund = refundWebhookSchema.parse(sample("refunds_create.json"));
    expect(refund.shopifyId).toBe(890088186047892319n);
    expect(refund.orderShopifyId).toBe(820982911946154508n);
    expect(refund.merchandiseCents).toBeGreaterThan(0);
    // All in USD: the shop-money reading gives the transactions' total, as before the conversion.
    expect(refund.amountCents).toBe(8_500);
    expect(refund.merchandiseCents).toBe(41_495);
  });

  it("the other topics parse", () => {
    expect(customerWebhookSchema.parse(sample("customers_create.json"))).toMatchObject({
      shopifyId: 706405506930370084n,
      email: "bob@biller.com",
    });
    expect(orderEditedSchema.parse(sample("orders_edited.json")).order_edit.order_id).toBe(820982911946154508n);
    expect(customersRedactSchema.parse(sample("customers_redact.json")).customer.id).toBe(191167n);
    expect(customersDataRequestSchema.parse(sample("customers_data_request.json")).orders_requested).toEqual([
      299938n,
      280263n,
      220458n,
    ]);
    expect(bulkOperationFinishSchema.parse(sample("bulk_operations_finish.json")).status).toBe("completed");
  });
});
