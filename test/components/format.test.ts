// The admin pages' formats, pinned: each page used to write its own, and these are what they wrote.
import { describe, expect, it } from "vitest";

import {
  formatCount,
  formatDate,
  formatDateTime,
  formatDateTimeWithZone,
  formatDecimal,
  formatMoney,
  formatMonth,
  formatNumber,
  formatPercent,
  formatRoundMoney,
  formatShortDate,
  formatSmallMoney,
} from "~/components/ui/format";

describe("the admin's formats", () => {
  it("writes numbers", () => {
    expect(formatCount(1653.4)).toBe("1,653");
    expect(formatDecimal(1.5)).toBe("1.50");
    expect(formatDecimal(2.345, 1)).toBe("2.3");
    expect(formatDecimal(null)).toBe("–");
    expect(formatNumber(12, 1)).toBe("12");
    expect(formatNumber(1234.56, 1)).toBe("1,234.6");
    expect(formatPercent(0.1234)).toBe("12.3%");
    expect(formatPercent(null)).toBe("–");
  });

  it("writes money", () => {
    expect(formatMoney(1234.5, "USD")).toBe("$1,234.50");
    expect(formatMoney(null, "USD")).toBe("–");
    expect(formatRoundMoney(50, "USD")).toBe("$50");
    expect(formatRoundMoney(12.5, "USD")).toBe("$12.50");
    expect(formatSmallMoney(0.0125, "USD")).toBe("$0.0125");
    expect(formatSmallMoney(1, "EUR")).toBe("€1");
  });

  it("writes dates in UTC unless told a time zone", () => {
    const iso = "2026-03-03T23:30:00.000Z";
    expect(formatMonth("2026-03")).toBe("Mar 2026");
    expect(formatMonth("not a month")).toBe("not a month");
    expect(formatDate(iso)).toBe("March 3, 2026");
    expect(formatShortDate(iso)).toBe("Mar 3, 2026");
    expect(formatShortDate(new Date(iso), "Asia/Tokyo")).toBe("Mar 4, 2026");
    expect(formatDateTime(iso)).toBe("3/3/2026, 11:30:00 PM");
    expect(formatDateTimeWithZone(iso)).toBe("3/3/2026, 11:30:00 PM UTC");
  });
});
