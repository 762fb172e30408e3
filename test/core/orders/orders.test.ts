import { describe, expect, it } from "vitest";

import { parseExactJson } from "~/platform/exact-json";
import { centsToAmount, isCountedOrder, netRevenueCents } from "~/core/orders/net-revenue";

describe("net revenue", () => {
  it("is merchandise after discounts less refunded merchandise, never negative", () => {
    expect(netRevenueCents({ subtotalCents: 10_000, refundedMerchandiseCents: 2_500 })).toBe(7_500);
    expect(netRevenueCents({ subtotalCents: 10_000, refundedMerchandiseCents: 12_000 })).toBe(0);
    expect(netRevenueCents({ subtotalCents: 0, refundedMerchandiseCents: 0 })).toBe(0);
  });

  it("counts neither cancelled, test nor deleted orders", () => {
    expect(isCountedOrder({ cancelled: false, test: false, deleted: false })).toBe(true);
    expect(isCountedOrder({ cancelled: true, test: false, deleted: false })).toBe(false);
    expect(isCountedOrder({ cancelled: false, test: true, deleted: false })).toBe(false);
    expect(isCountedOrder({ cancelled: false, test: false, deleted: true })).toBe(false);
  });

  it("formats cents as an exact two-decimal amount", () => {
    expect(centsToAmount(123_456)).toBe("1234.56");
    expect(centsToAmount(5)).toBe("0.05");
    expect(centsToAmount(-250)).toBe("-2.50");
  });
});

describe("parseExactJson", () => {
  it("keeps 64-bit ids exact where JSON.parse would round them", () => {
    const text = '{"id":820982911946154508,"small":450789469,"price":"10.00","ratio":0.5}';
    expect((JSON.parse(text) as { id: number }).id).toBe(820982911946154500);
    expect(parseExactJson(text)).toEqual({ id: "820982911946154508", small: 450789469, price: "10.00", ratio: 0.5 });
  });
});
