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
import { parseDecimal } from "~/core/loyalty/decimal";
import type { LoyaltySettings } from "~/core/loyalty";
import { loyaltySettingsSchema } from "~/core/loyalty";
import { jobQueue, QUEUES } from "~/platform/jobs.server";

export const RESULTS_PERIODS = [30, 90, 365] as const;
export type ResultsPeriod = (typeof RESULTS_PERIODS)[number];
export const DEFAULT_RESULTS_PERIOD: ResultsPeriod = 30;

/** A page read this long after the last refresh starts a new one (the figures stay shown). */
export const RESULTS_REFRESH_AFTER_MS = 10 * 60_000;
/**
 * The refresh leaves the last minutes to the live part: an entry that occurred just before the
 * refresh but was committed after it (a transaction still open) is then still counted.
 */
const IN_FLIGHT_MARGIN_MS = 5 * 60_000;
const MONTHS_CHARTED = 12;
// pg_advisory_xact_lock(class, key): one refresh per shop at a time, across processes.
const LOCK_CLASS = 7_305_001;

export function parseResultsPeriod(value: string | null): ResultsPeriod {
  const days = Number(value);
  return (RESULTS_PERIODS as readonly number[]).includes(days) ? (days as ResultsPeriod) : DEFAULT_RESULTS_PERIOD;
}

interface KindSums {
  /** Sum of each entry's net change (points + pending − owed) where it was positive. */
  gained: number;
  /** Sum of minus the net change where it was negative. */
  lost: number;
  points: number;
  pendingPoints: number;
  owedPoints: number;
}

interface DayRow extends KindSums {
  day: string;
  kind: string;
}

export interface PointsFlows {
  /** Earned on orders (pending included), bonuses, and staff additions. */
  issued: number;
  /** Spent on rewards, less points returned for failed or cancelled redemptions. */
  redeemed: number;
  expired: number;
  /** Reversals (refunds, cancellations, edits) and staff removals. */
  takenBack: number;
}

export interface GroupFigures {
  /** Customers with at least one counted order. */
  customers: number;
  repeatCustomers: number;
  repeatRate: number | null;
  averageNetRevenue: number | null;
  /** Customers with a prediction, and their average predicted 12-month CLV. */
  scored: number;
  averagePredictedClv: number | null;
}

export interface PointValue {
  /** "fixedAmountAverage": the mean of amount ÷ points cost over the amount-off rewards. */
  method: "fixedAmountAverage" | "none";
  perPoint: number | null;
  rewards: { name: string; amount: string; pointsCost: number }[];
}

export interface Breakage {
  /** history: expired ÷ (redeemed + expired), all time; noExpiry: points never expire (0); noHistory: nothing closed yet (0). */
  method: "history" | "noExpiry" | "noHistory";
  share: number;
  expired: number;
  closed: number;
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

const ZERO: KindSums = { gained: 0, lost: 0, points: 0, pendingPoints: 0, owedPoints: 0 };

function add(into: Map<string, KindSums>, kind: string, sums: KindSums): void {
  const current = into.get(kind) ?? ZERO;
  into.set(kind, {
    gained: current.gained + sums.gained,
    lost: current.lost + sums.lost,
    points: current.points + sums.points,
    pendingPoints: current.pendingPoints + sums.pendingPoints,
    owedPoints: current.owedPoints + sums.owedPoints,
  });
}

export function flowsOf(byKind: ReadonlyMap<string, KindSums>): PointsFlows {
  const gained = (kind: string) => byKind.get(kind)?.gained ?? 0;
  const lost = (kind: string) => byKind.get(kind)?.lost ?? 0;
  return {
    issued: gained("earn") + gained("bonus") + gained("adjustment"),
    redeemed: lost("redemption") - gained("redemptionRefund"),
    expired: lost("expiry"),
    takenBack: lost("reversal") + lost("adjustment"),
  };
}

/** The value of a point in shop currency: the average of the amount-off rewards' amount per point. */
export function pointValue(settings: LoyaltySettings): PointValue {
  const rewards = settings.rewards.flatMap((reward) =>
    reward.discount.type === "fixedAmount"
      ? [{ name: reward.name, amount: reward.discount.amount, pointsCost: reward.pointsCost }]
      : [],
  );
  if (!rewards.length) return { method: "none", perPoint: null, rewards: [] };
  const perPoint =
    rewards.reduce((sum, reward) => {
      const amount = parseDecimal(reward.amount);
      return sum + Number(amount.numerator) / Number(amount.denominator) / reward.pointsCost;
    }, 0) / rewards.length;
  return { method: "fixedAmountAverage", perPoint, rewards };
}

export function breakageEstimate(settings: LoyaltySettings, allTime: PointsFlows): Breakage {
  const closed = Math.max(0, allTime.redeemed) + allTime.expired;
  if (!settings.expiry) return { method: "noExpiry", share: 0, expired: allTime.expired, closed };
  if (closed <= 0) return { method: "noHistory", share: 0, expired: 0, closed: 0 };
  return { method: "history", share: allTime.expired / closed, expired: allTime.expired, closed };
}

const roundCents = (amount: number) => Math.round(amount * 100) / 100;
const utcDay = (time: Date) => time.toISOString().slice(0, 10);

function daysBefore(time: Date, days: number): string {
  const start = new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate() - days));
  return utcDay(start);
}

function monthKeys(now: Date): string[] {
  return Array.from({ length: MONTHS_CHARTED }, (_, index) => {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (MONTHS_CHARTED - 1 - index), 1));
    return month.toISOString().slice(0, 7);
  });
}

interface ComparisonRow {
  member: boolean;
  customers: number;
  repeatCustomers: number;
  netRevenue: number;
  scored: number;
  predictedClv: number;
}

function groupFigures(row: ComparisonRow | undefined): GroupFigures {
  if (!row || row.customers === 0)
    return {
      customers: 0,
      repeatCustomers: 0,
      repeatRate: null,
      averageNetRevenue: null,
      scored: 0,
      averagePredictedClv: null,
    };
  return {
    customers: row.customers,
    repeatCustomers: row.repeatCustomers,
    repeatRate: row.repeatCustomers / row.customers,
    averageNetRevenue: roundCents(row.netRevenue / row.customers),
    scored: row.scored,
    averagePredictedClv: row.scored ? roundCents(row.predictedClv / row.scored) : null,
  };
}

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
    prisma.$queryRawUnsafe<(KindSums & { kind: string })[]>(
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

  const allTime = new Map<string, KindSums>();
  for (const row of allTimeRows) add(allTime, row.kind, row);
  const period = new Map<string, KindSums>();
  const byMonth = new Map<string, Map<string, KindSums>>();
  for (const row of [...recentRows, ...liveRows]) {
    if (row.day >= periodStart) add(period, row.kind, row);
    const month = row.day.slice(0, 7);
    if (month < months[0]) continue;
    if (!byMonth.has(month)) byMonth.set(month, new Map());
    add(byMonth.get(month)!, row.kind, row);
  }
  for (const row of liveRows) add(allTime, row.kind, row);

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
