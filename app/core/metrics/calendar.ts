// Days and months in the shop's time zone, as plain integers, so the metrics over a million
// customers bucket dates without creating a Date object per customer.
//
// Like the CLV summaries (core/clv/summaries.ts), a shop's day starts at midnight in its fixed
// UTC offset. A day number counts days since 1970-01-01 (in that offset); a month number is
// year * 12 + month (January = 0).

export const MS_PER_DAY = 86_400_000;

/** Options every shop-level figure takes besides its "as of" time. */
export interface ShopTimeOptions {
  /** The shop's offset from UTC in minutes (e.g. -300 for New York in winter); 0 by default. */
  utcOffsetMinutes?: number;
}

export function offsetMs(options: ShopTimeOptions | undefined): number {
  const minutes = options?.utcOffsetMinutes ?? 0;
  if (!Number.isFinite(minutes)) throw new RangeError("utcOffsetMinutes must be a number");
  return minutes * 60_000;
}

/** The shop's day number of an instant (epoch milliseconds); NaN stays NaN. */
export function dayNumber(epochMs: number, offset: number): number {
  return Math.floor((epochMs + offset) / MS_PER_DAY);
}

/**
 * The month number (year * 12 + month) of a day number: Howard Hinnant's civil-from-days
 * algorithm, integer arithmetic only, valid for every date a shop can have.
 */
export function monthOfDay(day: number): number {
  const shifted = day + 719_468; // days from 0000-03-01, the start of a 400-year era
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153); // 0 = March ... 11 = February
  const month = monthFromMarch < 10 ? monthFromMarch + 2 : monthFromMarch - 10; // 0 = January
  const year = yearOfEra + era * 400 + (month <= 1 ? 1 : 0);
  return year * 12 + month;
}

/** "2024-03" for a month number: how cohorts and trend points are labelled. */
export function monthLabel(month: number): string {
  const year = Math.floor(month / 12);
  const monthOfYear = month - year * 12 + 1;
  return `${year}-${monthOfYear < 10 ? "0" : ""}${monthOfYear}`;
}

export function epochMs(date: Date, name: string): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid time`);
  return ms;
}
