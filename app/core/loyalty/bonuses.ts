// Sign-up and birthday bonuses: available at once, never for excluded customers, each keyed so it
// is given once (sign-up once ever, birthday once per birthday year). The first-order bonus goes
// with the order that earns it (orders.ts).
import { LedgerDraft } from "./ledger";
import { isExcludedCustomer, type LoyaltySettings } from "./settings";
import { dayMs } from "./time";
import type { IsoTime, LedgerChange, LoyaltyState } from "./types";

/** A daily job that misses a day still gives the bonus within this many days of the birthday. */
export const birthdayBonusDays = 7;

export function awardSignUpBonus(state: LoyaltyState, settings: LoyaltySettings, at: IsoTime): LedgerChange {
  const draft = new LedgerDraft(state, at);
  if (!isExcludedCustomer(settings, state.account.customerTags))
    draft.credit(
      { key: "bonus:signUp", kind: "bonus", bonus: "signUp", reason: "signUp" },
      settings.bonuses.signUp,
      true,
    );
  return draft.change();
}

const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;
const monthDay = /^(\d{2})-(\d{2})$/;

function utcDay(year: number, month: number, day: number): number {
  // A 29 February birthday falls on 28 February in other years.
  const isLeap = new Date(Date.UTC(year, 1, 29)).getUTCMonth() === 1;
  const actualDay = month === 2 && day === 29 && !isLeap ? 28 : day;
  return Date.UTC(year, month - 1, actualDay);
}

/**
 * The birthday year whose bonus is due on `today` (the shop's local date, "YYYY-MM-DD"), or null.
 * A late-December birthday's window runs into January and still belongs to the earlier year.
 */
export function birthdayBonusYear(birthday: string | null, today: string): number | null {
  const birth = birthday ? monthDay.exec(birthday) : null;
  const date = dateOnly.exec(today);
  if (!birth || !date) return null;
  const todayMs = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
  for (const year of [Number(date[1]), Number(date[1]) - 1]) {
    const daysSince = (todayMs - utcDay(year, Number(birth[1]), Number(birth[2]))) / dayMs;
    if (daysSince >= 0 && daysSince < birthdayBonusDays) return year;
  }
  return null;
}

export function awardBirthdayBonus(
  state: LoyaltyState,
  settings: LoyaltySettings,
  today: string,
  at: IsoTime,
): LedgerChange {
  const draft = new LedgerDraft(state, at);
  const year = birthdayBonusYear(state.account.birthday, today);
  if (year !== null && !isExcludedCustomer(settings, state.account.customerTags))
    draft.credit(
      { key: `bonus:birthday:${year}`, kind: "bonus", bonus: "birthday", reason: "birthday" },
      settings.bonuses.birthday,
      true,
    );
  return draft.change();
}
