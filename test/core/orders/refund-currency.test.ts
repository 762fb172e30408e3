// A refund of an order presented in EUR in a USD shop: Shopify's refunds/create sends the
// transactions' amounts in EUR (the presentment currency) and every *_set in both currencies.
// What we store is USD.
import { describe, expect, it } from "vitest";

import { refundWebhookSchema } from "~/core/orders/snapshot";

const pair = (usd: string, eur: string) => ({
  shop_money: { amount: usd, currency_code: "USD" },
  presentment_money: { amount: eur, currency_code: "EUR" },
});

const base = {
  id: "890088186047892319",
  order_id: "820982911946154508",
  created_at: "2026-03-05T10:00:00Z",
  processed_at: "2026-03-05T10:00:00Z",
};

describe("a EUR-presented refund in a USD shop", () => {
  it("counts the money returned in shop money, at the refund's own rate", () => {
    // €80 of merchandise and €16 of tax returned; the shop sees $88 and $17.60 (1 EUR = 1.10 USD).
    const refund = refundWebhookSchema.parse({
      ...base,
      refund_line_items: [{ subtotal_set: pair("88.00", "80.00"), total_tax_set: pair("17.60", "16.00") }],
      transactions: [{ amount: "96.00", currency: "EUR", kind: "refund", status: "success" }],
    });
    expect(refund.amountCents).toBe(10_560);
    expect(refund.merchandiseCents).toBe(8_800);
  });

  it("lets the transactions, not the items, say how much went back, and takes shipping and adjustments' rate too", () => {
    // Items worth €50 and €10 of shipping, but only €40 returned (the rest kept as a discrepancy,
    // recorded as an order adjustment, negative as Shopify sends it).
    const refund = refundWebhookSchema.parse({
      ...base,
      refund_line_items: [{ subtotal_set: pair("55.00", "50.00"), total_tax_set: pair("0.00", "0.00") }],
      refund_shipping_lines: [{ subtotal_amount_set: pair("11.00", "10.00"), tax_amount_set: pair("0.00", "0.00") }],
      order_adjustments: [{ amount_set: pair("-22.00", "-20.00"), tax_amount_set: pair("0.00", "0.00") }],
      transactions: [
        { amount: "40.00", kind: "refund", status: "success" },
        { amount: "40.00", kind: "refund", status: "failure" },
      ],
    });
    expect(refund.amountCents).toBe(4_400);
    expect(refund.merchandiseCents).toBe(5_500);
  });

  it("converts a transaction with nothing but an adjustment to give the rate", () => {
    const refund = refundWebhookSchema.parse({
      ...base,
      refund_line_items: [],
      order_adjustments: [{ amount_set: pair("-5.50", "-5.00"), tax_amount_set: pair("0.00", "0.00") }],
      transactions: [{ amount: "5.00", kind: "refund", status: "success" }],
    });
    expect(refund.amountCents).toBe(550);
    expect(refund.merchandiseCents).toBe(0);
  });

  it("rounds a converted amount to the cent", () => {
    // 1 EUR = 1.0837 USD as the set says (€33.33 → $36.12).
    const refund = refundWebhookSchema.parse({
      ...base,
      refund_line_items: [{ subtotal_set: pair("36.12", "33.33") }],
      transactions: [{ amount: "10.00", kind: "refund", status: "success" }],
    });
    expect(refund.amountCents).toBe(1_084);
  });

  it("takes a transaction already in the shop's currency as it is", () => {
    const refund = refundWebhookSchema.parse({
      ...base,
      refund_line_items: [{ subtotal_set: pair("88.00", "80.00") }],
      transactions: [{ amount: "88.00", currency: "USD", kind: "refund", status: "success" }],
    });
    expect(refund.amountCents).toBe(8_800);
  });
});

describe("a refund in the shop's own currency", () => {
  it("keeps the transactions' total unchanged", () => {
    const usd = (amount: string) => ({
      shop_money: { amount, currency_code: "USD" },
      presentment_money: { amount, currency_code: "USD" },
    });
    const refund = refundWebhookSchema.parse({
      ...base,
      refund_line_items: [{ subtotal_set: usd("30.00"), total_tax_set: usd("3.00") }],
      transactions: [{ amount: "33.00", kind: "refund", status: "success" }],
    });
    expect(refund).toMatchObject({ amountCents: 3_300, merchandiseCents: 3_000 });
  });

  it("keeps a refund with no sets at its transactions' amount (nothing to convert with)", () => {
    const refund = refundWebhookSchema.parse({
      ...base,
      transactions: [{ amount: "12.34", kind: "refund", status: "success" }],
    });
    expect(refund).toMatchObject({ amountCents: 1_234, merchandiseCents: 0 });
  });
});
