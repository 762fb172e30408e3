// The plain data the loyalty core reads and returns, shaped for a database layer to persist:
//   - LedgerEntry: append-only rows, unique on (shop, customerId, key);
//   - LoyaltyAccount: one row per customer, a cache of the ledger's sums plus tier state;
//   - LoyaltyOrder: one row per order, upserted: what the ledger knows about the order.
// Times are ISO-8601 strings (UTC), money is integer cents, points are integers, rates and
// multipliers are decimal strings ("0.1", "1.5"): all exact, all JSON- and SQL-friendly.

export type IsoTime = string;

export type LedgerEntryKind =
  | "earn" // points for an order, pending or available
  | "pendingReleased" // an order's pending points become available
  | "reversal" // points taken back: refund, cancellation, order edit, cancelled first-order bonus
  | "redemption" // points spent on a reward
  | "redemptionRefund" // a redemption's points given back (code failed, order cancelled)
  | "bonus" // sign-up, birthday, first order
  | "expiry" // available points lost to inactivity
  | "adjustment"; // a staff member's correction, with a reason

export type BonusKind = "signUp" | "birthday" | "firstOrder";

export interface LedgerEntry {
  /** Idempotency key derived from the entry's source; unique per customer. */
  key: string;
  customerId: string;
  kind: LedgerEntryKind;
  /** Change to the points the customer can redeem now. */
  points: number;
  /** Change to points earned but not yet available. */
  pendingPoints: number;
  /** Change to points the customer owes after a reversal found too few points to take back. */
  owedPoints: number;
  /** When the ledger recorded the entry (the time the caller passed in). */
  occurredAt: IsoTime;
  orderId: string | null;
  refundId: string | null;
  redemptionId: string | null;
  rewardId: string | null;
  adjustmentId: string | null;
  /** Redemptions: the cart the reward was redeemed for (one reward per order). */
  cartToken: string | null;
  bonus: BonusKind | null;
  /** Order entries: the earn rate and tier multiplier locked when the order first earned. */
  earnRate: string | null;
  tierMultiplier: string | null;
  /** Order entries: the order's net spend (cents) once this entry is applied. */
  netSpendCents: number | null;
  staffMember: string | null;
  /** Why: a staff member's words for adjustments, a short code for the rest (e.g. "refund"). */
  reason: string | null;
}

export interface LoyaltyAccount {
  customerId: string;
  /** The customer's Shopify tags, for exclusions. */
  customerTags: string[];
  /** "MM-DD", or null when the shopper has not told us. */
  birthday: string | null;
  /** Sums of the ledger, cached; see auditLedger. */
  pointsBalance: number;
  pendingPoints: number;
  owedPoints: number;
  tierId: string | null;
  tierSince: IsoTime | null;
  /** When the tier was last reviewed (moves down happen only at a review). */
  tierReviewedAt: IsoTime | null;
}

export interface OrderRefund {
  refundId: string;
  /** Refunded merchandise after discounts, excluding tax. */
  merchandiseCents: number;
  taxCents: number;
  shippingCents: number;
}

/** One version of an order, as a webhook or a re-read delivers it. */
export interface OrderEvent {
  orderId: string;
  customerId: string;
  /** The order's updated_at: the version. Older or equal versions never replace newer ones. */
  updatedAt: IsoTime;
  /** processed_at: starts the pending period and places the order in a tier window. */
  placedAt: IsoTime;
  paid: boolean;
  fulfilled: boolean;
  cancelled: boolean;
  /** Merchandise after discounts and edits, before refunds, excluding tax and shipping. */
  merchandiseCents: number;
  taxCents: number;
  shippingCents: number;
  /** Every refund on the order so far. */
  refunds: OrderRefund[];
  /** Redemptions whose discount codes this order used. */
  redemptionIds: string[];
}

/** How an order earns, fixed when it first earns so later refunds reverse at the same rate. */
export interface OrderEarning {
  earnRate: string;
  tierMultiplier: string;
  tierId: string | null;
  includeTax: boolean;
  includeShipping: boolean;
  earnedAt: IsoTime;
}

/** What the ledger knows about one order: the newest version's amounts, and facts that only accumulate. */
export interface LoyaltyOrder {
  orderId: string;
  customerId: string;
  /** updatedAt of the newest version applied. */
  updatedAt: IsoTime;
  placedAt: IsoTime;
  merchandiseCents: number;
  taxCents: number;
  shippingCents: number;
  // Once true, true for good: Shopify never un-pays, un-fulfils or un-cancels an order, so a
  // stale version cannot undo them.
  paid: boolean;
  fulfilled: boolean;
  cancelled: boolean;
  /** The union of refunds seen on any version: refunds are never removed. */
  refunds: OrderRefund[];
  redemptionIds: string[];
  /** Null until the order first earns (or forever, when the customer was excluded then). */
  earning: OrderEarning | null;
  /** The customer was excluded from the program when the order was paid: it never earns. */
  excluded: boolean;
}

export interface LoyaltyState {
  account: LoyaltyAccount;
  entries: readonly LedgerEntry[];
  orders: readonly LoyaltyOrder[];
}

export interface TierChange {
  customerId: string;
  fromTierId: string | null;
  toTierId: string | null;
  at: IsoTime;
  reason: "qualified" | "review" | "tierRemoved" | "excluded" | "tiersTurnedOff";
}

/** What one call produces: entries to append, the account to store, the order to upsert. */
export interface LedgerChange {
  entries: LedgerEntry[];
  account: LoyaltyAccount;
  order: LoyaltyOrder | null;
  tierChange: TierChange | null;
}
