// The loyalty program's background work, on pg-boss like the rest (decision 007):
//   - sweep (every 10 min): orders synced without their points (program just launched, a
//     webhook applied while this instance thought the program off, the backfill) are applied;
//   - daily: pending points released, inactive balances expired, birthday bonuses, tier reviews;
//   - tiers (after the merchant changes them): every member re-evaluated;
//   - metafields (every minute, and after a program save): the storefront's copy of balances.
// Every step is idempotent (ledger keys), so a retried or overlapping job changes nothing twice.
import prisma from "~/db.server";
import { dailyChange, evaluateTier, shopLocalDate, type LedgerChange, type LoyaltyState } from "~/core/loyalty";
import { jobQueue, QUEUES, startWorker } from "~/platform/jobs.server";
import { changeLoyaltyAccount, loadLoyaltyProgram, type LoyaltyProgramState } from "~/loyalty/ledger.server";
import { shopsWithDueMetafields, writeMemberMetafields, writeProgramMetafield } from "~/loyalty/metafields.server";
import { applyOrderLoyalty } from "~/loyalty/order-points.server";
import { refreshLoyaltyResults } from "~/loyalty/results.server";

const BATCH = 500;

async function enabledPrograms(shopDomain?: string): Promise<(LoyaltyProgramState & { shopDomain: string })[]> {
  const shops = await prisma.shop.findMany({
    where: { isActive: true, loyaltyProgram: { enabled: true }, ...(shopDomain ? { shopDomain } : {}) },
    select: { id: true, shopDomain: true },
  });
  const programs = [];
  for (const shop of shops) {
    const program = await loadLoyaltyProgram(prisma, shop.id);
    if (program?.enabled) programs.push({ ...program, shopDomain: shop.shopDomain });
  }
  return programs;
}

/** Applies every order whose points are missing or older than the order. Returns how many. */
export async function sweepLoyaltyOrders(shopDomain?: string, at: Date = new Date()): Promise<number> {
  let applied = 0;
  for (const program of await enabledPrograms(shopDomain)) {
    if (!program.launchedAt) continue;
    for (;;) {
      // Orders changed after their points were last reconciled (or never reconciled).
      const due = await prisma.$queryRaw<{ shopifyId: bigint }[]>`
        SELECT o."shopifyId" FROM "Order" AS o
          LEFT JOIN "LoyaltyOrder" AS lo ON lo."shopId" = o."shopId" AND lo."orderId" = o."shopifyId"::text
         WHERE o."shopId" = ${program.shopId} AND o."customerId" IS NOT NULL AND NOT o."test"
           AND o."processedAt" >= ${program.launchedAt}
           AND (lo."orderId" IS NULL OR o."updatedAt" > lo."updatedAt")
         ORDER BY o."processedAt"
         LIMIT ${BATCH}`;
      for (const order of due) await prisma.$transaction((tx) => applyOrderLoyalty(tx, program, order.shopifyId, at));
      applied += due.length;
      if (due.length < BATCH) break;
    }
  }
  return applied;
}

/**
 * Applies `decide` to every member of the shop's program, in keyset batches of accounts, one
 * short transaction per member. Returns how many members it changed.
 */
async function forEachMember(
  program: LoyaltyProgramState,
  decide: (state: LoyaltyState) => { change: LedgerChange; changed: boolean },
): Promise<number> {
  let changed = 0;
  let after = "";
  for (;;) {
    const members = await prisma.loyaltyAccount.findMany({
      where: { shopId: program.shopId, customerId: { gt: after } },
      orderBy: { customerId: "asc" },
      select: { customerId: true },
      take: BATCH,
    });
    for (const { customerId } of members) {
      const { result } = await prisma.$transaction((tx) =>
        changeLoyaltyAccount(tx, program.shopId, customerId, (state) => {
          const decided = decide(state);
          return { change: decided.change, result: decided.changed };
        }),
      );
      if (result) changed += 1;
    }
    if (members.length < BATCH) return changed;
    after = members[members.length - 1].customerId;
  }
}

/** The daily pass over a shop's members. */
export async function runDailyLoyalty(shopDomain?: string, at: Date = new Date()): Promise<number> {
  let changed = 0;
  for (const program of await enabledPrograms(shopDomain)) {
    const shop = await prisma.shop.findUniqueOrThrow({ where: { id: program.shopId }, select: { ianaTimezone: true } });
    const today = shopLocalDate(at, shop.ianaTimezone);
    changed += await forEachMember(program, (state) => {
      const change = dailyChange(state, program.settings, today, at.toISOString());
      return { change, changed: change.entries.length > 0 || change.tierChange !== null };
    });
  }
  return changed;
}

/** After the merchant changed the tiers: members who now qualify higher move up at once. */
export async function reevaluateTiers(shopDomain: string, at: Date = new Date()): Promise<number> {
  let moved = 0;
  for (const program of await enabledPrograms(shopDomain)) {
    moved += await forEachMember(program, (state) => {
      const tier = evaluateTier(state, program.settings, at.toISOString());
      return {
        change: { entries: [], account: tier.account, order: null, tierChange: tier.tierChange },
        changed: tier.tierChange !== null,
      };
    });
  }
  return moved;
}

export async function writeDueMetafields(): Promise<void> {
  for (const shop of await shopsWithDueMetafields()) {
    try {
      await writeMemberMetafields(shop);
    } catch (error) {
      console.error(`[loyalty] metafields for ${shop}:`, error);
    }
  }
}

/**
 * The loyalty program's workers and schedules. `metafields: false` where no Shopify admin exists to
 * write to (the demo).
 */
export async function startLoyaltyWorkers(options: { metafields: boolean }): Promise<void> {
  const boss = await jobQueue();
  await startWorker(QUEUES.loyaltySweep, () => sweepLoyaltyOrders().then(() => undefined));
  await startWorker(QUEUES.loyaltyDaily, () => runDailyLoyalty().then(() => undefined));
  await startWorker(QUEUES.loyaltyTiers, ({ shop }: { shop: string }) => reevaluateTiers(shop).then(() => undefined));
  await startWorker(QUEUES.loyaltyResults, ({ shop }: { shop: string }) =>
    refreshLoyaltyResults(shop).then(() => undefined),
  );
  await boss.schedule(QUEUES.loyaltySweep, "*/10 * * * *");
  await boss.schedule(QUEUES.loyaltyDaily, "15 4 * * *");
  if (!options.metafields) return;
  await startWorker(QUEUES.loyaltyMetafields, async ({ shop, program }: { shop?: string; program?: boolean }) => {
    if (shop && program) await writeProgramMetafield(shop);
    else await writeDueMetafields();
  });
  await boss.schedule(QUEUES.loyaltyMetafields, "* * * * *");
}
