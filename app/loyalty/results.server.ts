// Loyalty results: points issued, redeemed, expired and taken back; outstanding points and what
// they are worth; members against non-members. How the figures are estimated is in
// docs/loyalty-results.md.
//
// Fast at a million customers: a request never sums the ledger or the customers. A refresh
// (refreshLoyaltyResults, seconds at that size) stores the ledger's sums per UTC day and kind
// (LoyaltyResultsDay) and the members/non-members comparison (LoyaltyResults). A request reads
// those few thousand rows and adds, live, the entries that occurred since the refresh's
// `coversBefore` through the (shopId, occurredAt) index, so points figures include every change up
// to now. Outstanding points are the ledger's sum of `points`, which is the sum of the accounts'
// pointsBalance (each account caches its ledger's sums, decision 005). A results page whose
// refresh is older than RESULTS_REFRESH_AFTER_MS starts one in the background.
import prisma from "~/db.server";
import { loyaltySettingsSchema, type LedgerEntryKind } from "~/core/loyalty";
import {
  addKindSums,
  DEFAULT_RESULTS_PERIOD,
  breakageEstimate,
  daysBefore,
  flowsOf,
  groupFigures,
  monthKeys,
  pointValue,
  roundCents,
  type Breakage,
  type ComparisonRow,
  type GroupFigures,
  type KindSums,
  type PointsFlows,
  type PointValue,
  type ResultsPeriod,
} from "~/core/loyalty/results";

export {
  DEFAULT_RESULTS_PERIOD,
  parseResultsPeriod,
  RESULTS_PERIODS,
  type ResultsPeriod,
  type PointsFlows,
  type GroupFigures,
  type PointValue,
  type Breakage,
} from "~/core/loyalty/results";
import { jobQueue, QUEUES } from "~/platform/jobs.server";

/** A page read this long after the last refresh starts a new one (the figures stay shown). */
export const RESULTS_REFRESH_AFTER_MS = 10 * 60_000;
/**
 * The refresh leaves the last minutes to the live part: an entry that occurred just before the
 * refresh but was committed after it (a transaction still open) is then still counted.
 */
const IN_FLIGHT_MARGIN_MS = 5 * 60_000;
// pg_advisory_xact_lock(class, key): one refresh per shop at a time, across processes.
const LOCK_CLASS = 7_305_001;

interface DayRow extends KindSums {
  day: string;
  kind: LedgerEntryKind;
}

export interface LoyaltyResults {
  state: "ready";
  currencyCode: string;
  enabled: boolean;
  periodDays: ResultsPeriod;
  period: PointsFlows;
  allTime: PointsFlows;
  outstanding: { points: number; pendingPoints: number; owedPoints: number };
  members: number;
  value: PointValue;
  liability: number | null;
  breakage: Breakage;
  expectedCost: number | null;
  comparison: { members: GroupFigures; nonMembers: GroupFigures };
  months: { month: string; issued: number; redeemed: number }[];
  computedAt: string;
  coversBefore: string;
}

export type LoyaltyResultsPage =
  | { state: "noProgram" }
  | { state: "computing"; enabled: boolean }
  | { state: "noMembers"; enabled: boolean }
  | LoyaltyResults;

// The day rows as numbers: sums of integers, exact as float8 far beyond any shop's points.
const DAY_SUMS = `sum(greatest(net, 0))::float8 AS "gained", sum(greatest(-net, 0))::float8 AS "lost",
  sum("points")::float8 AS "points", sum("pendingPoints")::float8 AS "pendingPoints",
  sum("owedPoints")::float8 AS "owedPoints"`;

/**
 * Recomputes a shop's stored results. For a job (or the page, in the background): seconds at a
 * million customers. With `wait: false` it returns "busy" when another refresh of the shop holds
 * the lock, instead of waiting for it.
 */
