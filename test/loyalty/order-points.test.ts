// The loyalty program on the synced orders: webhooks (duplicated, stale, refunds, cancellations)
// move balances exactly once and at the rate the points were earned; the sweep catches up; the
// audit finds drift.
import { afterAll, describe, expect, it } from "vitest";

import prisma from "~/db.server";
import type { LoyaltySettingsInput } from "~/core/loyalty";
import type { OrderSnapshot } from "~/core/orders/snapshot";
import { stopJobQueue } from "~/platform/jobs.server";
import { auditLoyalty } from "~/loyalty/audit.server";
import { reevaluateTiers, runDailyLoyalty, sweepLoyaltyOrders } from "~/loyalty/jobs.server";
import { loadLoyaltyProgram } from "~/loyalty/ledger.server";
import { adjustMemberPoints } from "~/loyalty/members.server";
import { applyOrderLoyalty, applyOrdersLoyalty } from "~/loyalty/order-points.server";
import { saveLoyaltyProgram } from "~/loyalty/program.server";
import { applyOrderSnapshot, applyOrderSnapshots } from "~/sync/orders.server";
import { ensureShop } from "~/sync/shops.server";

import { deliver } from "../helpers/deliver";
import { orderPayload, refundPayload, type OrderFixture } from "../helpers/orders";
import { storeOfflineSession, uniqueShop } from "../helpers/shopify";

afterAll(() => stopJobQueue());

const ORDER = 820982911946154508n;
const CUSTOMER = 115310627314723954n;
// Launched before the fixtures' orders (2026-01-01), so they earn.
const LAUNCH = new Date("2025-01-01T00:00:00Z");

export const TEST_PROGRAM: LoyaltySettingsInput = {
  earnRate: "0.1", // 1 point per $10
  rewards: [{ id: "five-off", name: "$5 off", pointsCost: 50, discount: { type: "fixedAmount", amount: "5.00" } }],
};

async function loyaltyShop(label: string, settings: LoyaltySettingsInput = TEST_PROGRAM, enabled = true) {
  const shop = uniqueShop(label);
  const row = await ensureShop(shop);
  await storeOfflineSession(shop);
  const saved = await saveLoyaltyProgram(shop, { enabled, settings }, "staff 1", LAUNCH);
  expect(saved.ok).toBe(true);
  return { shop, shopId: row.id };
}

async function account(shopId: string, shopifyId = CUSTOMER) {
  const customer = await prisma.customer.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId } } });
  if (!customer) return null;
  const row = await prisma.loyaltyAccount.findUnique({ where: { customerId: customer.id } });
  const entries = await prisma.ledgerEntry.findMany({
    where: { customerId: customer.id },
    orderBy: { createdAt: "asc" },
  });
  return { ...row!, customerId: customer.id, entries };
}

const order: OrderFixture = {
  id: ORDER,
  updatedAt: "2026-03-01T10:00:00Z",
  processedAt: "2026-03-01T09:00:00Z",
  customer: { id: CUSTOMER },
  subtotalCents: 9_999,
  shippingCents: 700,
  taxCents: 800,
};

