// What shoppers will read about a program: the sentences the admin's preview shows beside the
// settings form. Pure: the words come in as a parameter (app/strings/loyalty.ts holds them, ready
// for translation), and figures are computed with the same exact arithmetic the ledger uses, so
// "1 point for every $10" is what an order of $10 really earns.
import { parseDecimal, pointsForSpend, type ExactDecimal } from "./decimal";
import type { LoyaltySettings, Reward, TierSettings } from "./settings";

/** The sentences, as functions of already formatted figures (so word order can change per language). */
export interface PreviewWords {
  programOff: string;
  /** "Earn 1 point for every $10 spent". */
  earn: (points: string, pointsCount: number, amount: string) => string;
  spendBasis: { merchandise: string; withTax: string; withShipping: string; withTaxAndShipping: string };
  availability: { paid: string; fulfilled: string; afterDays: (days: string, count: number) => string };
  bonuses: {
    signUp: (points: string, count: number) => string;
    birthday: (points: string, count: number) => string;
    firstOrder: (points: string, count: number) => string;
  };
  expiry: {
    never: string;
    after: (days: string, dayCount: number) => string;
    warning: (days: string, dayCount: number) => string;
  };
  reward: {
    cost: (points: string, count: number) => string;
    fixedAmount: (amount: string) => string;
    percentage: (percent: string) => string;
    freeShipping: string;
    minimumOrder: (amount: string) => string;
  };
  noRewards: string;
  onePerOrder: string;
  returnOnCancel: string;
  tiers: {
    netSpend: (amount: string, window: string) => string;
    pointsEarned: (points: string, count: number, window: string) => string;
    openToAll: string;
    window: { rolling12Months: string; lifetime: string };
    multiplier: (multiplier: string) => string;
    usualRate: string;
    movesUp: string;
    review: { monthly: string; quarterly: string; yearly: string; never: string };
  };
}

export interface RewardPreview {
  id: string;
  name: string;
  cost: string;
  /** What the shopper gets and when they can use it: "$5 off", "Orders of $50 or more". */
  details: string[];
}

export interface TierPreview {
  id: string;
  name: string;
  requirement: string;
  perk: string;
}

export interface LoyaltyPreview {
  enabled: boolean;
  /** Set when the program is off: shoppers see nothing. */
  offNotice: string | null;
  earn: string;
  spendBasis: string;
  availability: string;
  bonuses: string[];
  expiry: string[];
  rewards: RewardPreview[];
  rewardRules: string[];
  tiers: TierPreview[] | null;
  tierRules: string[];
}

export interface PreviewOptions {
  currencyCode: string;
  words: PreviewWords;
  /** BCP 47 locale for numbers and money; en-US by default. */
  locale?: string;
}

const gcd = (left: bigint, right: bigint): bigint => (right === 0n ? left : gcd(right, left % right));

/** A whole currency amount without cents ("$10"), otherwise with them ("$12.50"). */
function moneyFormatter(currencyCode: string, locale: string) {
  const whole = new Intl.NumberFormat(locale, {
    style: "currency",
    currency: currencyCode,
    minimumFractionDigits: 0,
    maximumFractionDigits: 0,
  });
  const cents = new Intl.NumberFormat(locale, { style: "currency", currency: currencyCode });
  return (amount: ExactDecimal | string): string => {
    const value = typeof amount === "string" ? parseDecimal(amount) : amount;
    if (value.numerator % value.denominator === 0n) return whole.format(value.numerator / value.denominator);
    return cents.format(Number(value.numerator) / Number(value.denominator));
  };
}

/**
 * The earn rate as the smallest whole numbers of points and currency: 0.1 is 1 point for every
 * 10, 1.5 is 3 points for every 2. A rate no small amount expresses exactly (0.333333) is shown
 * for the smallest round amount that earns a point, with the points an order of it really earns.
 */
export function earnRateInWholeNumbers(earnRate: string): { points: number; amount: ExactDecimal } {
  const rate = parseDecimal(earnRate);
  const divisor = gcd(rate.numerator, rate.denominator);
  const points = rate.numerator / divisor;
  const units = rate.denominator / divisor;
  if (units <= 1000n) return { points: Number(points), amount: { numerator: units, denominator: 1n } };
  for (let units = 100n; ; units *= 10n) {
    const earned = pointsForSpend(Number(units * 100n), earnRate, "1");
    if (earned >= 1) return { points: earned, amount: { numerator: units, denominator: 1n } };
  }
}

