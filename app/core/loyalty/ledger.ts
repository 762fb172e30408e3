// The ledger: append-only entries whose sums are the customer's points. Every function in this
// folder builds its entries through a LedgerDraft, which keeps the three running sums and holds
// the rules that keep them from going negative:
//   - credits first pay off owed points, then add to the balance (or to pending points);
//   - reversals take an order's own pending points first, then available points, and record
//     the rest as owed instead of pushing the balance below zero;
//   - spending (redemptions, expiry, staff removals) is only ever asked for what is there.
import { toMillis } from "./time";
import type { IsoTime, LedgerChange, LedgerEntry, LedgerEntryKind, LoyaltyAccount, LoyaltyState } from "./types";

export interface PointsSums {
  pointsBalance: number;
  pendingPoints: number;
  owedPoints: number;
}

export function sumEntries(entries: readonly LedgerEntry[]): PointsSums {
  const sums = { pointsBalance: 0, pendingPoints: 0, owedPoints: 0 };
  for (const entry of entries) {
    sums.pointsBalance += entry.points;
    sums.pendingPoints += entry.pendingPoints;
    sums.owedPoints += entry.owedPoints;
  }
  return sums;
}

/** What an entry did to the customer's worth in points: balance + pending − owed. */
export function netPointsOf(entry: LedgerEntry): number {
  return entry.points + entry.pendingPoints - entry.owedPoints;
}

/** Points an order has earned so far, after its reversals (its first-order bonus aside). */
export function orderPointsOf(entries: Iterable<LedgerEntry>, orderId: string): number {
  let points = 0;
  for (const entry of entries)
    if (entry.orderId === orderId && entry.bonus === null && (entry.kind === "earn" || entry.kind === "reversal"))
      points += netPointsOf(entry);
  return points;
}

export function newLoyaltyAccount(
  customerId: string,
  details: { customerTags?: string[]; birthday?: string | null } = {},
): LoyaltyAccount {
  return {
    customerId,
    customerTags: details.customerTags ?? [],
    birthday: details.birthday ?? null,
    pointsBalance: 0,
    pendingPoints: 0,
    owedPoints: 0,
    tierId: null,
    tierSince: null,
    tierReviewedAt: null,
  };
}

/** The state after a change is persisted: what a service reloads, and what tests fold. */
export function applyChange(state: LoyaltyState, change: LedgerChange): LoyaltyState {
  const orders = change.order
    ? [...state.orders.filter((order) => order.orderId !== change.order?.orderId), change.order]
    : state.orders;
  return { account: change.account, entries: [...state.entries, ...change.entries], orders };
}

export type EntrySource = Pick<LedgerEntry, "key" | "kind"> &
  Partial<Omit<LedgerEntry, "key" | "kind" | "customerId" | "points" | "pendingPoints" | "owedPoints" | "occurredAt">>;

/** Entries being added to one customer's ledger during one call. */
export class LedgerDraft {
  readonly added: LedgerEntry[] = [];
  pointsBalance: number;
  pendingPoints: number;
  owedPoints: number;
  private readonly keys: Set<string>;

  readonly at: IsoTime;

  constructor(
    readonly state: LoyaltyState,
    at: IsoTime,
  ) {
    this.at = new Date(toMillis(at)).toISOString();
    // The entries are the truth; the account row only caches their sums.
    const sums = sumEntries(state.entries);
    this.pointsBalance = sums.pointsBalance;
    this.pendingPoints = sums.pendingPoints;
    this.owedPoints = sums.owedPoints;
    this.keys = new Set(state.entries.map((entry) => entry.key));
  }

