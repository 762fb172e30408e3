// The loyalty program's settings, validated once here so the admin form and the services agree.
// Parsed settings keep amounts and rates as canonical decimal strings ("0.1", "50.00"): a parsed
// value is itself valid input with the same meaning, so stored settings can be re-validated
// safely, and nothing is ever a binary float.
import { z } from "zod";

import { compareDecimals, decimalToCents, formatDecimal, parseDecimal, readDecimal } from "./decimal";

interface DecimalRule {
  maxDecimals: number;
  example: string;
  /** Zero is refused ("must be more than 0"). */
  positive?: boolean;
  max?: string;
  /** Money shows cents: "50.00". */
  minDecimals?: number;
}

function decimalField(label: string, rule: DecimalRule) {
  const notANumber = `${label} must be a number, like ${rule.example}.`;
  return z.union([z.string(), z.number()], { message: notANumber }).transform((value, context): string => {
    const read = readDecimal(value, rule.maxDecimals);
    const fail = (message: string) => {
      context.addIssue({ code: z.ZodIssueCode.custom, message });
      return z.NEVER;
    };
    if (!read.ok) {
      if (read.problem === "negative") return fail(`${label} can't be negative.`);
      if (read.problem === "tooManyDecimals")
        return fail(
          rule.maxDecimals === 0
            ? `${label} must be a whole number.`
            : `${label} can have at most ${rule.maxDecimals} decimal places.`,
        );
      return fail(notANumber);
    }
    if (rule.positive && read.value.numerator === 0n) return fail(`${label} must be more than 0.`);
    if (rule.max !== undefined && compareDecimals(read.value, parseDecimal(rule.max)) > 0)
      return fail(`${label} can be at most ${rule.max}.`);
    return formatDecimal(read.value, rule.minDecimals);
  });
}

/** A whole number typed in a form ("30") or sent as a number. */
function wholeNumber(label: string, min: number, max: number) {
  const notWhole = `${label} must be a whole number.`;
  return z.union([z.number(), z.string()], { message: notWhole }).transform((value, context): number => {
    const number = typeof value === "number" ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
    const fail = (message: string) => {
      context.addIssue({ code: z.ZodIssueCode.custom, message });
      return z.NEVER;
    };
    if (!Number.isInteger(number)) return fail(notWhole);
    if (number < min) return fail(`${label} must be at least ${min.toLocaleString("en-US")}.`);
    if (number > max) return fail(`${label} can be at most ${max.toLocaleString("en-US")}.`);
    return number;
  });
}

const money = (label: string, positive = false) =>
  decimalField(label, { maxDecimals: 2, minDecimals: 2, example: "50.00", positive, max: "1000000" });

const bonusPoints = (label: string) => wholeNumber(label, 0, 1_000_000).default(0);

const requiredText = (message: string) => z.string({ message }).trim().min(1, message);

const availabilitySchema = z.discriminatedUnion(
  "when",
  [
    // Available to redeem as soon as the order is paid.
    z.object({ when: z.literal("paid") }),
    // Pending until the order is fulfilled.
    z.object({ when: z.literal("fulfilled") }),
    // Pending for a return window counted from when the order was placed.
    z.object({ when: z.literal("afterDays"), days: wholeNumber("Pending period", 1, 365) }),
  ],
  {
    errorMap: (issue, context) =>
      issue.code === z.ZodIssueCode.invalid_union_discriminator
        ? { message: "Choose when points become available: on payment, on fulfilment, or after a number of days." }
        : { message: context.defaultError },
  },
);

const discountSchema = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("fixedAmount"), amount: money("Amount off", true) }),
    z.object({ type: z.literal("percentage"), percent: wholeNumber("Percentage off", 1, 100) }),
    z.object({ type: z.literal("freeShipping") }),
  ],
  {
    errorMap: (issue, context) =>
      issue.code === z.ZodIssueCode.invalid_union_discriminator
        ? { message: "Choose a reward type: amount off, percentage off, or free shipping." }
        : { message: context.defaultError },
  },
);

const rewardSchema = z.object({
  id: requiredText("Reward id is required."),
  name: requiredText("Give the reward a name."),
  pointsCost: wholeNumber("Points cost", 1, 10_000_000),
  minimumOrder: money("Minimum order").default("0.00"),
  discount: discountSchema,
});

const tierLevelSchema = z.object({
  id: requiredText("Tier id is required."),
  name: requiredText("Give the tier a name."),
  // Net spend in shop currency, or points, depending on the tiers' basis (checked below).
  threshold: decimalField("Tier threshold", { maxDecimals: 2, example: "500", max: "100000000" }),
  earnMultiplier: decimalField("Earn multiplier", {
    maxDecimals: 4,
    example: "1.5",
    positive: true,
    max: "100",
  }).default("1"),
});

