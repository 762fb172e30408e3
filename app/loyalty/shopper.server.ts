// What a shopper sees of their points, shared by both doors (app proxy and customer account
// session token; docs/loyalty-storefront-api.md) and by the metafields themes render.
import prisma from "~/db.server";
import {
  pointsExpiry,
  tierProgress,
  tierThreshold,
  type LoyaltySettings,
  type LoyaltyState,
  type Reward,
} from "~/core/loyalty";
import { centsToAmount } from "~/core/orders/net-revenue";
import { loadLoyaltyProgram, readLoyaltyState, type LoyaltyProgramState } from "~/loyalty/ledger.server";
import { memberHistory, type HistoryEntry } from "~/loyalty/members.server";

export interface Shopper {
  shopId: string;
  shopDomain: string;
  currencyCode: string;
  program: LoyaltyProgramState;
  customerShopifyId: bigint;
  /** Perennial's customer row; null for a logged-in shopper Perennial has not seen yet. */
  customer: { id: string; firstName: string | null } | null;
}

export type ShopperLookup =
  { ok: true; shopper: Shopper } | { ok: false; status: 404; code: "programOff"; message: string };

// The shop and its program change rarely and are read on every storefront request: each
// instance keeps them a few seconds. Redeeming reads them fresh (loyalty-redemptions.server.ts).
const SHOP_TTL_MS = 10_000;
const shops = new Map<
  string,
  { until: number; shop: { id: string; currencyCode: string; program: LoyaltyProgramState | null } | null }
>();

async function shopWithProgram(shopDomain: string) {
  const cached = shops.get(shopDomain);
  if (cached && cached.until > Date.now()) return cached.shop;
  const row = await prisma.shop.findUnique({
    where: { shopDomain },
    select: { id: true, currencyCode: true, isActive: true },
  });
  const shop = row?.isActive
    ? { id: row.id, currencyCode: row.currencyCode, program: await loadLoyaltyProgram(prisma, row.id) }
    : null;
  if (shops.size > 10_000) shops.clear();
  shops.set(shopDomain, { until: Date.now() + SHOP_TTL_MS, shop });
  return shop;
}

/** After a program save in this instance, its storefront answers follow at once. */
export function forgetShopper(shopDomain: string): void {
  shops.delete(shopDomain);
}

export async function findShopper(shopDomain: string, customerShopifyId: bigint): Promise<ShopperLookup> {
  const shop = await shopWithProgram(shopDomain);
  const program = shop?.program;
  if (!shop || !program?.enabled)
    return { ok: false, status: 404, code: "programOff", message: "This store has no rewards program right now." };
  const customer = await prisma.customer.findUnique({
    where: { shopId_shopifyId: { shopId: shop.id, shopifyId: customerShopifyId } },
    select: { id: true, firstName: true },
  });
  return {
    ok: true,
    shopper: { shopId: shop.id, shopDomain, currencyCode: shop.currencyCode, program, customerShopifyId, customer },
  };
}

export interface NextTierView {
  id: string;
  name: string;
  unit: "money" | "points";
  remaining: string;
  progress: number;
}

export interface LoyaltyStatus {
  pointsBalance: number;
  pendingPoints: number;
  tier: { id: string; name: string; earnMultiplier: string } | null;
  nextTier: NextTierView | null;
  expiring: { points: number; on: string } | null;
}

/** Balance, tier, progress and points about to expire: what the shopper needs at a glance. */
export function loyaltyStatus(state: LoyaltyState | null, settings: LoyaltySettings, at: Date): LoyaltyStatus {
  const now = at.toISOString();
  const tiers = settings.tiers;
  const tierLevel = tiers?.levels.find((level) => level.id === state?.account.tierId) ?? null;
  const progress = state ? tierProgress(state, settings, now) : null;
  let nextTier: NextTierView | null = null;
  const firstLevel = tiers?.levels[0];
  const next =
    progress?.nextTier ?? (state === null && firstLevel ? { tierId: firstLevel.id, name: firstLevel.name } : null);
  if (tiers && next) {
    const level = tiers.levels.find((candidate) => candidate.id === next.tierId);
    const threshold = level ? tierThreshold(tiers, level) : 0;
    const counted = progress?.counted ?? 0;
    const remaining = Math.max(0, threshold - counted);
    nextTier = {
      id: next.tierId,
      name: next.name,
      unit: tiers.basis === "netSpend" ? "money" : "points",
      remaining: tiers.basis === "netSpend" ? centsToAmount(remaining) : String(remaining),
      progress: threshold > 0 ? Math.min(1, Math.max(0, counted / threshold)) : 1,
    };
  }
  const expiry = state ? pointsExpiry(state, settings, now) : null;
  return {
    pointsBalance: state?.account.pointsBalance ?? 0,
    pendingPoints: state?.account.pendingPoints ?? 0,
    tier: tierLevel ? { id: tierLevel.id, name: tierLevel.name, earnMultiplier: tierLevel.earnMultiplier } : null,
    nextTier,
    expiring: expiry?.expiringSoon ? { points: expiry.points, on: expiry.expiresAt } : null,
  };
}

export async function shopperBalance(shopper: Shopper, at = new Date()) {
  const state = shopper.customer ? await readLoyaltyState(prisma, shopper.shopId, shopper.customer.id) : null;
  return {
    shopper: { customerId: shopper.customerShopifyId.toString(), firstName: shopper.customer?.firstName ?? null },
    currencyCode: shopper.currencyCode,
    ...loyaltyStatus(state, shopper.program.settings, at),
    earn: { pointsPerCurrencyUnit: shopper.program.settings.earnRate },
    birthday: state?.account.birthday ?? null,
  };
}

export function rewardView(reward: Reward) {
  return {
    id: reward.id,
    name: reward.name,
    pointsCost: reward.pointsCost,
    minimumOrder: reward.minimumOrder,
    discount: reward.discount,
  };
}

export async function shopperRewards(shopper: Shopper) {
  const account = shopper.customer
    ? await prisma.loyaltyAccount.findUnique({
        where: { customerId: shopper.customer.id },
        select: { pointsBalance: true },
      })
    : null;
  const pointsBalance = account?.pointsBalance ?? 0;
  return {
    pointsBalance,
    rewards: shopper.program.settings.rewards.map((reward) => ({
      ...rewardView(reward),
      affordable: reward.pointsCost <= pointsBalance,
    })),
  };
}

export async function shopperHistory(shopper: Shopper, cursor: string | null) {
  if (!shopper.customer) return { entries: [], nextCursor: null };
  const page = await memberHistory(shopper.shopId, shopper.customer.id, { cursor, limit: 20 });
  return {
    // Staff names and internal ids stay in the admin.
    entries: page.entries.map((entry: HistoryEntry) => ({
      id: entry.id,
      kind: entry.kind,
      points: entry.points,
      pendingPoints: entry.pendingPoints,
      occurredAt: entry.occurredAt,
      orderName: entry.orderName,
      reason: entry.kind === "adjustment" ? entry.reason : null,
    })),
    nextCursor: page.nextCursor,
  };
}