describe("points from synced orders", () => {
  it("earn once on net spend, ignore duplicates and stale versions, reverse refunds at the earned rate", async () => {
    const { shop, shopId } = await loyaltyShop("earn");
    const created = await deliver({ topic: "orders/create", shop, payload: orderPayload(order), eventId: "e-1" });
    expect(created.status).toBe(200);
    // $99.99 at 1 point per $10: 9 points (tax and shipping excluded).
    expect((await account(shopId))?.pointsBalance).toBe(9);

    const again = await deliver({ topic: "orders/create", shop, payload: orderPayload(order), eventId: "e-1" });
    expect(again.outcome).toBe("duplicate");
    const stale = await deliver({
      topic: "orders/updated",
      shop,
      payload: orderPayload({ ...order, updatedAt: "2026-02-28T10:00:00Z", subtotalCents: 90_000 }),
    });
    expect(stale.status).toBe(200);
    // The same version delivered under another event id changes nothing either.
    await deliver({ topic: "orders/updated", shop, payload: orderPayload(order) });
    let member = await account(shopId);
    expect(member?.pointsBalance).toBe(9);
    expect(member?.entries).toHaveLength(1);

    // The merchant raises the earn rate; the refund still reverses at 0.1.
    await saveLoyaltyProgram(shop, { enabled: true, settings: { ...TEST_PROGRAM, earnRate: "5" } }, "staff 2");
    const refund = {
      id: 509562969n,
      orderId: ORDER,
      createdAt: "2026-03-05T10:00:00Z",
      amountCents: 5_000,
      merchandiseCents: 5_000,
    };
    await deliver({ topic: "refunds/create", shop, payload: refundPayload(refund) });
    // $49.99 left: 4 points.
    expect((await account(shopId))?.pointsBalance).toBe(4);
    // The order version that lists the same refund counts it once.
    await deliver({
      topic: "orders/updated",
      shop,
      payload: orderPayload({
        ...order,
        updatedAt: "2026-03-05T10:00:01Z",
        currentSubtotalCents: 4_999,
        refunds: [refund],
      }),
    });
    expect((await account(shopId))?.pointsBalance).toBe(4);

    await deliver({
      topic: "orders/cancelled",
      shop,
      payload: orderPayload({
        ...order,
        updatedAt: "2026-03-06T10:00:00Z",
        cancelledAt: "2026-03-06T10:00:00Z",
        currentSubtotalCents: 4_999,
        refunds: [refund],
      }),
    });
    member = await account(shopId);
    expect(member?.pointsBalance).toBe(0);
    expect(member?.entries.map((entry) => entry.kind)).toEqual(["earn", "reversal", "reversal"]);
    expect(member?.entries[1].earnRate).toBe("0.1");

    const audit = await auditLoyalty(shop);
    expect(audit).toMatchObject({ drifted: [], negative: 0, accounts: 1, entries: 3 });
  });

  it("earn at a changed earn rate from the next order on", async () => {
    const { shop, shopId } = await loyaltyShop("rate-change");
    await deliver({ topic: "orders/create", shop, payload: orderPayload(order) });
    expect((await account(shopId))?.pointsBalance).toBe(9);
    const saved = await saveLoyaltyProgram(
      shop,
      { enabled: true, settings: { ...TEST_PROGRAM, earnRate: "5" } },
      "staff 2",
    );
    expect(saved.ok).toBe(true);
    const next = { ...order, id: ORDER + 1n, subtotalCents: 10_000 };
    await deliver({ topic: "orders/create", shop, payload: orderPayload(next) });
    // $100 at 5 points per dollar, on top of the first order's 9.
    expect((await account(shopId))?.pointsBalance).toBe(509);
  });

  it("never earn on history from before the launch, unpaid orders or guests", async () => {
    const { shop, shopId } = await loyaltyShop("launch");
    await deliver({
      topic: "orders/create",
      shop,
      payload: orderPayload({ ...order, processedAt: "2024-12-01T10:00:00Z" }),
    });
    await deliver({
      topic: "orders/create",
      shop,
      payload: orderPayload({ ...order, id: ORDER + 1n, financialStatus: "pending" }),
    });
    await deliver({
      topic: "orders/create",
      shop,
      payload: orderPayload({ ...order, id: ORDER + 2n, customer: null }),
    });
    expect((await account(shopId))?.pointsBalance ?? 0).toBe(0);
    // Payment arrives: now it earns.
    await deliver({
      topic: "orders/updated",
      shop,
      payload: orderPayload({ ...order, id: ORDER + 1n, updatedAt: "2026-03-02T10:00:00Z" }),
    });
    expect((await account(shopId))?.pointsBalance).toBe(9);
  });

  it("exclude customers by tag", async () => {
    const { shop, shopId } = await loyaltyShop("excluded", { ...TEST_PROGRAM, excludedCustomerTags: ["Staff"] });
    await deliver({
      topic: "orders/create",
      shop,
      payload: orderPayload({ ...order, customer: { id: CUSTOMER, tags: "wholesale, staff" } }),
    });
    expect((await account(shopId))?.pointsBalance).toBe(0);
    const customer = await prisma.customer.findFirst({ where: { shopId } });
    expect(customer?.tags).toEqual(["wholesale", "staff"]);
  });

  it("are caught up by the sweep when the program was off while orders synced", async () => {
    const { shop, shopId } = await loyaltyShop("sweep", TEST_PROGRAM, false);
    await deliver({ topic: "orders/create", shop, payload: orderPayload(order) });
    expect((await account(shopId))?.entries).toEqual([]);
    await saveLoyaltyProgram(shop, { enabled: true, settings: TEST_PROGRAM }, "staff 1", LAUNCH);
    expect(await sweepLoyaltyOrders(shop)).toBe(1);
    expect((await account(shopId))?.pointsBalance).toBe(9);
    // Nothing left to do, and a second pass changes nothing.
    expect(await sweepLoyaltyOrders(shop)).toBe(0);
    expect((await account(shopId))?.entries).toHaveLength(1);
  });

  it("release pending points, expire inactive balances and review tiers in the daily job", async () => {
    const { shop, shopId } = await loyaltyShop("daily", {
      ...TEST_PROGRAM,
      availability: { when: "afterDays", days: 14 },
      expiry: { inactiveDays: 60, warningDays: 10 },
    });
    // Pending periods count from now: an order placed yesterday.
    const day = 86_400_000;
    const placed = new Date(Date.now() - day);
    const recent = { ...order, processedAt: placed.toISOString(), updatedAt: placed.toISOString() };
    await deliver({ topic: "orders/create", shop, payload: orderPayload(recent) });
    let member = await account(shopId);
    expect(member).toMatchObject({ pointsBalance: 0, pendingPoints: 9 });
    await runDailyLoyalty(shop, new Date(placed.getTime() + 10 * day));
    expect((await account(shopId))?.pendingPoints).toBe(9);
    await runDailyLoyalty(shop, new Date(placed.getTime() + 15 * day));
    member = await account(shopId);
    expect(member).toMatchObject({ pointsBalance: 9, pendingPoints: 0 });
    // Running it again the same day changes nothing.
    await runDailyLoyalty(shop, new Date(placed.getTime() + 15 * day + 3_600_000));
    expect((await account(shopId))?.entries).toHaveLength(2);
    await runDailyLoyalty(shop, new Date(placed.getTime() + 90 * day));
    member = await account(shopId);
    expect(member?.pointsBalance).toBe(0);
    expect(member?.entries.at(-1)?.kind).toBe("expiry");
    expect((await auditLoyalty(shop)).drifted).toEqual([]);
  });
});

