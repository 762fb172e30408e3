// Times travel as ISO-8601 strings; the loyalty core never reads the clock, callers pass `at`.
import type { IsoTime } from "./types";

export const dayMs = 86_400_000;

export function toMillis(time: IsoTime): number {
  const millis = Date.parse(time);
  if (Number.isNaN(millis)) throw new Error(`Not a time: ${JSON.stringify(time)}`);
  return millis;
}

export function addDays(time: IsoTime, days: number): IsoTime {
  return new Date(toMillis(time) + days * dayMs).toISOString();
}

/** Calendar months in UTC; the 31st of a shorter month rolls into the next, as Date does. */
export function addMonths(time: IsoTime, months: number): IsoTime {
  const date = new Date(toMillis(time));
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString();
}