export async function refreshLoyaltyResults(
  shopDomain: string,
  options: { now?: Date; wait?: boolean } = {},
): Promise<"refreshed" | "busy" | "noShop"> {
  const shop = await prisma.shop.findUnique({ where: { shopDomain }, select: { id: true } });
  if (!shop) return "noShop";
  const started = Date.now();
  const now = options.now ?? new Date();
  const coversBefore = new Date(now.getTime() - IN_FLIGHT_MARGIN_MS);
  return prisma.$transaction(
    async (tx) => {
      if (options.wait === false) {
        const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`
          SELECT pg_try_advisory_xact_lock(${LOCK_CLASS}::int, hashtext(${shop.id})) AS "locked"`;
        if (!locked) return "busy" as const;
      } else {
        await tx.$queryRaw`SELECT pg_advisory_xact_lock(${LOCK_CLASS}::int, hashtext(${shop.id}))::text`;
      }
      await tx.$executeRaw`DELETE FROM "LoyaltyResultsDay" WHERE "shopId" = ${shop.id}`;
      // One statement, so one consistent view of the ledger.
      await tx.$executeRawUnsafe(
        `INSERT INTO "LoyaltyResultsDay"
           ("shopId", "day", "kind", "gained", "lost", "points", "pendingPoints", "owedPoints", "entries")
         SELECT $1, "occurredAt"::date, "kind",
                sum(greatest(net, 0)), sum(greatest(-net, 0)), sum("points"), sum("pendingPoints"),
                sum("owedPoints"), count(*)
           FROM (SELECT "occurredAt", "kind", "points", "pendingPoints", "owedPoints",
                        "points" + "pendingPoints" - "owedPoints" AS net
                   FROM "LedgerEntry" WHERE "shopId" = $1 AND "occurredAt" < $2) AS entry
          GROUP BY 2, 3`,
        shop.id,
        coversBefore,
      );
      const groups = await tx.$queryRaw<ComparisonRow[]>`
        SELECT (a."customerId" IS NOT NULL) AS "member",
               count(*)::int AS "customers",
               (count(*) FILTER (WHERE c."ordersCount" >= 2))::int AS "repeatCustomers",
               coalesce(sum(c."netRevenue"), 0)::float8 AS "netRevenue",
               count(c."predictedClv365d")::int AS "scored",
               coalesce(sum(c."predictedClv365d"), 0)::float8 AS "predictedClv"
          FROM "Customer" AS c LEFT JOIN "LoyaltyAccount" AS a ON a."customerId" = c."id"
         WHERE c."shopId" = ${shop.id} AND c."ordersCount" > 0
         GROUP BY 1`;
      const [{ members }] = await tx.$queryRaw<{ members: number }[]>`
        SELECT count(*)::int AS "members" FROM "LoyaltyAccount" WHERE "shopId" = ${shop.id}`;
      const comparison = {
        members: groups.find((group) => group.member) ?? null,
        nonMembers: groups.find((group) => !group.member) ?? null,
      };
      const durationMs = Date.now() - started;
      await tx.$executeRaw`
        INSERT INTO "LoyaltyResults" ("shopId", "coversBefore", "computedAt", "durationMs", "members", "comparison")
        VALUES (${shop.id}, ${coversBefore}, ${now}, ${durationMs}, ${members}, ${JSON.stringify(comparison)}::jsonb)
        ON CONFLICT ("shopId") DO UPDATE SET "coversBefore" = EXCLUDED."coversBefore",
          "computedAt" = EXCLUDED."computedAt", "durationMs" = EXCLUDED."durationMs",
          "members" = EXCLUDED."members", "comparison" = EXCLUDED."comparison"`;
      return "refreshed" as const;
    },
    { timeout: 10 * 60_000, maxWait: 60_000 },
  );
}

/** Queues a refresh (pg-boss, one waiting per shop: a second request while one waits joins it). */
export async function requestLoyaltyResultsRefresh(shopDomain: string): Promise<void> {
  const boss = await jobQueue();
  await boss.send(QUEUES.loyaltyResults, { shop: shopDomain }, { singletonKey: shopDomain });
}

interface StoredResults {
  coversBefore: Date;
  computedAt: Date;
  members: number;
  comparison: { members: ComparisonRow | null; nonMembers: ComparisonRow | null };
}

