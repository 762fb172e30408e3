// One member's points outside orders: the welcome (sign-up bonus), staff adjustments, the
// shopper's birthday, and the history both the admin and the shopper read.
import { randomUUID } from "node:crypto";

import type { PrismaClient } from "@prisma/client";

import prisma from "~/db.server";
import {
  adjustPoints,
  applyChange,
  awardSignUpBonus,
  evaluateTier,
  type LedgerChange,
  type LoyaltySettings,
  type LoyaltyState,
} from "~/core/loyalty";
import { customerJson } from "~/core/orders/ingest-json";
import {
  changeLoyaltyAccount,
  changeLoyaltyAccounts,
  loadLoyaltyProgram,
  lockLoyaltyState,
  type LoyaltyProgramState,
  type Tx,
} from "~/loyalty/ledger.server";

/** A change, then the tier it may qualify the member for (the entry-level tier, for a new member). */
function withTier(
  state: LoyaltyState,
  change: LedgerChange,
  settings: LoyaltySettings | null,
  at: string,
): LedgerChange {
  if (!settings) return change;
  const tier = evaluateTier(applyChange(state, change), settings, at);
  return { ...change, account: tier.account, tierChange: tier.tierChange ?? change.tierChange };
}

function welcomeChange(state: LoyaltyState, settings: LoyaltySettings, at: string): LedgerChange {
  return withTier(state, awardSignUpBonus(state, settings, at), settings, at);
}

/** customers/create while the program is on: the customer becomes a member and gets the sign-up bonus. */
export async function welcomeNewMember(tx: Tx, shopId: string, customerId: string, at = new Date()): Promise<void> {
  const program = await loadLoyaltyProgram(tx, shopId);
  if (!program?.enabled) return;
  await changeLoyaltyAccount(tx, shopId, customerId, (state) => ({
    change: welcomeChange(state, program.settings, at.toISOString()),
    result: null,
  }));
}

/** welcomeNewMember for many customers at once, each at their own time (the demo's history). */
export async function welcomeNewMembers(
  tx: Tx,
  program: LoyaltyProgramState | null,
  members: readonly { customerId: string; at: Date }[],
): Promise<void> {
  if (!program?.enabled) return;
  const times = new Map(members.map((member) => [member.customerId, member.at.toISOString()]));
  await changeLoyaltyAccounts(tx, program.shopId, [...times.keys()], (state) =>
    welcomeChange(state, program.settings, times.get(state.account.customerId)!),
  );
}

export type AdjustmentOutcome =
  { ok: true; pointsBalance: number } | { ok: false; status: 400 | 404; messages: string[] };

