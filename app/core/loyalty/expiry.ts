// Expiry: all available points expire after the chosen number of days without activity (earning,
// points becoming available, a bonus, a redemption or its refund, a staff adjustment). Pending
// points don't expire: they are not the shopper's to spend yet, and becoming available is
// activity. Owed points don't expire either: they are the merchant's, not the shopper's.
import { activityKinds, LedgerDraft } from "./ledger";
import type { LoyaltySettings } from "./settings";
import { addDays, toMillis } from "./time";
import type { IsoTime, LedgerChange, LedgerEntry, LoyaltyState } from "./types";

function lastActivity(entries: readonly LedgerEntry[]): { at: IsoTime; key: string } | null {
  let latest: { at: IsoTime; key: string } | null = null;
  let latestMs = -Infinity;
  for (const entry of entries) {
    if (!activityKinds.has(entry.kind)) continue;
    const ms = toMillis(entry.occurredAt);
    // `>=`: among equal times the last appended wins, so the key below changes with every activity.
    if (ms >= latestMs) {
      latestMs = ms;
      latest = { at: entry.occurredAt, key: entry.key };
    }
  }
  return latest;
}

export interface PointsExpiry {
  points: number;
  expiresAt: IsoTime;
  /** Within the warning period: tell the shopper. */
  expiringSoon: boolean;
}

/** When the shopper's available points will expire if nothing happens, for the storefront and emails. */
export function pointsExpiry(state: LoyaltyState, settings: LoyaltySettings, at: IsoTime): PointsExpiry | null {
  const points = state.entries.reduce((sum, entry) => sum + entry.points, 0);
  const activity = lastActivity(state.entries);
  if (!settings.expiry || points <= 0 || !activity) return null;
  const expiresAt = addDays(activity.at, settings.expiry.inactiveDays);
  const warnFrom = addDays(expiresAt, -settings.expiry.warningDays);
  return { points, expiresAt, expiringSoon: toMillis(at) >= toMillis(warnFrom) };
}

/** Expires the whole available balance once the inactivity period has passed. Run it daily. */
export function expirePoints(state: LoyaltyState, settings: LoyaltySettings, at: IsoTime): LedgerChange {
  const draft = new LedgerDraft(state, at);
  const expiry = pointsExpiry(state, settings, at);
  const activity = lastActivity(state.entries);
  if (expiry && activity && toMillis(at) >= toMillis(expiry.expiresAt))
    // Keyed by the last activity: points can come back only through new activity, which gives a new key.
    draft.spend({ key: `expiry:after:${activity.key}`, kind: "expiry", reason: "inactive" }, draft.pointsBalance);
  return draft.change();
}