describe("staff adjustments and the audit", () => {
  it("need a reason, never take more than the balance, count a double submit once", async () => {
    const { shop, shopId } = await loyaltyShop("adjust");
    await deliver({ topic: "orders/create", shop, payload: orderPayload(order) });
    const { customerId } = (await account(shopId))!;
    expect(await adjustMemberPoints(shop, customerId, { points: 10, reason: "" }, "staff 1")).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(await adjustMemberPoints(shop, customerId, { points: -50, reason: "typo" }, "staff 1")).toMatchObject({
      ok: false,
      messages: ["Can't remove 50 points: the customer has 9 available."],
    });
    const first = await adjustMemberPoints(
      shop,
      customerId,
      { adjustmentId: "a1", points: 100, reason: "Apology" },
      "staff 1",
    );
    const second = await adjustMemberPoints(
      shop,
      customerId,
      { adjustmentId: "a1", points: 100, reason: "Apology" },
      "staff 1",
    );
    expect(first).toEqual({ ok: true, pointsBalance: 109 });
    expect(second).toEqual({ ok: true, pointsBalance: 109 });
    const entry = (await account(shopId))?.entries.at(-1);
    expect(entry).toMatchObject({ kind: "adjustment", staffMember: "staff 1", reason: "Apology", points: 100 });
  });

  it("finds an account whose cached balance differs from its ledger, and the database refuses edits", async () => {
    const { shop, shopId } = await loyaltyShop("audit");
    await deliver({ topic: "orders/create", shop, payload: orderPayload(order) });
    const { customerId } = (await account(shopId))!;
    await prisma.loyaltyAccount.update({ where: { customerId }, data: { pointsBalance: 12 } });
    const audit = await auditLoyalty(shop);
    expect(audit.drifted).toEqual([
      expect.objectContaining({ customerId, cached: expect.objectContaining({ pointsBalance: 12 }) }),
    ]);
    await expect(prisma.ledgerEntry.updateMany({ where: { customerId }, data: { points: 1000 } })).rejects.toThrow(
      /append-only/,
    );
    await expect(
      prisma.loyaltyAccount.update({ where: { customerId }, data: { pointsBalance: -1 } }),
    ).rejects.toThrow();
  });
});

