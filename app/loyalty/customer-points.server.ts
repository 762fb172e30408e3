// The Customer page's Points card: the member's balance, tier and points history, and a staff
// member's manual adjustment. Reads one account and one page of its ledger (both indexed by
// customer), so it costs the same at any shop size.
import { randomUUID } from "node:crypto";

import prisma from "~/db.server";
import { manualAdjustmentSchema } from "~/core/loyalty";
import { loadLoyaltyProgram, readLoyaltyState } from "~/loyalty/ledger.server";
import { adjustMemberPoints, memberHistory, type HistoryEntry } from "~/loyalty/members.server";
import { loyaltyStatus, type LoyaltyStatus } from "~/loyalty/shopper.server";

export const POINTS_HISTORY_PAGE_SIZE = 10;

export interface PointsHistoryEntry extends HistoryEntry {
  /** Redemptions: the reward's name in the current program, when it still exists. */
  rewardName: string | null;
  bonus: string | null;
}

export interface CustomerPoints {
  /** Null: the shop has never saved a loyalty program. */
  program: { enabled: boolean } | null;
  /** Null: the customer has no points account (is not a member). */
  member:
    | (LoyaltyStatus & {
        owedPoints: number;
        enrolledAt: string;
      })
    | null;
  history: { entries: PointsHistoryEntry[]; cursor: string | null; nextCursor: string | null };
  /** A fresh id per rendered form: submitting the same form twice adjusts once. */
  adjustmentId: string;
}

/** How adjustments and program changes name who made them: the admin session token's user. */
export function staffMemberOf(sessionToken: { sub?: string } | undefined): string {
  return sessionToken?.sub ? `staff ${sessionToken.sub}` : "staff";
}

export async function loadCustomerPoints(
  shopDomain: string,
  customerId: string,
  cursor: string | null = null,
  now: Date = new Date(),
): Promise<CustomerPoints> {
  const adjustmentId = randomUUID();
  const empty = { entries: [], cursor: null, nextCursor: null };
  const shop = await prisma.shop.findUnique({ where: { shopDomain }, select: { id: true } });
  const program = shop ? await loadLoyaltyProgram(prisma, shop.id) : null;
  if (!shop || !program) return { program: null, member: null, history: empty, adjustmentId };
  const [state, account, page] = await Promise.all([
    readLoyaltyState(prisma, shop.id, customerId),
    prisma.loyaltyAccount.findFirst({ where: { customerId, shopId: shop.id }, select: { enrolledAt: true } }),
    memberHistory(shop.id, customerId, { cursor, limit: POINTS_HISTORY_PAGE_SIZE }),
  ]);
  const rewards = new Map(program.settings.rewards.map((reward) => [reward.id, reward.name]));
  // memberHistory leaves out which bonus an entry was: read it for this page's bonus entries.
  const bonusIds = page.entries.filter((entry) => entry.kind === "bonus").map((entry) => entry.id);
  const bonuses = new Map(
    bonusIds.length
      ? (
          await prisma.ledgerEntry.findMany({
            where: { id: { in: bonusIds }, shopId: shop.id },
            select: { id: true, bonus: true },
          })
        ).map((row) => [row.id, row.bonus])
      : [],
  );
  return {
    program: { enabled: program.enabled },
    member:
      state && account
        ? {
            ...loyaltyStatus(state, program.settings, now),
            owedPoints: state.account.owedPoints,
            enrolledAt: account.enrolledAt.toISOString(),
          }
        : null,
    history: {
      entries: page.entries.map((entry) => ({
        ...entry,
        rewardName: entry.rewardId ? (rewards.get(entry.rewardId) ?? null) : null,
        bonus: bonuses.get(entry.id) ?? null,
      })),
      cursor,
      nextCursor: page.nextCursor,
    },
    adjustmentId,
  };
}

export interface AdjustmentProblem {
  /** "points", "reason", or "" for the form as a whole. */
  field: "points" | "reason" | "";
  message: string;
}

export type AdjustmentResult =
  { ok: true; pointsBalance: number } | { ok: false; status: 400 | 404; problems: AdjustmentProblem[] };

/** "+50", " 50 " and "−50" (a typographic minus) as a person types them. */
function normalisePoints(points: unknown): unknown {
  if (typeof points !== "string") return points;
  return points
    .trim()
    .replace(/^\+/, "")
    .replace(/^[\u2212\u2013]/, "-");
}

/**
 * A staff member's correction, validated by the loyalty core's own rules (manualAdjustmentSchema)
 * so each message can be shown at its field, then made by adjustMemberPoints.
 */
export async function adjustCustomerPoints(
  shopDomain: string,
  customerId: string,
  input: { adjustmentId: unknown; points: unknown; reason: unknown },
  staffMember: string,
  at: Date = new Date(),
): Promise<AdjustmentResult> {
  const points = normalisePoints(input.points);
  const checked = manualAdjustmentSchema.safeParse({
    adjustmentId: input.adjustmentId,
    points,
    reason: input.reason ?? "",
    staffMember,
  });
  if (!checked.success) {
    return {
      ok: false,
      status: 400,
      problems: checked.error.issues.map((issue) => {
        const field = issue.path[0];
        return { field: field === "points" || field === "reason" ? field : "", message: issue.message };
      }),
    };
  }
  const program = await prisma.loyaltyProgram.findFirst({ where: { shop: { shopDomain } }, select: { shopId: true } });
  if (!program)
    return { ok: false, status: 400, problems: [{ field: "", message: "Set up the loyalty program first." }] };
  const outcome = await adjustMemberPoints(
    shopDomain,
    customerId,
    { adjustmentId: checked.data.adjustmentId, points: checked.data.points, reason: checked.data.reason },
    staffMember,
    at,
  );
  if (outcome.ok) return outcome;
  // Past the schema, the only refusal is removing more points than the customer has.
  return {
    ok: false,
    status: outcome.status,
    problems: outcome.messages.map((message) => ({ field: outcome.status === 400 ? "points" : "", message })),
  };
}
