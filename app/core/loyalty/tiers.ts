// VIP tiers. Members move up the moment they qualify and down only at the review the merchant
// chose, so a refund or an old order leaving the 12-month window never demotes anyone mid-period.
// Reviews happen at the first evaluation in a new review period (UTC calendar), so a service
// should evaluate members daily and after every settings change.
import { orderPointsOf } from "./ledger";
import { orderNetSpendCents } from "./net-spend";
import { isExcludedCustomer, tierThreshold, type LoyaltySettings, type TierSettings } from "./settings";
import { addMonths, toMillis } from "./time";
import type { IsoTime, LoyaltyAccount, LoyaltyState, TierChange } from "./types";

/**
 * What tiers count at `at`: net spend in cents (paid, uncancelled orders, after refunds) or
 * points earned from orders after reversals (bonuses don't count, or a sign-up bonus alone
 * could make a VIP), over the last 12 months of placed orders or the whole history.
 */
export function tierMetric(state: LoyaltyState, tiers: TierSettings, settings: LoyaltySettings, at: IsoTime): number {
  const since = tiers.window === "rolling12Months" ? toMillis(addMonths(at, -12)) : -Infinity;
  let total = 0;
  for (const order of state.orders) {
    if (toMillis(order.placedAt) <= since) continue;
    if (tiers.basis === "netSpend") {
      if (order.paid && !order.cancelled) total += orderNetSpendCents(order, order.refunds, settings);
    } else {
      total += orderPointsOf(state.entries, order.orderId);
    }
  }
  return total;
}

/** The earn multiplier for a tier; 1 outside tiers. */
export function tierMultiplier(settings: LoyaltySettings, tierId: string | null): string {
  return settings.tiers?.levels.find((level) => level.id === tierId)?.earnMultiplier ?? "1";
}

function qualifyingTierId(tiers: TierSettings, metric: number): string | null {
  let qualifying: string | null = null;
  for (const level of tiers.levels) if (tierThreshold(tiers, level) <= metric) qualifying = level.id;
  return qualifying;
}

export function reviewPeriod(review: TierSettings["review"], time: IsoTime): number {
  const date = new Date(toMillis(time));
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  if (review === "monthly") return year * 12 + month;
  if (review === "quarterly") return year * 4 + Math.floor(month / 3);
  if (review === "yearly") return year;
  return 0;
}

/**
 * Re-evaluates a member's tier. Also the way to apply changed thresholds: members who now
 * qualify higher move up at once; members who qualify lower keep their tier until the next
 * review; members of a tier that no longer exists move to the tier they qualify for now.
 */
export function evaluateTier(
  state: LoyaltyState,
  settings: LoyaltySettings,
  at: IsoTime,
): { account: LoyaltyAccount; tierChange: TierChange | null } {
  const account = state.account;
  const move = (toTierId: string | null, reason: TierChange["reason"]) => ({
    account: {
      ...account,
      tierId: toTierId,
      tierSince: toTierId === account.tierId ? account.tierSince : toTierId === null ? null : at,
      tierReviewedAt: at,
    },
    tierChange:
      toTierId === account.tierId
        ? null
        : { customerId: account.customerId, fromTierId: account.tierId, toTierId, at, reason },
  });
  const tiers = settings.tiers;
  if (!tiers) return account.tierId === null ? { account, tierChange: null } : move(null, "tiersTurnedOff");
  if (isExcludedCustomer(settings, account.customerTags))
    return account.tierId === null ? { account, tierChange: null } : move(null, "excluded");

  const rank = (tierId: string | null) => tiers.levels.findIndex((level) => level.id === tierId);
  const qualifying = qualifyingTierId(tiers, tierMetric(state, tiers, settings, at));
  if (account.tierId !== null && rank(account.tierId) === -1) return move(qualifying, "tierRemoved");
  if (rank(qualifying) > rank(account.tierId)) return move(qualifying, "qualified");
  const reviewDue =
    tiers.review !== "never" &&
    (account.tierReviewedAt === null ||
      reviewPeriod(tiers.review, at) > reviewPeriod(tiers.review, account.tierReviewedAt));
  return reviewDue ? move(qualifying, "review") : { account, tierChange: null };
}

export interface TierProgress {
  tierId: string | null;
  /** Net spend in cents or points, as the tiers count. */
  counted: number;
  nextTier: { tierId: string; name: string; remaining: number } | null;
}

/** For the shopper: where they stand and what the next tier needs. */
export function tierProgress(state: LoyaltyState, settings: LoyaltySettings, at: IsoTime): TierProgress | null {
  const tiers = settings.tiers;
  if (!tiers || isExcludedCustomer(settings, state.account.customerTags)) return null;
  const counted = tierMetric(state, tiers, settings, at);
  const currentRank = tiers.levels.findIndex((level) => level.id === state.account.tierId);
  const next = tiers.levels.slice(currentRank + 1).find((level) => tierThreshold(tiers, level) > counted);
  return {
    tierId: state.account.tierId,
    counted,
    nextTier: next ? { tierId: next.id, name: next.name, remaining: tierThreshold(tiers, next) - counted } : null,
  };
}