/** A staff member's correction; `adjustmentId` (from the form) makes a double submit count once. */
export async function adjustMemberPoints(
  shopDomain: string,
  customerId: string,
  input: { adjustmentId?: string; points: unknown; reason: unknown },
  staffMember: string,
  at = new Date(),
): Promise<AdjustmentOutcome> {
  const shop = await prisma.shop.findUnique({ where: { shopDomain }, select: { id: true } });
  const customer = shop
    ? await prisma.customer.findFirst({ where: { id: customerId, shopId: shop.id }, select: { id: true } })
    : null;
  if (!shop || !customer) return { ok: false, status: 404, messages: ["This customer was not found."] };
  return prisma.$transaction(async (tx) => {
    const program = await loadLoyaltyProgram(tx, shop.id);
    const { state, result } = await changeLoyaltyAccount(tx, shop.id, customer.id, (current) => {
      const adjusted = adjustPoints(
        current,
        {
          adjustmentId: input.adjustmentId || randomUUID(),
          points: input.points as number,
          staffMember,
          reason: input.reason as string,
        },
        at.toISOString(),
      );
      return adjusted.ok
        ? { change: withTier(current, adjusted.change, program?.settings ?? null, at.toISOString()), result: null }
        : { change: null, result: adjusted.messages };
    });
    if (result) return { ok: false as const, status: 400 as const, messages: result };
    return { ok: true as const, pointsBalance: state.account.pointsBalance };
  });
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** "MM-DD" naming a real calendar day (29 February allowed: its bonus falls on the 28th otherwise). */
export function isBirthday(value: string): boolean {
  const match = /^(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const month = Number(match[1]);
  const day = Number(match[2]);
  return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1];
}

/** The shopper tells us their birthday ("MM-DD"); it can be set once, so the bonus can't be farmed. */
export async function setMemberBirthday(
  tx: Tx,
  shopId: string,
  customerId: string,
  birthday: string,
): Promise<{ ok: true } | { ok: false; message: string }> {
  if (!isBirthday(birthday)) return { ok: false, message: "Enter your birthday as month and day, like 04-23." };
  const state: LoyaltyState = await lockLoyaltyState(tx, shopId, customerId);
  if (state.account.birthday && state.account.birthday !== birthday)
    return { ok: false, message: "Your birthday is already saved. Contact the store to change it." };
  await tx.loyaltyAccount.update({ where: { customerId }, data: { birthday, statusVersion: { increment: 1 } } });
  return { ok: true };
}

export interface HistoryEntry {
  id: string;
  kind: string;
  points: number;
  pendingPoints: number;
  owedPoints: number;
  occurredAt: string;
  orderId: string | null;
  orderName: string | null;
  rewardId: string | null;
  staffMember: string | null;
  reason: string | null;
}

/** Newest first, keyset-paged by entry id within a time. */
export async function memberHistory(
  shopId: string,
  customerId: string,
  options: { cursor?: string | null; limit?: number } = {},
): Promise<{ entries: HistoryEntry[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
  const cursorEntry = options.cursor
    ? await prisma.ledgerEntry.findFirst({
        where: { id: options.cursor, customerId, shopId },
        select: { id: true, occurredAt: true },
      })
    : null;
  const rows = await prisma.ledgerEntry.findMany({
    where: {
      shopId,
      customerId,
      ...(cursorEntry
        ? {
            OR: [
              { occurredAt: { lt: cursorEntry.occurredAt } },
              { occurredAt: cursorEntry.occurredAt, id: { lt: cursorEntry.id } },
            ],
          }
        : {}),
    },
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  // Ledger order ids are Shopify's (digits); anything else has no order to name.
  const orderIds = [
    ...new Set(page.map((row) => row.orderId).filter((id): id is string => id !== null && /^\d+$/.test(id))),
  ];
  const orders = orderIds.length
    ? await prisma.order.findMany({
        where: { shopId, shopifyId: { in: orderIds.map((id) => BigInt(id)) } },
        select: { shopifyId: true, name: true },
      })
    : [];
  const names = new Map(orders.map((order) => [order.shopifyId.toString(), order.name]));
  return {
    entries: page.map((row) => ({
      id: row.id,
      kind: row.kind,
      points: row.points,
      pendingPoints: row.pendingPoints,
      owedPoints: row.owedPoints,
      occurredAt: row.occurredAt.toISOString(),
      orderId: row.orderId,
      orderName: row.orderId ? (names.get(row.orderId) ?? null) : null,
      rewardId: row.rewardId,
      staffMember: row.staffMember,
      reason: row.reason,
    })),
    nextCursor: rows.length > limit ? page[page.length - 1].id : null,
  };
}

/**
 * The shopper's customer row id, creating a bare row (no name, no email) for a shopper Perennial
 * has not seen yet (no order, no customers/create), through the same rule as the sync
 * (perennial_upsert_customer). An existing row is never written, so nothing it holds can be blanked.
 */
export async function ensureCustomerRow(tx: Tx | PrismaClient, shopId: string, shopifyId: bigint): Promise<string> {
  const existing = await tx.customer.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId } },
    select: { id: true },
  });
  if (existing) return existing.id;
  const bare = {
    shopifyId,
    email: null,
    firstName: null,
    lastName: null,
    tags: null,
    createdAt: null,
    updatedAt: null,
  };
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    SELECT perennial_upsert_customer(${shopId}, ${JSON.stringify(customerJson(bare))}::jsonb) AS id`;
  return row.id;
}