export async function loadLoyaltyResults(
  shopDomain: string,
  periodDays: ResultsPeriod = DEFAULT_RESULTS_PERIOD,
  now: Date = new Date(),
): Promise<LoyaltyResultsPage> {
  const shop = await prisma.shop.findUnique({
    where: { shopDomain },
    select: { id: true, currencyCode: true, loyaltyProgram: { select: { enabled: true, settings: true } } },
  });
  if (!shop?.loyaltyProgram) return { state: "noProgram" };
  const enabled = shop.loyaltyProgram.enabled;
  const [stored] = await prisma.$queryRaw<StoredResults[]>`
    SELECT "coversBefore", "computedAt", "members", "comparison" FROM "LoyaltyResults" WHERE "shopId" = ${shop.id}`;
  if (!stored || now.getTime() - stored.computedAt.getTime() > RESULTS_REFRESH_AFTER_MS)
    await requestLoyaltyResultsRefresh(shopDomain);
  if (!stored) return { state: "computing", enabled };

  const periodStart = daysBefore(now, periodDays - 1);
  const months = monthKeys(now);
  const since = months[0] < periodStart ? `${months[0]}-01` : periodStart;
  const [allTimeRows, recentRows, liveRows] = await Promise.all([
    prisma.$queryRawUnsafe<(KindSums & { kind: LedgerEntryKind })[]>(
      `SELECT "kind", sum("gained")::float8 AS "gained", sum("lost")::float8 AS "lost",
              sum("points")::float8 AS "points", sum("pendingPoints")::float8 AS "pendingPoints",
              sum("owedPoints")::float8 AS "owedPoints"
         FROM "LoyaltyResultsDay" WHERE "shopId" = $1 GROUP BY 1`,
      shop.id,
    ),
    prisma.$queryRawUnsafe<DayRow[]>(
      `SELECT to_char("day", 'YYYY-MM-DD') AS "day", "kind", "gained"::float8 AS "gained", "lost"::float8 AS "lost",
              "points"::float8 AS "points", "pendingPoints"::float8 AS "pendingPoints",
              "owedPoints"::float8 AS "owedPoints"
         FROM "LoyaltyResultsDay" WHERE "shopId" = $1 AND "day" >= $2::date`,
      shop.id,
      since,
    ),
    // What happened since the refresh, straight from the ledger (a short range of its index).
    prisma.$queryRawUnsafe<DayRow[]>(
      `SELECT to_char("occurredAt", 'YYYY-MM-DD') AS "day", "kind", ${DAY_SUMS}
         FROM (SELECT "occurredAt", "kind", "points", "pendingPoints", "owedPoints",
                      "points" + "pendingPoints" - "owedPoints" AS net
                 FROM "LedgerEntry" WHERE "shopId" = $1 AND "occurredAt" >= $2) AS entry
        GROUP BY 1, 2`,
      shop.id,
      stored.coversBefore,
    ),
  ]);

  const allTime = new Map<LedgerEntryKind, KindSums>();
  for (const row of allTimeRows) addKindSums(allTime, row.kind, row);
  const period = new Map<LedgerEntryKind, KindSums>();
  const byMonth = new Map<string, Map<LedgerEntryKind, KindSums>>();
  for (const row of [...recentRows, ...liveRows]) {
    if (row.day >= periodStart) addKindSums(period, row.kind, row);
    const month = row.day.slice(0, 7);
    if (month < months[0]) continue;
    if (!byMonth.has(month)) byMonth.set(month, new Map());
    addKindSums(byMonth.get(month)!, row.kind, row);
  }
  for (const row of liveRows) addKindSums(allTime, row.kind, row);

  let points = 0;
  let pendingPoints = 0;
  let owedPoints = 0;
  for (const sums of allTime.values()) {
    points += sums.points;
    pendingPoints += sums.pendingPoints;
    owedPoints += sums.owedPoints;
  }
  const allTimeFlows = flowsOf(allTime);
  if (stored.members === 0 && allTime.size === 0) {
    // A stale refresh may predate the first members: look before saying there are none.
    const anyone = await prisma.loyaltyAccount.findFirst({ where: { shopId: shop.id }, select: { customerId: true } });
    if (!anyone) return { state: "noMembers", enabled };
  }

  const settings = loyaltySettingsSchema.parse(shop.loyaltyProgram.settings);
  const value = pointValue(settings);
  const breakage = breakageEstimate(settings, allTimeFlows);
  const liability = value.perPoint === null ? null : roundCents(points * value.perPoint);
  return {
    state: "ready",
    currencyCode: shop.currencyCode,
    enabled,
    periodDays,
    period: flowsOf(period),
    allTime: allTimeFlows,
    outstanding: { points, pendingPoints, owedPoints },
    members: stored.members,
    value,
    liability,
    breakage,
    expectedCost: liability === null ? null : roundCents(liability * (1 - breakage.share)),
    comparison: {
      members: groupFigures(stored.comparison.members ?? undefined),
      nonMembers: groupFigures(stored.comparison.nonMembers ?? undefined),
    },
    months: months.map((month) => {
      const flows = flowsOf(byMonth.get(month) ?? new Map());
      return { month, issued: flows.issued, redeemed: flows.redeemed };
    }),
    computedAt: stored.computedAt.toISOString(),
    coversBefore: stored.coversBefore.toISOString(),
  };
}

/** Home's loyalty figure: members' and non-members' repeat-purchase rates, as of the last refresh. */
export interface MemberRepeatRates {
  members: number | null;
  nonMembers: number | null;
  computedAt: string;
}

export async function memberRepeatRates(shopId: string): Promise<MemberRepeatRates | null> {
  const [stored] = await prisma.$queryRaw<Pick<StoredResults, "computedAt" | "comparison">[]>`
    SELECT "computedAt", "comparison" FROM "LoyaltyResults" WHERE "shopId" = ${shopId}`;
  if (!stored) return null;
  return {
    members: groupFigures(stored.comparison.members ?? undefined).repeatRate,
    nonMembers: groupFigures(stored.comparison.nonMembers ?? undefined).repeatRate,
    computedAt: stored.computedAt.toISOString(),
  };
}
