// What the page says, worked out from the API's answers without Shopify: the extension passes in
// its translate function (shopify.i18n.translate) and the shopper's locale; tests pass their own.
import type { Discount, HistoryEntry, NextTier, Reward } from "./api";

/** shopify.i18n.translate's shape: a key of locales/*.json, with {{ placeholders }} and `count` plurals. */
export type Translate = (key: string, replacements?: Record<string, string | number>) => string;

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** Points with a sign, as a ledger shows them: "+120", "−100". */
export function formatSignedPoints(points: number, locale: string): string {
  return new Intl.NumberFormat(locale, { signDisplay: "exceptZero" }).format(points);
}

/** A decimal string from the API ("5.00") in the shop's currency. */
export function formatMoney(amount: string, currencyCode: string, locale: string): string {
  const value = Number(amount);
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency: currencyCode }).format(value);
  } catch {
    // An unknown currency code: the number and the code still say it.
    return `${new Intl.NumberFormat(locale, { minimumFractionDigits: 2 }).format(value)} ${currencyCode}`;
  }
}

/** A date from the API (ISO 8601); `timeZone: "UTC"` for calendar dates such as an expiry day. */
export function formatDate(iso: string, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", ...(timeZone ? { timeZone } : {}) }).format(
    new Date(iso),
  );
}

// --- Balance and tiers ---------------------------------------------------------------------

/** "Earn 1 point for every $10.00 spent" from the points earned per unit of currency. */
export function describeEarnRate(rate: string, currencyCode: string, locale: string, t: Translate): string | null {
  const perUnit = Number(rate);
  if (!Number.isFinite(perUnit) || perUnit <= 0) return null;
  if (perUnit >= 1) {
    const count = Math.round(perUnit * 100) / 100;
    return t("balance.earnRate", { count, amount: formatMoney("1", currencyCode, locale) });
  }
  const spend = (Math.round((1 / perUnit) * 100) / 100).toFixed(2);
  return t("balance.earnRate", { count: 1, amount: formatMoney(spend, currencyCode, locale) });
}

/** The way to the next tier, in the unit the tiers count. */
export function describeNextTier(next: NextTier, currencyCode: string, locale: string, t: Translate): string {
  if (next.unit === "money")
    return t("tier.nextMoney", { tier: next.name, amount: formatMoney(next.remaining, currencyCode, locale) });
  const count = Number(next.remaining);
  return t("tier.nextPoints", { tier: next.name, count, points: formatNumber(count, locale) });
}

/** Progress to the next tier as a whole percentage, 0–100. */
export function progressPercent(progress: number): number {
  if (!Number.isFinite(progress)) return 0;
  return Math.round(Math.min(1, Math.max(0, progress)) * 100);
}

// --- History -------------------------------------------------------------------------------

export const HISTORY_KINDS = [
  "earn",
  "pendingReleased",
  "reversal",
  "redemption",
  "redemptionRefund",
  "bonus",
  "expiry",
  "adjustment",
] as const;

export interface EntryView {
  id: string;
  title: string;
  /** The order, or the store's reason for an adjustment; null when there is nothing to add. */
  detail: string | null;
  date: string;
  /** "+120"; null for an entry that moved only pending points. */
  points: string | null;
  /** "+40 pending"; null when no pending points moved. */
  pending: string | null;
  tone: "success" | "critical" | "neutral";
}

export function describeEntry(entry: HistoryEntry, locale: string, t: Translate): EntryView {
  const kind = (HISTORY_KINDS as readonly string[]).includes(entry.kind) ? entry.kind : "other";
  const details: string[] = [];
  if (entry.orderName) details.push(t("history.order", { order: entry.orderName }));
  if (entry.kind === "adjustment" && entry.reason) details.push(entry.reason);
  const total = entry.points !== 0 ? entry.points : entry.pendingPoints;
  return {
    id: entry.id,
    title: t(`history.kinds.${kind}`),
    detail: details.length ? details.join(" · ") : null,
    date: formatDate(entry.occurredAt, locale),
    points: entry.points !== 0 ? formatSignedPoints(entry.points, locale) : null,
    pending:
      entry.pendingPoints !== 0
        ? t("history.pending", { points: formatSignedPoints(entry.pendingPoints, locale) })
        : null,
    tone: total > 0 ? "success" : total < 0 ? "critical" : "neutral",
  };
}

