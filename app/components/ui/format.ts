// How the admin pages write numbers, money and dates (client and server), one function per
// format: US English for now, as the admin's strings are. Dates are in UTC unless a time zone is
// given (the shop's, on the customer pages).
import { insightStrings } from "~/strings/insight";

/** Whole numbers with thousands separators: 1,653. The core's, so explanations read the same. */
export { formatCount } from "~/core/metrics/explain";

/** "$1,234.50"; "–" for no amount. */
export function formatMoney(amount: number | null, currencyCode: string): string {
  if (amount === null) return "–";
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode }).format(amount);
}

/** Money without cents when the amount is whole ("$50", "$12.50"), as a chart's range edges. */
export function formatRoundMoney(amount: number, currencyCode: string): string {
  if (!Number.isInteger(amount)) return formatMoney(amount, currencyCode);
  return new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode, maximumFractionDigits: 0 }).format(
    amount,
  );
}

/** A small amount to three significant figures: what a point is worth ("$0.0125"). */
export function formatSmallMoney(amount: number, currencyCode: string): string {
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: currencyCode,
    maximumSignificantDigits: 3,
  }).format(amount);
}

/** A share (0.123) as "12.3%"; "–" for none. */
export function formatPercent(share: number | null): string {
  if (share === null) return "–";
  return new Intl.NumberFormat("en-US", {
    style: "percent",
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(share);
}

/** Exactly `digits` decimals ("1.50"); "–" for none. */
export const formatDecimal = (value: number | null, digits = 2) =>
  value === null
    ? insightStrings.common.noValue
    : value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** At most `maximumFractionDigits` decimals, none when whole ("12", "12.5"). */
export function formatNumber(value: number, maximumFractionDigits: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits });
}

/** "2026-03" as "Mar 2026". */
export function formatMonth(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  return Number.isNaN(date.getTime())
    ? month
    : date.toLocaleDateString("en-US", { month: "short", year: "numeric", timeZone: "UTC" });
}

/** "March 3, 2026". */
export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString("en-US", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

/** "Mar 3, 2026", in the given time zone. */
export function formatShortDate(date: Date | string, timeZone = "UTC"): string {
  return new Date(date).toLocaleDateString("en-US", { timeZone, year: "numeric", month: "short", day: "numeric" });
}

/** "3/3/2026, 2:05:09 PM" in UTC (the sentence around it says so). */
export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString("en-US", { timeZone: "UTC" });
}

/** "3/3/2026, 2:05:09 PM UTC": a date and time that names its zone. */
export function formatDateTimeWithZone(iso: string): string {
  return new Date(iso).toLocaleString("en-US", { timeZone: "UTC", timeZoneName: "short" });
}
