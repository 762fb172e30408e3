// Public API of the loyalty core (pure TypeScript: no Remix, Prisma, files or clock; callers
// pass the time). Every ledger function takes the customer's LoyaltyState and returns a
// LedgerChange: entries to append (unique keys, so a replay inserts nothing), the account to
// store and, for orders, the order to upsert. See docs/decisions/005-loyalty-ledger.md.
//
//   order webhook ──applyOrderEvent──┐        daily ──releasePendingPoints, expirePoints,
//   refund webhook ──applyRefund─────┤                  awardBirthdayBonus, evaluateTier
//   storefront ──redeemReward────────┼──> LedgerChange ──applyChange──> next LoyaltyState
//   Shopify failure ──returnRedeemedPoints      admin ──adjustPoints, auditLedger
export {
  loyaltySettingsSchema,
  manualAdjustmentSchema,
  isExcludedCustomer,
  tierThreshold,
  type Availability,
  type LoyaltySettings,
  type LoyaltySettingsInput,
  type ManualAdjustment,
  type ManualAdjustmentInput,
  type Reward,
  type TierLevel,
  type TierSettings,
} from "./settings";
export { pointsForSpend } from "./decimal";
export { isPaidStatus, orderEventFromSyncedOrder, type SyncedOrder } from "./synced-order";
export { orderNetSpendCents, isOrderUndone, type SpendBasis } from "./net-spend";
export {
  applyChange,
  auditLedger,
  netPointsOf,
  newLoyaltyAccount,
  orderPointsOf,
  sumEntries,
  type LedgerAudit,
  type PointsSums,
} from "./ledger";
export {
  applyOrderEvent,
  applyRefund,
  mergeOrderEvent,
  orderPointsAvailable,
  orderTargetPoints,
  releasePendingPoints,
} from "./orders";
export {
  redeemReward,
  returnRedeemedPoints,
  type DiscountCodeRequest,
  type RedemptionRefusal,
  type RedemptionRequest,
  type RedemptionResult,
  type RewardDiscount,
} from "./redemptions";
export { awardBirthdayBonus, awardSignUpBonus, birthdayBonusDays, birthdayBonusYear } from "./bonuses";
export { expirePoints, pointsExpiry, type PointsExpiry } from "./expiry";
export { adjustPoints, type AdjustmentResult } from "./adjustments";
export { evaluateTier, tierMetric, tierMultiplier, tierProgress, type TierProgress } from "./tiers";
export { dailyChange, shopLocalDate } from "./daily";
export type * from "./types";
