// The loyalty program's settings: read, and saved with a record of who changed what and when.
// Saving may change what members see at once (their tiers, the storefront's rewards), so it
// queues the tier re-evaluation and the storefront metafields in the same transaction.
import type { Prisma } from "@prisma/client";

import prisma from "~/db.server";
import { loyaltySettingsSchema, type LoyaltySettings, type LoyaltySettingsInput } from "~/core/loyalty";
import { enqueue, jobQueue, QUEUES } from "~/platform/jobs.server";
import { forgetShopper } from "~/loyalty/shopper.server";
import { forgetShop } from "~/loyalty/shop-facts.server";

/** A new program's starting point: 1 point per unit of currency, one reward, no tiers. */
export const DEFAULT_LOYALTY_SETTINGS: LoyaltySettingsInput = {
  earnRate: "1",
  availability: { when: "paid" },
  bonuses: { signUp: 100, birthday: 100, firstOrder: 0 },
  rewards: [
    {
      id: "five-off",
      name: "$5 off your order",
      pointsCost: 500,
      minimumOrder: "0.00",
      discount: { type: "fixedAmount", amount: "5.00" },
    },
  ],
};

export interface LoyaltyProgramView {
  enabled: boolean;
  settings: LoyaltySettings;
  version: number;
  launchedAt: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface LoyaltyProgramChangeView {
  version: number;
  enabled: boolean;
  staffMember: string;
  changedAt: string;
}

export async function readLoyaltyProgram(shopDomain: string): Promise<{
  currencyCode: string;
  program: LoyaltyProgramView;
  changes: LoyaltyProgramChangeView[];
} | null> {
  const shop = await prisma.shop.findUnique({
    where: { shopDomain },
    select: {
      currencyCode: true,
      loyaltyProgram: true,
      loyaltyProgramChanges: { orderBy: { version: "desc" }, take: 20 },
    },
  });
  if (!shop) return null;
  const stored = shop.loyaltyProgram;
  return {
    currencyCode: shop.currencyCode,
    program: stored
      ? {
          enabled: stored.enabled,
          settings: loyaltySettingsSchema.parse(stored.settings),
          version: stored.version,
          launchedAt: stored.launchedAt?.toISOString() ?? null,
          updatedAt: stored.updatedAt.toISOString(),
          updatedBy: stored.updatedBy,
        }
      : {
          enabled: false,
          settings: loyaltySettingsSchema.parse(DEFAULT_LOYALTY_SETTINGS),
          version: 0,
          launchedAt: null,
          updatedAt: null,
          updatedBy: null,
        },
    changes: shop.loyaltyProgramChanges.map((change) => ({
      version: change.version,
      enabled: change.enabled,
      staffMember: change.staffMember,
      changedAt: change.changedAt.toISOString(),
    })),
  };
}

export interface SettingsProblem {
  /** Dotted path of the field, e.g. "rewards.0.pointsCost"; "" for the form as a whole. */
  path: string;
  message: string;
}

export type SaveProgramResult = { ok: true; program: LoyaltyProgramView } | { ok: false; problems: SettingsProblem[] };

export function validateLoyaltySettings(
  input: unknown,
): { ok: true; settings: LoyaltySettings } | { ok: false; problems: SettingsProblem[] } {
  const parsed = loyaltySettingsSchema.safeParse(input);
  if (parsed.success) return { ok: true, settings: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
  };
}

/**
 * Saves the program (validated) as a new version, recording the staff member. Turning it on the
 * first time fixes its launch: orders placed before it never earn.
 */
export async function saveLoyaltyProgram(
  shopDomain: string,
  input: { enabled: boolean; settings: unknown },
  staffMember: string,
  now: Date = new Date(),
): Promise<SaveProgramResult> {
  const validated = validateLoyaltySettings(input.settings);
  if (!validated.ok) return validated;
  const settings = validated.settings;
  const shop = await prisma.shop.findUnique({ where: { shopDomain }, select: { id: true } });
  if (!shop) return { ok: false, problems: [{ path: "", message: "This shop is not installed." }] };
  await jobQueue();
  const saved = await prisma.$transaction(async (tx) => {
    // Row lock: two staff members saving at once get consecutive versions, not the same one.
    const [previous] = await tx.$queryRaw<{ version: number; launchedAt: Date | null; settings: unknown }[]>`
      SELECT "version", "launchedAt", "settings" FROM "LoyaltyProgram" WHERE "shopId" = ${shop.id} FOR UPDATE`;
    const version = (previous?.version ?? 0) + 1;
    const launchedAt = previous?.launchedAt ?? (input.enabled ? now : null);
    const json = settings as unknown as Prisma.InputJsonValue;
    const program = await tx.loyaltyProgram.upsert({
      where: { shopId: shop.id },
      create: { shopId: shop.id, enabled: input.enabled, settings: json, version, launchedAt, updatedBy: staffMember },
      update: { enabled: input.enabled, settings: json, version, launchedAt, updatedBy: staffMember },
    });
    await tx.loyaltyProgramChange.create({
      data: { shopId: shop.id, version, enabled: input.enabled, settings: json, staffMember, changedAt: now },
    });
    const previousTiers = previous ? JSON.stringify((previous.settings as { tiers?: unknown }).tiers ?? null) : "null";
    if (JSON.stringify(settings.tiers) !== previousTiers)
      await enqueue(tx, QUEUES.loyaltyTiers, { shop: shopDomain, version }, { key: `${shopDomain}:${version}` });
    await enqueue(
      tx,
      QUEUES.loyaltyMetafields,
      { shop: shopDomain, program: true },
      { key: `${shopDomain}:v${version}` },
    );
    return program;
  });
  forgetShop(shopDomain);
  forgetShopper(shopDomain);
  return {
    ok: true,
    program: {
      enabled: saved.enabled,
      settings,
      version: saved.version,
      launchedAt: saved.launchedAt?.toISOString() ?? null,
      updatedAt: saved.updatedAt.toISOString(),
      updatedBy: saved.updatedBy,
    },
  };
}