const tiersSchema = z
  .object({
    basis: z.enum(["netSpend", "pointsEarned"], {
      message: "Choose whether tiers count net spend or points earned.",
    }),
    window: z.enum(["rolling12Months", "lifetime"], {
      message: "Choose whether tiers count the last 12 months or the customer's whole history.",
    }),
    review: z.enum(["monthly", "quarterly", "yearly", "never"], {
      message: "Choose when members can move down a tier: monthly, quarterly, yearly or never.",
    }),
    levels: z
      .array(tierLevelSchema)
      .min(1, "Add at least one tier, or turn tiers off.")
      .max(10, "A program can have at most 10 tiers."),
  })
  .superRefine((tiers, context) => {
    // Zod runs refinements even when a field failed; such fields are skipped (already reported).
    const seen = new Set<string>();
    let previous: { name: string; threshold: string } | null = null;
    tiers.levels.forEach((level, index) => {
      if (seen.has(level.id))
        context.addIssue({ code: "custom", path: ["levels", index, "id"], message: "Each tier needs its own id." });
      seen.add(level.id);
      if (typeof level.threshold !== "string") return;
      const threshold = parseDecimal(level.threshold);
      if (tiers.basis === "pointsEarned" && threshold.denominator !== 1n)
        context.addIssue({
          code: "custom",
          path: ["levels", index, "threshold"],
          message: "A points threshold must be a whole number of points.",
        });
      if (previous && compareDecimals(threshold, parseDecimal(previous.threshold)) <= 0)
        context.addIssue({
          code: "custom",
          path: ["levels", index, "threshold"],
          message: `${level.name} must need more than ${previous.name} (${previous.threshold}); list tiers from lowest to highest.`,
        });
      previous = level;
    });
  });

const expirySchema = z
  .object({
    inactiveDays: wholeNumber("Days without activity before points expire", 30, 3650),
    warningDays: wholeNumber("Days of warning before points expire", 1, 365).default(30),
  })
  .refine(
    (expiry) => !Number.isInteger(expiry.inactiveDays + expiry.warningDays) || expiry.warningDays < expiry.inactiveDays,
    {
      path: ["warningDays"],
      message: "The expiry warning must come before the points expire.",
    },
  );

export const loyaltySettingsSchema = z.object({
  // Points per unit of shop currency: 0.1 is one point per $10.
  earnRate: decimalField("Earn rate", { maxDecimals: 6, example: "0.1", positive: true, max: "1000" }),
  // Points are earned on net spend: merchandise after discounts; tax and shipping only if chosen.
  includeTax: z.boolean().default(false),
  includeShipping: z.boolean().default(false),
  availability: availabilitySchema.default({ when: "paid" }),
  bonuses: z
    .object({
      signUp: bonusPoints("Sign-up bonus"),
      birthday: bonusPoints("Birthday bonus"),
      firstOrder: bonusPoints("First-order bonus"),
    })
    .default({}),
  // Null: points never expire.
  expiry: expirySchema.nullable().default(null),
  rewards: z
    .array(rewardSchema)
    .default([])
    .superRefine((rewards, context) => {
      const seen = new Set<string>();
      rewards.forEach((reward, index) => {
        if (seen.has(reward.id))
          context.addIssue({ code: "custom", path: [index, "id"], message: "Each reward needs its own id." });
        seen.add(reward.id);
      });
    }),
  // When an order that used a reward is cancelled or fully refunded, give the points back.
  returnRedeemedPointsOnCancel: z.boolean().default(true),
  // Null: no tiers; everyone earns at 1×.
  tiers: tiersSchema.nullable().default(null),
  // Customers with any of these tags (case-insensitive) are outside the program.
  excludedCustomerTags: z.array(requiredText("An excluded tag can't be empty.")).default([]),
});

export type LoyaltySettingsInput = z.input<typeof loyaltySettingsSchema>;
export type LoyaltySettings = z.output<typeof loyaltySettingsSchema>;
export type Reward = LoyaltySettings["rewards"][number];
export type TierSettings = NonNullable<LoyaltySettings["tiers"]>;
export type TierLevel = TierSettings["levels"][number];
export type Availability = LoyaltySettings["availability"];

/** A staff member's correction to a customer's points, as the admin form sends it. */
export const manualAdjustmentSchema = z.object({
  adjustmentId: requiredText("Adjustment id is required."),
  points: wholeNumber("Points", -10_000_000, 10_000_000).refine((points) => points !== 0, {
    message: "Add or remove at least 1 point.",
  }),
  staffMember: requiredText("Say which staff member is making the adjustment."),
  reason: requiredText("Give a reason for the adjustment; the customer's history shows it."),
});

export type ManualAdjustmentInput = z.input<typeof manualAdjustmentSchema>;
export type ManualAdjustment = z.output<typeof manualAdjustmentSchema>;

export function isExcludedCustomer(settings: LoyaltySettings, customerTags: readonly string[]): boolean {
  if (settings.excludedCustomerTags.length === 0) return false;
  const excluded = new Set(settings.excludedCustomerTags.map((tag) => tag.trim().toLowerCase()));
  return customerTags.some((tag) => excluded.has(tag.trim().toLowerCase()));
}

/** A tier's threshold in the unit its basis counts: cents of net spend, or points. */
export function tierThreshold(tiers: TierSettings, level: TierLevel): number {
  return tiers.basis === "netSpend" ? decimalToCents(level.threshold) : Number(parseDecimal(level.threshold).numerator);
}
