// The demo store: a shop, its offline session and two years of synthetic orders, written
// idempotently (same seed, same rows) so `npm run demo` can run again and again.
import type { Prisma } from "@prisma/client";

import prisma from "~/db.server";
import {
  applyChange,
  applyOrderEvent,
  awardSignUpBonus,
  evaluateTier,
  expirePoints,
  loyaltySettingsSchema,
  newLoyaltyAccount,
  orderEventFromSyncedOrder,
  redeemReward,
  type LedgerChange,
  type LoyaltySettingsInput,
  type LoyaltyState,
} from "~/core/loyalty";
import { DEMO_HISTORY, generateSyntheticHistory, type SyntheticHistoryOptions } from "~/demo/synthetic-history";
import { centsToAmount, netRevenueCents } from "~/core/orders/net-revenue";
import { refreshCustomerRollups } from "~/sync/customer-rollups.server";

export const DEMO_SHOP = "perennial-demo.myshopify.com";
const CHUNK = 2000;
const YEAR = 365 * 86_400_000;

export interface DemoSeedResult {
  shopDomain: string;
  customers: number;
  orders: number;
  seeded: boolean; // false when the store already held exactly this history
}

// The offline session Shopify would have stored after token exchange; its token is never sent
// anywhere (nothing reaches Shopify in the demo).
export async function storeDemoSession(scopes: string[], shopDomain: string = DEMO_SHOP): Promise<void> {
  const session = {
    shop: shopDomain,
    state: "",
    isOnline: false,
    scope: scopes.join(","),
    accessToken: "demo-offline-access-token",
    expires: new Date(Date.now() + YEAR),
    refreshToken: "demo-refresh-token",
    refreshTokenExpires: new Date(Date.now() + YEAR),
  };
  await prisma.session.upsert({
    where: { id: `offline_${shopDomain}` },
    create: { id: `offline_${shopDomain}`, ...session },
    update: session,
  });
}

export async function seedDemoStore(
  options: SyntheticHistoryOptions = DEMO_HISTORY,
  shopDomain: string = DEMO_SHOP,
): Promise<DemoSeedResult> {
  const history = generateSyntheticHistory(options);
  return prisma.$transaction(
    async (tx) => {
      const shop = await tx.shop.upsert({
        where: { shopDomain },
        create: { shopDomain, name: "Perennial Demo Store", currencyCode: "USD" },
        update: { isActive: true, uninstalledAt: null },
      });
      const [existingOrders, existingCustomers] = await Promise.all([
        tx.order.count({ where: { shopId: shop.id } }),
        tx.customer.count({ where: { shopId: shop.id } }),
      ]);
      const result = { shopDomain, customers: history.customers.length, orders: history.orders.length };
      if (existingOrders === history.orders.length && existingCustomers === history.customers.length) {
        return { ...result, seeded: false };
      }
      await tx.order.deleteMany({ where: { shopId: shop.id } });
      await tx.customer.deleteMany({ where: { shopId: shop.id } });
      // The program's rows belong to those customers: seedDemoLoyalty writes them again.
      await tx.loyaltyProgram.deleteMany({ where: { shopId: shop.id } });
      await tx.loyaltyProgramChange.deleteMany({ where: { shopId: shop.id } });
      await tx.redemption.deleteMany({ where: { shopId: shop.id } });

      for (let start = 0; start < history.customers.length; start += CHUNK) {
        await tx.customer.createMany({
          data: history.customers.slice(start, start + CHUNK).map((customer) => ({
            shopId: shop.id,
            shopifyId: customer.shopifyId,
            email: customer.email,
            firstName: customer.firstName,
            lastName: customer.lastName,
            shopifyCreatedAt: customer.createdAt,
          })),
        });
      }
      const customerIds = new Map(
        (await tx.customer.findMany({ where: { shopId: shop.id }, select: { id: true, shopifyId: true } })).map(
          (customer) => [customer.shopifyId, customer.id],
        ),
      );
      for (let start = 0; start < history.orders.length; start += CHUNK) {
        await tx.order.createMany({
          data: history.orders.slice(start, start + CHUNK).map((order) => ({
            shopId: shop.id,
            shopifyId: order.shopifyId,
            customerId: order.customerShopifyId === null ? null : customerIds.get(order.customerShopifyId),
            name: order.name,
            processedAt: order.processedAt,
            shopifyUpdatedAt: order.processedAt,
            currencyCode: "USD",
            subtotal: centsToAmount(order.subtotalCents),
            totalDiscounts: centsToAmount(order.discountCents),
            totalShipping: centsToAmount(order.shippingCents),
            totalTax: centsToAmount(order.taxCents),
            totalPrice: centsToAmount(order.subtotalCents + order.shippingCents + order.taxCents),
            totalRefunded: centsToAmount(order.refundedCents),
            netRevenue: centsToAmount(netRevenueCents(order)),
            financialStatus:
              order.refundedCents === 0
                ? "paid"
                : order.refundedMerchandiseCents >= order.subtotalCents
                  ? "refunded"
                  : "partially_refunded",
            cancelledAt: order.cancelled ? order.processedAt : null,
            test: order.test,
          })),
        });
      }
      await refreshCustomerRollups(tx, shop.id);
      // The demo's history stands for a finished import.
      await tx.backfillRun.deleteMany({ where: { shopId: shop.id } });
      await tx.backfillRun.create({
        data: {
          shopId: shop.id,
          status: "completed",
          objectCount: history.orders.length,
          linesImported: history.orders.length,
          startedAt: options.end,
          finishedAt: options.end,
        },
      });
      return { ...result, seeded: true };
    },
    { timeout: 300_000, maxWait: 60_000 },
  );
}