describe("privacy", () => {
  it("a data request lists the member's points and birthday; a redaction erases the birthday, keeps the ledger", async () => {
    const { shop, shopId } = await loyaltyShop("privacy");
    await deliver({ topic: "orders/create", shop, payload: orderPayload(order) });
    const { customerId } = (await account(shopId))!;
    await prisma.loyaltyAccount.update({ where: { customerId }, data: { birthday: "04-23" } });
    await deliver({
      topic: "customers/data_request",
      shop,
      payload: {
        shop_id: 1,
        shop_domain: shop,
        customer: { id: CUSTOMER },
        orders_requested: [],
        data_request: { id: 9 },
      },
    });
    const request = await prisma.dataRequest.findFirstOrThrow({ where: { shopId } });
    expect(request.data).toMatchObject({
      loyalty: { birthday: "04-23", pointsBalance: 9, history: [{ kind: "earn", points: 9 }] },
    });
    await deliver({
      topic: "customers/redact",
      shop,
      payload: { shop_id: 1, shop_domain: shop, customer: { id: CUSTOMER }, orders_to_redact: [ORDER] },
    });
    const after = await account(shopId);
    expect(after).toMatchObject({ birthday: null, pointsBalance: 9 });
    expect(after?.entries).toHaveLength(1);
  });
});

describe("tiers", () => {
  it("are re-evaluated for every member when the merchant changes the thresholds", async () => {
    const tiers = (goldAt: string) => ({
      basis: "netSpend" as const,
      window: "lifetime" as const,
      review: "never" as const,
      levels: [
        { id: "silver", name: "Silver", threshold: "0" },
        { id: "gold", name: "Gold", threshold: goldAt, earnMultiplier: "2" },
      ],
    });
    const { shop, shopId } = await loyaltyShop("tiers", { ...TEST_PROGRAM, tiers: tiers("500") });
    await deliver({ topic: "orders/create", shop, payload: orderPayload(order) });
    expect((await account(shopId))?.tierId).toBe("silver");
    await saveLoyaltyProgram(shop, { enabled: true, settings: { ...TEST_PROGRAM, tiers: tiers("50") } }, "staff 1");
    expect(await reevaluateTiers(shop)).toBe(1);
    expect((await account(shopId))?.tierId).toBe("gold");
    // Raising the bar again: members keep their tier until a review (this program never reviews).
    await saveLoyaltyProgram(shop, { enabled: true, settings: { ...TEST_PROGRAM, tiers: tiers("500") } }, "staff 1");
    expect(await reevaluateTiers(shop)).toBe(0);
    expect((await account(shopId))?.tierId).toBe("gold");
    const changes = await prisma.loyaltyProgramChange.findMany({ where: { shopId }, orderBy: { version: "asc" } });
    expect(changes.map((change) => [change.version, change.staffMember])).toEqual([
      [1, "staff 1"],
      [2, "staff 1"],
      [3, "staff 1"],
    ]);
  });
});

