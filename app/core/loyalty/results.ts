// Loyalty results' arithmetic (docs/loyalty-results.md): the ledger's sums per entry kind turned
// into points issued, redeemed, expired and taken back; what a point is worth; the expected
// breakage; each group's figures in the members/non-members comparison; the periods and months
// the page shows. The service (app/loyalty/results.server.ts) reads the sums and calls these.
import { parseDecimal } from "./decimal";
import type { LoyaltySettings } from "./settings";
import type { LedgerEntryKind } from "./types";

export const RESULTS_PERIODS = [30, 90, 365] as const;
export type ResultsPeriod = (typeof RESULTS_PERIODS)[number];
export const DEFAULT_RESULTS_PERIOD: ResultsPeriod = 30;
const MONTHS_CHARTED = 12;

export function parseResultsPeriod(value: string | null): ResultsPeriod {
  const days = Number(value);
  return (RESULTS_PERIODS as readonly number[]).includes(days) ? (days as ResultsPeriod) : DEFAULT_RESULTS_PERIOD;
}

export interface KindSums {
  /** Sum of each entry's net change (points + pending − owed) where it was positive. */
  gained: number;
  /** Sum of minus the net change where it was negative. */
  lost: number;
  points: number;
  pendingPoints: number;
  owedPoints: number;
}

export interface PointsFlows {
  /** Earned on orders (pending included), bonuses, and staff additions. */
  issued: number;
  /** Spent on rewards, less points returned for failed or cancelled redemptions. */
  redeemed: number;
  expired: number;
  /** Reversals (refunds, cancellations, edits) and staff removals. */
  takenBack: number;
}

export interface GroupFigures {
  /** Customers with at least one counted order. */
  customers: number;
  repeatCustomers: number;
  repeatRate: number | null;
  averageNetRevenue: number | null;
  /** Customers with a prediction, and their average predicted 12-month CLV. */
  scored: number;
  averagePredictedClv: number | null;
}

export interface PointValue {
  /** "fixedAmountAverage": the mean of amount ÷ points cost over the amount-off rewards. */
  method: "fixedAmountAverage" | "none";
  perPoint: number | null;
  rewards: { name: string; amount: string; pointsCost: number }[];
}

export interface Breakage {
  /** history: expired ÷ (redeemed + expired), all time; noExpiry: points never expire (0); noHistory: nothing closed yet (0). */
  method: "history" | "noExpiry" | "noHistory";
  share: number;
  expired: number;
  closed: number;
}

export const NO_SUMS: KindSums = { gained: 0, lost: 0, points: 0, pendingPoints: 0, owedPoints: 0 };

export function addKindSums(into: Map<LedgerEntryKind, KindSums>, kind: LedgerEntryKind, sums: KindSums): void {
  const current = into.get(kind) ?? NO_SUMS;
  into.set(kind, {
    gained: current.gained + sums.gained,
    lost: current.lost + sums.lost,
    points: current.points + sums.points,
    pendingPoints: current.pendingPoints + sums.pendingPoints,
    owedPoints: current.owedPoints + sums.owedPoints,
  });
}

export function flowsOf(byKind: ReadonlyMap<LedgerEntryKind, KindSums>): PointsFlows {
  const gained = (kind: LedgerEntryKind) => byKind.get(kind)?.gained ?? 0;
  const lost = (kind: LedgerEntryKind) => byKind.get(kind)?.lost ?? 0;
  return {
    issued: gained("earn") + gained("bonus") + gained("adjustment"),
    redeemed: lost("redemption") - gained("redemptionRefund"),
    expired: lost("expiry"),
    takenBack: lost("reversal") + lost("adjustment"),
  };
}

/** The value of a point in shop currency: the average of the amount-off rewards' amount per point. */
export function pointValue(settings: LoyaltySettings): PointValue {
  const rewards = settings.rewards.flatMap((reward) =>
    reward.discount.type === "fixedAmount"
      ? [{ name: reward.name, amount: reward.discount.amount, pointsCost: reward.pointsCost }]
      : [],
  );
  if (!rewards.length) return { method: "none", perPoint: null, rewards: [] };
  const perPoint =
    rewards.reduce((sum, reward) => {
      const amount = parseDecimal(reward.amount);
      return sum + Number(amount.numerator) / Number(amount.denominator) / reward.pointsCost;
    }, 0) / rewards.length;
  return { method: "fixedAmountAverage", perPoint, rewards };
}

export function breakageEstimate(settings: LoyaltySettings, allTime: PointsFlows): Breakage {
  const closed = Math.max(0, allTime.redeemed) + allTime.expired;
  if (!settings.expiry) return { method: "noExpiry", share: 0, expired: allTime.expired, closed };
  if (closed <= 0) return { method: "noHistory", share: 0, expired: 0, closed: 0 };
  return { method: "history", share: allTime.expired / closed, expired: allTime.expired, closed };
}

export const roundCents = (amount: number) => Math.round(amount * 100) / 100;
const utcDay = (time: Date) => time.toISOString().slice(0, 10);

export function daysBefore(time: Date, days: number): string {
  const start = new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate() - days));
  return utcDay(start);
}

/** The months charted, oldest first, ending with `now`'s ("YYYY-MM", UTC). */
export function monthKeys(now: Date, months = MONTHS_CHARTED): string[] {
  return Array.from({ length: months }, (_, index) => {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1 - index), 1));
    return month.toISOString().slice(0, 7);
  });
}

export interface ComparisonRow {
  member: boolean;
  customers: number;
  repeatCustomers: number;
  netRevenue: number;
  scored: number;
  predictedClv: number;
}

export function groupFigures(row: ComparisonRow | undefined): GroupFigures {
  if (!row || row.customers === 0)
    return {
      customers: 0,
      repeatCustomers: 0,
      repeatRate: null,
      averageNetRevenue: null,
      scored: 0,
      averagePredictedClv: null,
    };
  return {
    customers: row.customers,
    repeatCustomers: row.repeatCustomers,
    repeatRate: row.repeatCustomers / row.customers,
    averageNetRevenue: roundCents(row.netRevenue / row.customers),
    scored: row.scored,
    averagePredictedClv: row.scored ? roundCents(row.predictedClv / row.scored) : null,
  };
}