// --- the demo's loyalty program ----------------------------------------------------------------

export const DEMO_LOYALTY: LoyaltySettingsInput = {
  earnRate: "1",
  availability: { when: "paid" },
  bonuses: { signUp: 100, birthday: 100, firstOrder: 50 },
  expiry: { inactiveDays: 365, warningDays: 30 },
  rewards: [
    { id: "five-off", name: "$5 off", pointsCost: 500, discount: { type: "fixedAmount", amount: "5.00" } },
    { id: "ten-percent", name: "10% off", pointsCost: 1000, discount: { type: "percentage", percent: 10 } },
    {
      id: "free-shipping",
      name: "Free shipping",
      pointsCost: 300,
      minimumOrder: "25.00",
      discount: { type: "freeShipping" },
    },
  ],
  tiers: {
    basis: "netSpend",
    window: "rolling12Months",
    review: "quarterly",
    levels: [
      { id: "bronze", name: "Bronze", threshold: "0" },
      { id: "silver", name: "Silver", threshold: "250", earnMultiplier: "1.25" },
      { id: "gold", name: "Gold", threshold: "750", earnMultiplier: "1.5" },
    ],
  },
  excludedCustomerTags: ["wholesale"],
};

// A small deterministic hash: the same customers join and redeem on every run.
function demoDraw(text: string): number {
  let hash = 2166136261;
  for (let index = 0; index < text.length; index += 1) hash = Math.imul(hash ^ text.charCodeAt(index), 16777619);
  return ((hash >>> 0) % 1000) / 1000;
}

interface DemoLoyaltyRows {
  accounts: Prisma.LoyaltyAccountCreateManyInput[];
  entries: Prisma.LedgerEntryCreateManyInput[];
  orders: Prisma.LoyaltyOrderCreateManyInput[];
  redemptions: Prisma.RedemptionCreateManyInput[];
}

/**
 * The demo's program, launched a year before the end of its history: six in ten customers joined
 * (at launch, with the sign-up bonus), earned on the orders they placed since, and some redeemed.
 * The rows are what the services would have written, computed here through the same pure core.
 */