describe("many orders in one transaction", () => {
  // Orders of three customers and a guest, then a refund of the first and the second's next order.
  const at = (day: number) => new Date(Date.UTC(2026, 2, day, 12));
  const snapshot = (id: bigint, customer: bigint | null, day: number, refundCents = 0): OrderSnapshot => ({
    shopifyId: id,
    name: `#${id}`,
    processedAt: at(day),
    updatedAt: at(day + (refundCents ? 5 : 0)),
    cancelledAt: null,
    test: false,
    currencyCode: "USD",
    financialStatus: refundCents ? "partially_refunded" : "paid",
    fulfillmentStatus: null,
    discountCodes: [],
    customer: customer === null ? null : { ...NO_DETAILS, shopifyId: customer },
    subtotalCents: 12_000,
    currentSubtotalCents: 12_000 - refundCents,
    discountsCents: 0,
    shippingCents: 0,
    taxCents: 960,
    totalCents: 12_960,
    refunds: refundCents
      ? [
          {
            shopifyId: id + 1000n,
            orderShopifyId: id,
            processedAt: at(day + 5),
            amountCents: refundCents,
            merchandiseCents: refundCents,
          },
        ]
      : [],
  });
  const NO_DETAILS = { email: null, firstName: null, lastName: null, tags: null, createdAt: null, updatedAt: null };
  const rounds = [
    [snapshot(1n, 11n, 1), snapshot(2n, 12n, 1), snapshot(3n, 13n, 2), snapshot(4n, null, 2)],
    [snapshot(1n, 11n, 1, 5_000), snapshot(5n, 12n, 7)],
  ];

  async function ledgerOf(shopId: string) {
    const accounts = await prisma.loyaltyAccount.findMany({
      where: { shopId },
      include: {
        customer: { select: { shopifyId: true } },
        entries: { omit: { id: true, customerId: true, shopId: true, createdAt: true } },
      },
      omit: { customerId: true, shopId: true, updatedAt: true, enrolledAt: true },
      orderBy: { customer: { shopifyId: "asc" } },
    });
    return accounts.map((account) => ({
      ...account,
      entries: account.entries.sort((a, b) => a.key.localeCompare(b.key)),
    }));
  }

  it("write the points that applying them one at a time writes", async () => {
    const one = await loyaltyShop("one-at-a-time");
    const many = await loyaltyShop("many-at-once");
    const [programOne, programMany] = await Promise.all([
      loadLoyaltyProgram(prisma, one.shopId),
      loadLoyaltyProgram(prisma, many.shopId),
    ]);
    for (const round of rounds) {
      await prisma.$transaction(async (tx) => {
        for (const order of round) {
          await applyOrderSnapshot(tx, one.shopId, order);
          await applyOrderLoyalty(tx, programOne, order.shopifyId, order.updatedAt);
        }
      });
      await prisma.$transaction(async (tx) => {
        expect(await applyOrderSnapshots(tx, many.shopId, round)).toEqual(round.map(() => "applied"));
        await applyOrdersLoyalty(
          tx,
          programMany,
          round.map((order) => ({ shopifyId: order.shopifyId, at: order.updatedAt })),
        );
      });
    }
    const ledger = await ledgerOf(many.shopId);
    expect(ledger.map((account) => account.customer.shopifyId)).toEqual([11n, 12n, 13n]);
    expect(ledger.find((account) => account.customer.shopifyId === 11n)!.entries.map((entry) => entry.kind)).toEqual([
      "earn",
      "reversal",
    ]);
    expect(ledger).toEqual(await ledgerOf(one.shopId));
    expect(await auditLoyalty(many.shop)).toMatchObject({ drifted: [], negative: 0 });

    // One customer twice in one call would let the second order miss the first one's points.
    await expect(
      prisma.$transaction((tx) =>
        applyOrdersLoyalty(tx, programMany, [
          { shopifyId: 2n, at: at(9) },
          { shopifyId: 5n, at: at(9) },
        ]),
      ),
    ).rejects.toThrow(/two orders of one customer/);
  });
});
