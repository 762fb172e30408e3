// The Loyalty program form's state: the settings as the merchant types them (numbers stay the
// text typed, so "1,5" reaches the validation and gets its message), plus what the form can turn
// off without losing (expiry and tiers keep their values while switched off). Converted to the
// settings' input shape for saving; the paths of the validation's problems ("rewards.0.pointsCost")
// are the form's field ids, so each message finds its field.
import type { LoyaltySettings, LoyaltySettingsInput } from "~/core/loyalty";

export type RewardType = "fixedAmount" | "percentage" | "freeShipping";

export interface RewardDraft {
  id: string;
  name: string;
  type: RewardType;
  /** Amount off (fixedAmount) or percent off (percentage); kept while the type changes. */
  amount: string;
  percent: string;
  pointsCost: string;
  minimumOrder: string;
}

export interface TierDraft {
  id: string;
  name: string;
  threshold: string;
  earnMultiplier: string;
}

export interface ProgramDraft {
  enabled: boolean;
  earnRate: string;
  includeTax: boolean;
  includeShipping: boolean;
  availability: "paid" | "fulfilled" | "afterDays";
  pendingDays: string;
  bonuses: { signUp: string; birthday: string; firstOrder: string };
  expiryOn: boolean;
  inactiveDays: string;
  warningDays: string;
  rewards: RewardDraft[];
  returnRedeemedPointsOnCancel: boolean;
  tiersOn: boolean;
  tierBasis: "netSpend" | "pointsEarned";
  tierWindow: "rolling12Months" | "lifetime";
  tierReview: "monthly" | "quarterly" | "yearly" | "never";
  tiers: TierDraft[];
  excludedCustomerTags: string[];
}

export function draftFromSettings(enabled: boolean, settings: LoyaltySettings): ProgramDraft {
  const availability = settings.availability;
  return {
    enabled,
    earnRate: settings.earnRate,
    includeTax: settings.includeTax,
    includeShipping: settings.includeShipping,
    availability: availability.when,
    pendingDays: availability.when === "afterDays" ? String(availability.days) : "14",
    bonuses: {
      signUp: String(settings.bonuses.signUp),
      birthday: String(settings.bonuses.birthday),
      firstOrder: String(settings.bonuses.firstOrder),
    },
    expiryOn: settings.expiry !== null,
    inactiveDays: String(settings.expiry?.inactiveDays ?? 365),
    warningDays: String(settings.expiry?.warningDays ?? 30),
    rewards: settings.rewards.map((reward) => ({
      id: reward.id,
      name: reward.name,
      type: reward.discount.type,
      amount: reward.discount.type === "fixedAmount" ? reward.discount.amount : "5.00",
      percent: reward.discount.type === "percentage" ? String(reward.discount.percent) : "10",
      pointsCost: String(reward.pointsCost),
      minimumOrder: reward.minimumOrder,
    })),
    returnRedeemedPointsOnCancel: settings.returnRedeemedPointsOnCancel,
    tiersOn: settings.tiers !== null,
    tierBasis: settings.tiers?.basis ?? "netSpend",
    tierWindow: settings.tiers?.window ?? "rolling12Months",
    tierReview: settings.tiers?.review ?? "quarterly",
    tiers: (settings.tiers?.levels ?? []).map((level) => ({ ...level })),
    excludedCustomerTags: [...settings.excludedCustomerTags],
  };
}

export function settingsFromDraft(draft: ProgramDraft): LoyaltySettingsInput {
  return {
    earnRate: draft.earnRate,
    includeTax: draft.includeTax,
    includeShipping: draft.includeShipping,
    availability:
      draft.availability === "afterDays"
        ? { when: "afterDays", days: draft.pendingDays }
        : { when: draft.availability },
    bonuses: { ...draft.bonuses },
    expiry: draft.expiryOn ? { inactiveDays: draft.inactiveDays, warningDays: draft.warningDays } : null,
    rewards: draft.rewards.map((reward) => ({
      id: reward.id,
      name: reward.name,
      pointsCost: reward.pointsCost,
      minimumOrder: reward.minimumOrder,
      discount:
        reward.type === "fixedAmount"
          ? { type: "fixedAmount", amount: reward.amount }
          : reward.type === "percentage"
            ? { type: "percentage", percent: reward.percent }
            : { type: "freeShipping" },
    })),
    returnRedeemedPointsOnCancel: draft.returnRedeemedPointsOnCancel,
    tiers: draft.tiersOn
      ? {
          basis: draft.tierBasis,
          window: draft.tierWindow,
          review: draft.tierReview,
          levels: draft.tiers.map((tier) => ({ ...tier })),
        }
      : null,
    excludedCustomerTags: [...draft.excludedCustomerTags],
  };
}

/** Problems by field id; several on one field are joined. */
export function problemsByField(problems: readonly { path: string; message: string }[]): Map<string, string> {
  const byField = new Map<string, string>();
  for (const problem of problems) {
    const previous = byField.get(problem.path);
    byField.set(problem.path, previous ? `${previous} ${problem.message}` : problem.message);
  }
  return byField;
}

/**
 * The form field a problem belongs to. Most paths are a field's id already; a few name a group
 * (the tier list, a reward's discount) and go to the field that fixes them.
 */
export function fieldIdOf(path: string, draft: ProgramDraft): string {
  const discount = /^rewards\.(\d+)\.discount(?:\.\w+)?$/.exec(path);
  if (discount) {
    const reward = draft.rewards[Number(discount[1])];
    if (!reward) return path;
    if (reward.type === "fixedAmount") return `rewards.${discount[1]}.discount.amount`;
    if (reward.type === "percentage") return `rewards.${discount[1]}.discount.percent`;
    return `rewards.${discount[1]}.discount.type`;
  }
  if (path === "tiers.levels" || path === "tiers") return "tiers.add";
  if (path === "availability") return "availability.when";
  if (path === "expiry") return "expiry.inactiveDays";
  return path;
}

/** An id for a new reward or tier, unique within the program. */
export function newItemId(prefix: string, taken: readonly { id: string }[]): string {
  const ids = new Set(taken.map((item) => item.id));
  for (let n = taken.length + 1; ; n++) if (!ids.has(`${prefix}-${n}`)) return `${prefix}-${n}`;
}