// --- Rewards -------------------------------------------------------------------------------

export function describeDiscount(discount: Discount, currencyCode: string, locale: string, t: Translate): string {
  switch (discount.type) {
    case "fixedAmount":
      return t("rewards.discount.fixedAmount", { amount: formatMoney(discount.amount, currencyCode, locale) });
    case "percentage":
      return t("rewards.discount.percentage", { percent: formatNumber(discount.percent, locale) });
    case "freeShipping":
      return t("rewards.discount.freeShipping");
  }
}

export interface RewardView {
  id: string;
  name: string;
  cost: string;
  discount: string;
  /** "On orders of $30.00 or more"; null without a minimum. */
  minimum: string | null;
  affordable: boolean;
  /** "120 more points needed"; null when the shopper can afford it. */
  shortfall: string | null;
}

export function describeReward(
  reward: Reward,
  pointsBalance: number,
  currencyCode: string,
  locale: string,
  t: Translate,
): RewardView {
  // From the balance the page shows now: it changes after a redemption, the rewards' flags don't.
  const missing = Math.max(0, reward.pointsCost - pointsBalance);
  const affordable = missing === 0;
  return {
    id: reward.id,
    name: reward.name,
    cost: t("rewards.cost", { count: reward.pointsCost, points: formatNumber(reward.pointsCost, locale) }),
    discount: describeDiscount(reward.discount, currencyCode, locale, t),
    minimum:
      Number(reward.minimumOrder) > 0
        ? t("rewards.minimumOrder", { amount: formatMoney(reward.minimumOrder, currencyCode, locale) })
        : null,
    affordable,
    shortfall: affordable ? null : t("rewards.needMore", { count: missing, points: formatNumber(missing, locale) }),
  };
}

// --- Errors --------------------------------------------------------------------------------

const KNOWN_ERRORS = new Set([
  "invalidRequest",
  "badSignature",
  "notLoggedIn",
  "programOff",
  "rateLimited",
  "discountFailed",
  "notEnoughPoints",
  "belowMinimumOrder",
  "rewardAlreadyOnOrder",
  "unknownReward",
  "excluded",
  "redemptionClosed",
  "birthdayAlreadySet",
  "network",
  "notConfigured",
]);

/** The locale key that explains an API error code to the shopper. */
export function errorKey(code: string): string {
  return KNOWN_ERRORS.has(code) ? `errors.${code}` : "errors.generic";
}

// --- Birthday ------------------------------------------------------------------------------

// February has 29: a 29 February birthday is celebrated on the 28th in other years.
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(month: number): number {
  return DAYS_IN_MONTH[month - 1] ?? 31;
}

/** "MM-DD" for the API from a month (1–12) and a day, or null if that day does not exist. */
export function birthdayValue(month: number, day: number): string | null {
  if (!Number.isInteger(month) || !Number.isInteger(day) || month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(month)) return null;
  return `${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The months' names in the shopper's language, January first. */
export function monthNames(locale: string): string[] {
  const format = new Intl.DateTimeFormat(locale, { month: "long", timeZone: "UTC" });
  return Array.from({ length: 12 }, (_, index) => format.format(new Date(Date.UTC(2000, index, 1))));
}

/** A saved birthday ("04-23") as the shopper reads it: "April 23", "23 avril". */
export function formatBirthday(birthday: string, locale: string): string {
  const match = /^(\d{2})-(\d{2})$/.exec(birthday);
  if (!match) return birthday;
  // 2000 was a leap year, so 29 February reads as itself.
  const date = new Date(Date.UTC(2000, Number(match[1]) - 1, Number(match[2])));
  return new Intl.DateTimeFormat(locale, { month: "long", day: "numeric", timeZone: "UTC" }).format(date);
}
