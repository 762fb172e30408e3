import { describe, expect, it } from "vitest";

import { isPaidStatus, orderEventFromSyncedOrder, orderNetSpendCents, type SyncedOrder } from "~/core/loyalty";

const synced: SyncedOrder = {
  orderId: "1001",
  customerId: "c1",
  updatedAt: "2026-03-02T10:00:00.000Z",
  placedAt: "2026-03-01T10:00:00.000Z",
  financialStatus: "partially_refunded",
  fulfillmentStatus: "fulfilled",
  cancelled: false,
  // $100 of merchandise, $30 refunded: $70 net.
  netRevenueCents: 7_000,
  taxCents: 1_000,
  shippingCents: 500,
  refunds: [{ refundId: "r1", amountCents: 3_300, merchandiseCents: 3_000 }],
  redemptionIds: ["red-1"],
};

describe("an order event from the synced order", () => {
  it("puts the refunds' merchandise back so the ledger sees the order before and after each refund", () => {
    const event = orderEventFromSyncedOrder(synced);
    expect(event).toMatchObject({ merchandiseCents: 10_000, paid: true, fulfilled: true, cancelled: false });
    expect(orderNetSpendCents(event, event.refunds, { includeTax: false, includeShipping: false })).toBe(7_000);
  });

  it("takes a refund's money beyond merchandise from tax first, then shipping", () => {
    const event = orderEventFromSyncedOrder({
      ...synced,
      refunds: [
        { refundId: "r1", amountCents: 3_300, merchandiseCents: 3_000 },
        { refundId: "r2", amountCents: 1_200, merchandiseCents: 0 },
      ],
    });
    expect(event.refunds).toEqual([
      { refundId: "r1", merchandiseCents: 3_000, taxCents: 300, shippingCents: 0 },
      { refundId: "r2", merchandiseCents: 0, taxCents: 700, shippingCents: 500 },
    ]);
    expect(orderNetSpendCents(event, event.refunds, { includeTax: true, includeShipping: true })).toBe(7_000);
  });

  it("counts payment as paid, refunded or partially paid; pending and voided are not", () => {
    expect(["paid", "PAID", "refunded", "partially_refunded", "partially_paid"].every(isPaidStatus)).toBe(true);
    expect([null, "pending", "authorized", "voided", "expired"].some(isPaidStatus)).toBe(false);
  });
});
