// Persists the loyalty core's decisions (app/core/loyalty, decision 005). One customer's changes
// are serialised by locking their LoyaltyAccount row; the entries, the account's cached sums and
// the order go in the caller's transaction, so a balance never differs from its ledger. The
// entries' unique (shop, customer, key) is the last guard against a double award: a duplicate
// key aborts the transaction instead of counting twice.
import type { Prisma, PrismaClient } from "@prisma/client";

import {
  applyChange,
  loyaltySettingsSchema,
  type LedgerChange,
  type LedgerEntry,
  type LoyaltyAccount,
  type LoyaltyOrder,
  type LoyaltySettings,
  type LoyaltyState,
} from "~/core/loyalty";
import { activityKinds } from "~/core/loyalty/ledger";

export type Tx = Prisma.TransactionClient;
/** A transaction, or the client itself for a single read. */
export type Db = Prisma.TransactionClient | PrismaClient;

export interface LoyaltyProgramState {
  shopId: string;
  enabled: boolean;
  settings: LoyaltySettings;
  version: number;
  launchedAt: Date | null;
}

export async function loadLoyaltyProgram(tx: Db, shopId: string): Promise<LoyaltyProgramState | null> {
  const program = await tx.loyaltyProgram.findUnique({ where: { shopId } });
  if (!program) return null;
  // Stored settings were validated when saved; parsing again keeps one definition of their shape.
  const settings = loyaltySettingsSchema.parse(program.settings);
  return {
    shopId,
    enabled: program.enabled,
    settings,
    version: program.version,
    launchedAt: program.launchedAt,
  };
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

interface AccountRow {
  customerId: string;
  birthday: string | null;
  pointsBalance: number;
  pendingPoints: number;
  owedPoints: number;
  tierId: string | null;
  tierSince: Date | null;
  tierReviewedAt: Date | null;
  tags: string[] | null;
}

function toEntry(row: Prisma.LedgerEntryGetPayload<object>): LedgerEntry {
  return {
    key: row.key,
    customerId: row.customerId,
    kind: row.kind as LedgerEntry["kind"],
    points: row.points,
    pendingPoints: row.pendingPoints,
    owedPoints: row.owedPoints,
    occurredAt: row.occurredAt.toISOString(),
    orderId: row.orderId,
    refundId: row.refundId,
    redemptionId: row.redemptionId,
    rewardId: row.rewardId,
    adjustmentId: row.adjustmentId,
    cartToken: row.cartToken,
    bonus: row.bonus as LedgerEntry["bonus"],
    earnRate: row.earnRate,
    tierMultiplier: row.tierMultiplier,
    netSpendCents: row.netSpendCents,
    staffMember: row.staffMember,
    reason: row.reason,
  };
}

/** The state as it is now, for reading (no lock); null for a customer who is not a member yet. */
export async function readLoyaltyState(db: Db, shopId: string, customerId: string): Promise<LoyaltyState | null> {
  const [row] = await db.$queryRaw<AccountRow[]>`
    SELECT a."customerId", a."birthday", a."pointsBalance", a."pendingPoints", a."owedPoints", a."tierId",
           a."tierSince", a."tierReviewedAt", c."tags"
      FROM "LoyaltyAccount" AS a JOIN "Customer" AS c ON c."id" = a."customerId"
     WHERE a."customerId" = ${customerId} AND a."shopId" = ${shopId}`;
  return row ? stateFrom(db, row) : null;
}

async function stateFrom(db: Db, row: AccountRow): Promise<LoyaltyState> {
  const customerId = row.customerId;
  const [entries, orders] = await Promise.all([
    db.ledgerEntry.findMany({ where: { customerId }, orderBy: [{ occurredAt: "asc" }, { createdAt: "asc" }] }),
    db.loyaltyOrder.findMany({ where: { customerId } }),
  ]);
  const account: LoyaltyAccount = {
    customerId,
    customerTags: row.tags ?? [],
    birthday: row.birthday,
    pointsBalance: row.pointsBalance,
    pendingPoints: row.pendingPoints,
    owedPoints: row.owedPoints,
    tierId: row.tierId,
    tierSince: iso(row.tierSince),
    tierReviewedAt: iso(row.tierReviewedAt),
  };
  return {
    account,
    entries: entries.map(toEntry),
    orders: orders.map((order) => order.data as unknown as LoyaltyOrder),
  };
}

/**
 * The customer's loyalty state, with their account row locked until the transaction ends. The
 * account is created (empty) the first time: enrolment is having an account.
 */
export async function lockLoyaltyState(tx: Tx, shopId: string, customerId: string): Promise<LoyaltyState> {
  await tx.$executeRaw`
    INSERT INTO "LoyaltyAccount" ("customerId", "shopId", "updatedAt") VALUES (${customerId}, ${shopId}, now())
    ON CONFLICT ("customerId") DO NOTHING`;
  const [row] = await tx.$queryRaw<AccountRow[]>`
    SELECT a."customerId", a."birthday", a."pointsBalance", a."pendingPoints", a."owedPoints", a."tierId",
           a."tierSince", a."tierReviewedAt", c."tags"
      FROM "LoyaltyAccount" AS a JOIN "Customer" AS c ON c."id" = a."customerId"
     WHERE a."customerId" = ${customerId} AND a."shopId" = ${shopId}
       FOR UPDATE OF a`;
  if (!row) throw new Error(`Customer ${customerId} does not belong to shop ${shopId}`);
  return stateFrom(tx, row);
}

function sameAccount(left: LoyaltyAccount, right: LoyaltyAccount): boolean {
  return (
    left.pointsBalance === right.pointsBalance &&
    left.pendingPoints === right.pendingPoints &&
    left.owedPoints === right.owedPoints &&
    left.tierId === right.tierId &&
    left.tierSince === right.tierSince &&
    left.tierReviewedAt === right.tierReviewedAt
  );
}

/** Writes a change made from `state` (locked by lockLoyaltyState in this transaction). Returns the new state. */
export async function saveLedgerChange(
  tx: Tx,
  shopId: string,
  state: LoyaltyState,
  change: LedgerChange,
): Promise<LoyaltyState> {
  if (change.entries.length > 0) {
    await tx.ledgerEntry.createMany({
      data: change.entries.map((entry) => ({
        shopId,
        customerId: entry.customerId,
        key: entry.key,
        kind: entry.kind,
        points: entry.points,
        pendingPoints: entry.pendingPoints,
        owedPoints: entry.owedPoints,
        occurredAt: new Date(entry.occurredAt),
        orderId: entry.orderId,
        refundId: entry.refundId,
        redemptionId: entry.redemptionId,
        rewardId: entry.rewardId,
        adjustmentId: entry.adjustmentId,
        cartToken: entry.cartToken,
        bonus: entry.bonus,
        earnRate: entry.earnRate,
        tierMultiplier: entry.tierMultiplier,
        netSpendCents: entry.netSpendCents,
        staffMember: entry.staffMember,
        reason: entry.reason,
      })),
    });
  }
  if (change.order) {
    const data = change.order as unknown as Prisma.InputJsonValue;
    await tx.loyaltyOrder.upsert({
      where: { shopId_orderId: { shopId, orderId: change.order.orderId } },
      create: { shopId, orderId: change.order.orderId, customerId: change.order.customerId, data },
      update: { data, customerId: change.order.customerId },
    });
  }
  const account = change.account;
  if (change.entries.length > 0 || !sameAccount(state.account, account)) {
    const activity = change.entries
      .filter((entry) => activityKinds.has(entry.kind))
      .map((entry) => entry.occurredAt)
      .sort()
      .at(-1);
    await tx.loyaltyAccount.update({
      where: { customerId: account.customerId },
      data: {
        pointsBalance: account.pointsBalance,
        pendingPoints: account.pendingPoints,
        owedPoints: account.owedPoints,
        tierId: account.tierId,
        tierSince: account.tierSince ? new Date(account.tierSince) : null,
        tierReviewedAt: account.tierReviewedAt ? new Date(account.tierReviewedAt) : null,
        ...(activity ? { lastActivityAt: new Date(activity) } : {}),
        statusVersion: { increment: 1 },
      },
    });
  }
  return applyChange(state, change);
}

/**
 * Locks the customer's account, lets `decide` compute a change from the current state, and saves it, all in the caller's transaction.
 */
export async function changeLoyaltyAccount<Result>(
  tx: Tx,
  shopId: string,
  customerId: string,
  decide: (state: LoyaltyState) => { change: LedgerChange | null; result: Result },
): Promise<{ state: LoyaltyState; result: Result }> {
  const state = await lockLoyaltyState(tx, shopId, customerId);
  const { change, result } = decide(state);
  const next = change ? await saveLedgerChange(tx, shopId, state, change) : state;
  return { state: next, result };
}