function discountText(
  reward: Reward,
  words: PreviewWords,
  money: (amount: string) => string,
  count: (n: number) => string,
) {
  const discount = reward.discount;
  if (discount.type === "fixedAmount") return words.reward.fixedAmount(money(discount.amount));
  if (discount.type === "percentage") return words.reward.percentage(count(discount.percent));
  return words.reward.freeShipping;
}

function tierRequirement(
  tiers: TierSettings,
  threshold: string,
  words: PreviewWords,
  money: (amount: string) => string,
  count: (n: number) => string,
): string {
  const value = parseDecimal(threshold);
  if (value.numerator === 0n) return words.tiers.openToAll;
  const window = words.tiers.window[tiers.window];
  if (tiers.basis === "netSpend") return words.tiers.netSpend(money(threshold), window);
  const points = Number(value.numerator / value.denominator);
  return words.tiers.pointsEarned(count(points), points, window);
}

export function loyaltyPreview(enabled: boolean, settings: LoyaltySettings, options: PreviewOptions): LoyaltyPreview {
  const { words, currencyCode } = options;
  const locale = options.locale ?? "en-US";
  const money = moneyFormatter(currencyCode, locale);
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 4 });
  const count = (value: number) => numbers.format(value);

  const rate = earnRateInWholeNumbers(settings.earnRate);
  const basis = words.spendBasis;
  const spendBasis =
    settings.includeTax && settings.includeShipping
      ? basis.withTaxAndShipping
      : settings.includeTax
        ? basis.withTax
        : settings.includeShipping
          ? basis.withShipping
          : basis.merchandise;

  const availability = settings.availability;
  const availabilityText =
    availability.when === "afterDays"
      ? words.availability.afterDays(count(availability.days), availability.days)
      : words.availability[availability.when];

  const bonuses: string[] = [];
  for (const kind of ["signUp", "firstOrder", "birthday"] as const) {
    const points = settings.bonuses[kind];
    if (points > 0) bonuses.push(words.bonuses[kind](count(points), points));
  }

  const expiry = settings.expiry
    ? [
        words.expiry.after(count(settings.expiry.inactiveDays), settings.expiry.inactiveDays),
        words.expiry.warning(count(settings.expiry.warningDays), settings.expiry.warningDays),
      ]
    : [words.expiry.never];

  // Cheapest first: what a new member can reach soonest leads the list.
  const rewards = [...settings.rewards]
    .sort((left, right) => left.pointsCost - right.pointsCost)
    .map((reward): RewardPreview => {
      const details = [discountText(reward, words, money, count)];
      if (parseDecimal(reward.minimumOrder).numerator > 0n)
        details.push(words.reward.minimumOrder(money(reward.minimumOrder)));
      return {
        id: reward.id,
        name: reward.name,
        cost: words.reward.cost(count(reward.pointsCost), reward.pointsCost),
        details,
      };
    });
  const rewardRules = settings.rewards.length
    ? [words.onePerOrder, ...(settings.returnRedeemedPointsOnCancel ? [words.returnOnCancel] : [])]
    : [words.noRewards];

  const tiers = settings.tiers;
  const tierPreviews = tiers
    ? tiers.levels.map((level): TierPreview => ({
        id: level.id,
        name: level.name,
        requirement: tierRequirement(tiers, level.threshold, words, money, count),
        perk:
          parseDecimal(level.earnMultiplier).numerator === parseDecimal(level.earnMultiplier).denominator
            ? words.tiers.usualRate
            : words.tiers.multiplier(count(Number(level.earnMultiplier))),
      }))
    : null;

  return {
    enabled,
    offNotice: enabled ? null : words.programOff,
    earn: words.earn(count(rate.points), rate.points, money(rate.amount)),
    spendBasis,
    availability: availabilityText,
    bonuses,
    expiry,
    rewards,
    rewardRules,
    tiers: tierPreviews,
    tierRules: tiers ? [words.tiers.movesUp, words.tiers.review[tiers.review]] : [],
  };
}