  get customerId(): string {
    return this.state.account.customerId;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  *entries(): Iterable<LedgerEntry> {
    yield* this.state.entries;
    yield* this.added;
  }

  find(predicate: (entry: LedgerEntry) => boolean): LedgerEntry | undefined {
    for (const entry of this.entries()) if (predicate(entry)) return entry;
    return undefined;
  }

  orderPending(orderId: string): number {
    let pending = 0;
    for (const entry of this.entries()) if (entry.orderId === orderId) pending += entry.pendingPoints;
    return pending;
  }

  /** Gives points: pending, or available after paying off any owed points. */
  credit(source: EntrySource, gain: number, available: boolean): LedgerEntry | null {
    if (gain <= 0) return null;
    if (!available) return this.push(source, { pendingPoints: gain });
    const settled = Math.min(this.owedPoints, gain);
    return this.push(source, { points: gain - settled, owedPoints: -settled });
  }

  /**
   * Takes points back: from the order's pending points, then from the balance; what is missing
   * is owed and paid off by the next points the customer gets. The balance never goes negative.
   */
  takeBack(source: EntrySource, amount: number): LedgerEntry | null {
    if (amount <= 0) return null;
    const fromPending = source.orderId ? Math.min(amount, this.orderPending(source.orderId)) : 0;
    const fromBalance = Math.min(amount - fromPending, this.pointsBalance);
    return this.push(source, {
      pendingPoints: -fromPending,
      points: -fromBalance,
      owedPoints: amount - fromPending - fromBalance,
    });
  }

  /** Spends available points; callers check there are enough. */
  spend(source: EntrySource, amount: number): LedgerEntry | null {
    if (amount <= 0) return null;
    if (amount > this.pointsBalance) throw new Error(`Cannot spend ${amount} of ${this.pointsBalance} points`);
    return this.push(source, { points: -amount });
  }

  /** Makes all of an order's pending points available. */
  release(source: EntrySource & { orderId: string }): LedgerEntry | null {
    const pending = this.orderPending(source.orderId);
    if (pending <= 0) return null;
    const settled = Math.min(this.owedPoints, pending);
    return this.push(source, { pendingPoints: -pending, points: pending - settled, owedPoints: -settled });
  }

  change(extra: Partial<Pick<LedgerChange, "order" | "tierChange">> & { account?: LoyaltyAccount } = {}): LedgerChange {
    const account = extra.account ?? this.state.account;
    return {
      entries: this.added,
      account: {
        ...account,
        pointsBalance: this.pointsBalance,
        pendingPoints: this.pendingPoints,
        owedPoints: this.owedPoints,
      },
      order: extra.order ?? null,
      tierChange: extra.tierChange ?? null,
    };
  }

  private push(
    source: EntrySource,
    deltas: { points?: number; pendingPoints?: number; owedPoints?: number },
  ): LedgerEntry | null {
    // Same source, same key: the entry is already in the ledger, so applying it again adds nothing.
    if (this.keys.has(source.key)) return null;
    const points = deltas.points ?? 0;
    const pendingPoints = deltas.pendingPoints ?? 0;
    const owedPoints = deltas.owedPoints ?? 0;
    if (points === 0 && pendingPoints === 0 && owedPoints === 0) return null;
    const entry: LedgerEntry = {
      orderId: null,
      refundId: null,
      redemptionId: null,
      rewardId: null,
      adjustmentId: null,
      cartToken: null,
      bonus: null,
      earnRate: null,
      tierMultiplier: null,
      netSpendCents: null,
      staffMember: null,
      reason: null,
      ...source,
      customerId: this.customerId,
      points,
      pendingPoints,
      owedPoints,
      occurredAt: this.at,
    };
    this.keys.add(entry.key);
    this.added.push(entry);
    this.pointsBalance += points;
    this.pendingPoints += pendingPoints;
    this.owedPoints += owedPoints;
    return entry;
  }
}

export interface LedgerAudit {
  customerId: string;
  stored: PointsSums;
  recomputed: PointsSums;
  /** recomputed − stored, per sum. */
  drift: PointsSums;
  hasDrift: boolean;
  /** Anything else wrong with the entries themselves, in words. */
  problems: string[];
}

/** Recomputes a customer's points from the ledger and compares them with the stored account. */
export function auditLedger(account: LoyaltyAccount, entries: readonly LedgerEntry[]): LedgerAudit {
  const problems: string[] = [];
  const keys = new Set<string>();
  const running = { pointsBalance: 0, pendingPoints: 0, owedPoints: 0 };
  const below = new Set<keyof PointsSums>();
  for (const entry of entries) {
    if (entry.customerId !== account.customerId)
      problems.push(`Entry ${entry.key} belongs to customer ${entry.customerId}.`);
    if (keys.has(entry.key)) problems.push(`Entry key ${entry.key} appears more than once.`);
    keys.add(entry.key);
    for (const field of ["points", "pendingPoints", "owedPoints"] as const)
      if (!Number.isSafeInteger(entry[field])) problems.push(`Entry ${entry.key} has a non-integer ${field}.`);
    running.pointsBalance += entry.points;
    running.pendingPoints += entry.pendingPoints;
    running.owedPoints += entry.owedPoints;
    for (const sum of Object.keys(running) as (keyof PointsSums)[])
      if (running[sum] < 0 && !below.has(sum)) {
        below.add(sum);
        problems.push(`${sum} went below zero at entry ${entry.key}.`);
      }
  }
  const stored = {
    pointsBalance: account.pointsBalance,
    pendingPoints: account.pendingPoints,
    owedPoints: account.owedPoints,
  };
  const drift = {
    pointsBalance: running.pointsBalance - stored.pointsBalance,
    pendingPoints: running.pendingPoints - stored.pendingPoints,
    owedPoints: running.owedPoints - stored.owedPoints,
  };
  return {
    customerId: account.customerId,
    stored,
    recomputed: running,
    drift,
    hasDrift: drift.pointsBalance !== 0 || drift.pendingPoints !== 0 || drift.owedPoints !== 0,
    problems,
  };
}

/** Entry kinds that count as the customer being active, for expiry. */
export const activityKinds: ReadonlySet<LedgerEntryKind> = new Set<LedgerEntryKind>([
  "earn",
  "pendingReleased",
  "bonus",
  "redemption",
  "redemptionRefund",
  "adjustment",
]);
