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
  type LoyaltyAccount,
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

// Parsed settings by shop, for the version they were parsed from: a program changes rarely, and
// every order webhook of a shop with a program reads it.
const parsedSettings = new Map<string, { version: number; updatedAt: number; settings: LoyaltySettings }>();

export async function loadLoyaltyProgram(tx: Db, shopId: string): Promise<LoyaltyProgramState | null> {
  const program = await tx.loyaltyProgram.findUnique({ where: { shopId } });
  if (!program) return null;
  // Stored settings were validated when saved; parsing again keeps one definition of their shape.
  const cached = parsedSettings.get(shopId);
  let settings: LoyaltySettings;
  if (cached && cached.version === program.version && cached.updatedAt === program.updatedAt.getTime()) {
    settings = cached.settings;
  } else {
    settings = loyaltySettingsSchema.parse(program.settings);
    parsedSettings.set(shopId, { version: program.version, updatedAt: program.updatedAt.getTime(), settings });
  }
  return {
    shopId,
    enabled: program.enabled,
    settings,
    version: program.version,
    launchedAt: program.launchedAt,
  };
}

/** The state in one round trip, by perennial_loyalty_state (prisma/functions/perennial_loyalty_state.sql). */
async function loadState(db: Db, shopId: string, customerId: string, lock: boolean): Promise<LoyaltyState | null> {
  const [row] = await db.$queryRaw<{ state: LoyaltyState | null }[]>`
    SELECT perennial_loyalty_state(${shopId}, ${customerId}, ${lock}) AS "state"`;
  // The entries' kind and bonus are the core's unions: only the core writes them.
  return row.state;
}

/** The state as it is now, for reading (no lock); null for a customer who is not a member yet. */
export async function readLoyaltyState(db: Db, shopId: string, customerId: string): Promise<LoyaltyState | null> {
  return loadState(db, shopId, customerId, false);
}

/**
 * The customer's loyalty state, with their account row locked until the transaction ends. The
 * account is created (empty) the first time: enrolment is having an account. The entries are
 * read once the lock is held, so they include every change committed before it.
 */
export async function lockLoyaltyState(tx: Tx, shopId: string, customerId: string): Promise<LoyaltyState> {
  const state = await loadState(tx, shopId, customerId, true);
  if (!state) throw new Error(`Customer ${customerId} does not belong to shop ${shopId}`);
  return state;
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

/** What perennial_save_ledger_change writes for a change made from `state`; null when nothing changed. */
function savedChange(state: LoyaltyState, change: LedgerChange) {
  const account = change.account;
  const accountChanged = change.entries.length > 0 || !sameAccount(state.account, account);
  if (!change.order && !accountChanged) return null;
  const activity = change.entries
    .filter((entry) => activityKinds.has(entry.kind))
    .map((entry) => entry.occurredAt)
    .sort()
    .at(-1);
  return {
    customerId: account.customerId,
    entries: change.entries,
    order: change.order ?? undefined,
    account: accountChanged ? account : undefined,
    activity,
  };
}

/** Writes a change made from `state` (locked by lockLoyaltyState in this transaction). Returns the new state. */
export async function saveLedgerChange(
  tx: Tx,
  shopId: string,
  state: LoyaltyState,
  change: LedgerChange,
): Promise<LoyaltyState> {
  const saved = savedChange(state, change);
  if (saved) {
    // Entries, order and account in one round trip (perennial_save_ledger_change).
    await tx.$executeRaw`
      SELECT perennial_save_ledger_change(${shopId}, ${saved.customerId}, ${JSON.stringify(saved.entries)}::jsonb,
                                          ${saved.order ? JSON.stringify(saved.order) : null}::jsonb,
                                          ${saved.account ? JSON.stringify(saved.account) : null}::jsonb,
                                          ${saved.activity ?? null}::text)`;
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

/**
 * changeLoyaltyAccount for many customers at once (each at most once): their accounts locked and
 * read in one statement, the changes saved in one. For work over many members in one transaction
 * (the demo's history); a webhook changes one account. Returns how many accounts changed.
 */
export async function changeLoyaltyAccounts(
  tx: Tx,
  shopId: string,
  customerIds: readonly string[],
  decide: (state: LoyaltyState) => LedgerChange | null,
): Promise<number> {
  if (new Set(customerIds).size !== customerIds.length) throw new Error("changeLoyaltyAccounts: a customer twice");
  if (customerIds.length === 0) return 0;
  const rows = await tx.$queryRaw<{ state: LoyaltyState | null }[]>`
    SELECT perennial_loyalty_state(${shopId}, u.id, true) AS "state"
      FROM unnest(${customerIds}::text[]) WITH ORDINALITY AS u(id, n) ORDER BY u.n`;
  const saved = rows.flatMap(({ state }, index) => {
    if (!state) throw new Error(`Customer ${customerIds[index]} does not belong to shop ${shopId}`);
    const change = decide(state);
    const row = change && savedChange(state, change);
    return row ? [row] : [];
  });
  if (saved.length > 0)
    await tx.$executeRaw`
      SELECT perennial_save_ledger_change(${shopId}, c->>'customerId', c->'entries', c->'order', c->'account',
                                          c->>'activity')
        FROM jsonb_array_elements(${JSON.stringify(saved)}::jsonb) AS c`;
  return saved.length;
}
