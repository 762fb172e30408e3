// The daily pass over one member (the daily job, app/loyalty/jobs.server.ts): pending points
// released, birthday bonus, expiry, then the tier the result qualifies for.
import { awardBirthdayBonus } from "./bonuses";
import { expirePoints } from "./expiry";
import { applyChange } from "./ledger";
import { releasePendingPoints } from "./orders";
import type { LoyaltySettings } from "./settings";
import { evaluateTier } from "./tiers";
import type { LedgerChange, LoyaltyState } from "./types";

/** The shop's local date ("YYYY-MM-DD"), for birthdays. */
export function shopLocalDate(at: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

/** Every daily rule for one member, as one change (each rule sees the previous one's result). */
export function dailyChange(state: LoyaltyState, settings: LoyaltySettings, today: string, at: string): LedgerChange {
  let current = state;
  const entries = [];
  for (const rule of [
    (s: LoyaltyState) => releasePendingPoints(s, settings, at),
    (s: LoyaltyState) => awardBirthdayBonus(s, settings, today, at),
    (s: LoyaltyState) => expirePoints(s, settings, at),
  ]) {
    const change = rule(current);
    entries.push(...change.entries);
    current = applyChange(current, change);
  }
  const tier = evaluateTier(current, settings, at);
  return { entries, account: tier.account, order: null, tierChange: tier.tierChange };
}