export async function seedDemoLoyalty(shopDomain: string = DEMO_SHOP, end: Date = DEMO_HISTORY.end): Promise<boolean> {
  const shop = await prisma.shop.findUniqueOrThrow({ where: { shopDomain }, select: { id: true } });
  if (await prisma.loyaltyProgram.findUnique({ where: { shopId: shop.id }, select: { shopId: true } })) return false;
  const settings = loyaltySettingsSchema.parse(DEMO_LOYALTY);
  const launchedAt = new Date(end.getTime() - YEAR);
  const customers = await prisma.customer.findMany({
    where: { shopId: shop.id },
    select: { id: true, shopifyId: true },
  });
  const orders = await prisma.order.findMany({
    where: { shopId: shop.id, customerId: { not: null }, test: false, processedAt: { gte: launchedAt } },
    orderBy: { processedAt: "asc" },
    select: {
      shopifyId: true,
      customerId: true,
      processedAt: true,
      financialStatus: true,
      cancelledAt: true,
      netRevenue: true,
      totalTax: true,
      totalShipping: true,
    },
  });
  const ordersByCustomer = new Map<string, typeof orders>();
  for (const order of orders) {
    const list = ordersByCustomer.get(order.customerId!) ?? [];
    list.push(order);
    ordersByCustomer.set(order.customerId!, list);
  }
  const rows: DemoLoyaltyRows = { accounts: [], entries: [], orders: [], redemptions: [] };
  const cents = (amount: Prisma.Decimal) => Math.round(Number(amount) * 100);
  for (const customer of customers) {
    if (demoDraw(`member:${customer.shopifyId}`) >= 0.6) continue;
    const joinedAt = launchedAt.toISOString();
    let state: LoyaltyState = {
      account: newLoyaltyAccount(customer.id, { customerTags: [] }),
      entries: [],
      orders: [],
    };
    const apply = (change: LedgerChange) => (state = applyChange(state, change));
    apply(awardSignUpBonus(state, settings, joinedAt));
    for (const order of ordersByCustomer.get(customer.id) ?? []) {
      const at = order.processedAt.toISOString();
      const event = orderEventFromSyncedOrder({
        orderId: order.shopifyId.toString(),
        customerId: customer.id,
        updatedAt: at,
        placedAt: at,
        financialStatus: order.financialStatus,
        fulfillmentStatus: "fulfilled",
        cancelled: order.cancelledAt !== null,
        netRevenueCents: cents(order.netRevenue),
        taxCents: cents(order.totalTax),
        shippingCents: cents(order.totalShipping),
        refunds: [],
        redemptionIds: [],
      });
      apply(applyOrderEvent(state, settings, event, at));
      // About a third of the members who can afford $5 off take it a day after an order.
      if (state.account.pointsBalance >= 500 && demoDraw(`redeem:${order.shopifyId}`) < 0.35) {
        const redemptionId = `demo-${order.shopifyId}`;
        const code = `DEMO-${order.shopifyId.toString(36).toUpperCase()}`;
        const redeemedAt = new Date(order.processedAt.getTime() + 86_400_000);
        if (redeemedAt >= end) continue;
        const result = redeemReward(
          state,
          settings,
          { redemptionId, rewardId: "five-off", code, cartToken: redemptionId, cartSubtotalCents: 10_000 },
          redeemedAt.toISOString(),
        );
        if (!result.ok) continue;
        apply(result.change);
        rows.redemptions.push({
          id: redemptionId,
          shopId: shop.id,
          customerId: customer.id,
          rewardId: "five-off",
          rewardName: "$5 off",
          pointsCost: 500,
          code,
          status: "issued",
          request: result.codeRequest as unknown as Prisma.InputJsonValue,
          shopifyDiscountId: `gid://shopify/DiscountCodeNode/${order.shopifyId}`,
          createdAt: redeemedAt,
        });
      }
    }
    apply(expirePoints(state, settings, end.toISOString()));
    const tier = evaluateTier(state, settings, end.toISOString());
    state = { ...state, account: tier.account };
    const lastActivity = state.entries.at(-1)?.occurredAt ?? joinedAt;
    rows.accounts.push({
      customerId: customer.id,
      shopId: shop.id,
      pointsBalance: state.account.pointsBalance,
      pendingPoints: state.account.pendingPoints,
      owedPoints: state.account.owedPoints,
      tierId: state.account.tierId,
      tierSince: state.account.tierSince ? new Date(state.account.tierSince) : null,
      tierReviewedAt: state.account.tierReviewedAt ? new Date(state.account.tierReviewedAt) : null,
      lastActivityAt: new Date(lastActivity),
      statusVersion: 1,
      enrolledAt: launchedAt,
    });
    for (const entry of state.entries)
      rows.entries.push({
        ...entry,
        shopId: shop.id,
        occurredAt: new Date(entry.occurredAt),
        createdAt: new Date(entry.occurredAt),
      });
    for (const order of state.orders)
      rows.orders.push({
        shopId: shop.id,
        orderId: order.orderId,
        customerId: customer.id,
        data: order as unknown as Prisma.InputJsonValue,
      });
  }
  await prisma.$transaction(
    async (tx) => {
      const json = settings as unknown as Prisma.InputJsonValue;
      await tx.loyaltyProgram.create({
        data: { shopId: shop.id, enabled: true, settings: json, version: 1, launchedAt, updatedBy: "Demo setup" },
      });
      await tx.loyaltyProgramChange.create({
        data: {
          shopId: shop.id,
          version: 1,
          enabled: true,
          settings: json,
          staffMember: "Demo setup",
          changedAt: launchedAt,
        },
      });
      for (let start = 0; start < rows.accounts.length; start += CHUNK)
        await tx.loyaltyAccount.createMany({ data: rows.accounts.slice(start, start + CHUNK) });
      for (let start = 0; start < rows.entries.length; start += CHUNK)
        await tx.ledgerEntry.createMany({ data: rows.entries.slice(start, start + CHUNK) });
      for (let start = 0; start < rows.orders.length; start += CHUNK)
        await tx.loyaltyOrder.createMany({ data: rows.orders.slice(start, start + CHUNK) });
      for (let start = 0; start < rows.redemptions.length; start += CHUNK)
        await tx.redemption.createMany({ data: rows.redemptions.slice(start, start + CHUNK) });
    },
    { timeout: 300_000, maxWait: 60_000 },
  );
  return true;
}
