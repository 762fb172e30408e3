// The Customers list and the Customer page. The list reads only the customer rollups and
// predictions (never the orders) and pages by keyset on (sort column, id), one index per sort key
// (migration *_customers_list_indexes), so a page costs the same on the first page as on the
// 20,000th of a million customers. OFFSET would read and discard every earlier row.
import { Prisma } from "@prisma/client";
import { z } from "zod";

import prisma from "~/db.server";
import { loyaltySettingsSchema } from "~/core/loyalty";
import { atRiskSql } from "~/core/metrics/at-risk";
import { SEGMENTS, type SegmentId } from "~/core/metrics/rfm";
import { loadCustomerPrediction, type CustomerPrediction } from "~/insight/customer-prediction.server";

export const CUSTOMERS_PAGE_SIZE = 50;

const atRiskCondition = Prisma.raw(atRiskSql("c"));

// Each sort key: its column, the SQL type its cursor value is cast back to, and whether it can be
// null. Null values (no prediction, no order) come last in both directions.
const SORTS = {
  lastOrder: { column: Prisma.raw(`c."lastOrderAt"`), type: Prisma.raw("timestamp(3)"), nullable: true },
  predictedClv: { column: Prisma.raw(`c."predictedClv365d"`), type: Prisma.raw("numeric"), nullable: true },
  probabilityAlive: { column: Prisma.raw(`c."probabilityAlive"`), type: Prisma.raw("float8"), nullable: true },
  orders: { column: Prisma.raw(`c."ordersCount"`), type: Prisma.raw("int4"), nullable: false },
  netRevenue: { column: Prisma.raw(`c."netRevenue"`), type: Prisma.raw("numeric"), nullable: false },
} as const;

export type CustomerSort = keyof typeof SORTS;
export const CUSTOMER_SORTS = Object.keys(SORTS) as CustomerSort[];
export type SortDirection = "asc" | "desc";

/**
 * A position in the list: the row's sort value as PostgreSQL prints it (exact for numeric, float8
 * and timestamps, so casting it back compares equal), null in the nulls-last section, and its id.
 */
export interface CustomerCursor {
  sort: CustomerSort;
  value: string | null;
  id: string;
}

const cursorShape = z.object({
  sort: z.enum(CUSTOMER_SORTS as [CustomerSort, ...CustomerSort[]]),
  value: z.string().max(64).nullable(),
  id: z.string().min(1).max(64),
});

export function encodeCursor(cursor: CustomerCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id])).toString("base64url");
}

export function decodeCursor(text: string): CustomerCursor | null {
  try {
    const [sort, value, id] = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as unknown[];
    const parsed = cursorShape.safeParse({ sort, value, id });
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const SEGMENT_IDS = SEGMENTS.map((segment) => segment.id) as [SegmentId, ...SegmentId[]];
const SEGMENT_NAMES = new Map(SEGMENTS.map((segment) => [segment.id, segment.name]));

// The list's URL search params. A value that does not parse falls back to its default, so an old
// or hand-edited link still opens a list rather than an error.
export const customerListQuery = z.object({
  sort: z.enum(CUSTOMER_SORTS as [CustomerSort, ...CustomerSort[]]).catch("lastOrder"),
  direction: z.enum(["asc", "desc"]).catch("desc"),
  segment: z.enum(SEGMENT_IDS).optional().catch(undefined),
  // A loyalty tier's id from the program's settings.
  tier: z.string().trim().min(1).max(100).optional().catch(undefined),
  atRisk: z
    .enum(["1", "true"])
    .optional()
    .transform((value) => value !== undefined)
    .catch(false),
  q: z
    .string()
    // Any run of whitespace (a pasted line break too) is one space: names have single spaces,
    // and the search text relies on a term without line breaks (customerSearchSql).
    .transform((text) => text.replace(/\s+/g, " ").trim().slice(0, 100))
    .optional()
    .catch(undefined),
  after: z.string().max(400).optional().catch(undefined),
  before: z.string().max(400).optional().catch(undefined),
});

export type CustomerListQuery = z.output<typeof customerListQuery>;

// What each sort key's cursor value looks like as PostgreSQL prints it (the ::text of its column).
const CURSOR_VALUE: Record<CustomerSort, RegExp> = {
  lastOrder: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/,
  predictedClv: /^-?\d{1,30}(\.\d{1,30})?$/,
  probabilityAlive: /^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i,
  orders: /^-?\d{1,9}$/,
  netRevenue: /^-?\d{1,30}(\.\d{1,30})?$/,
};
const ROW_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A cursor this list could have made: it decodes, and its value and id are of its sort's kinds. */
export function isWellFormedCursor(text: string): boolean {
  const cursor = decodeCursor(text);
  if (!cursor || !ROW_ID.test(cursor.id)) return false;
  const { sort, value } = cursor;
  if (value === null) return true;
  if (!CURSOR_VALUE[sort].test(value)) return false;
  // In range for PostgreSQL's cast: a real date and time, a finite float.
  if (sort === "lastOrder") {
    const date = new Date(`${value.slice(0, 19).replace(" ", "T")}Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 19) === value.slice(0, 19).replace(" ", "T");
  }
  return sort !== "probabilityAlive" || Number.isFinite(Number(value));
}

/**
 * The list's query from its URL. A hand-edited filter falls back to its default, but a \u0000
 * anywhere (PostgreSQL takes none in text) or a page cursor the list never made is a 400: the
 * request is not a link the list gave out. A cursor of another sort (a stale link) is accepted
 * and ignored by listCustomers.
 */
export function parseCustomerListQuery(searchParams: URLSearchParams): CustomerListQuery {
  for (const [name, value] of searchParams) {
    if (name.includes("\u0000") || value.includes("\u0000")) {
      throw new Response("A query parameter holds a NUL character", { status: 400 });
    }
  }
  for (const name of ["after", "before"]) {
    const cursor = searchParams.get(name);
    if (cursor && !isWellFormedCursor(cursor)) throw new Response(`Invalid ${name} cursor`, { status: 400 });
  }
  return customerListQuery.parse(Object.fromEntries(searchParams));
}

export interface CustomerListRow {
  id: string;
  shopifyId: string;
  /** First and last name; null when the customer has none or was redacted. */
  name: string | null;
  email: string | null;
  ordersCount: number;
  netRevenue: number;
  lastOrderAt: string | null;
  predictedClv365d: number | null;
  probabilityAlive: number | null;
  clvPercentile: number | null;
  segment: { id: SegmentId; name: string } | null;
  /** Null: not a loyalty member. */
  pointsBalance: number | null;
  tierId: string | null;
}

export interface CustomerListPage {
  currencyCode: string;
  timeZone: string;
  rows: CustomerListRow[];
  /** Cursors for Previous and Next; null when there is no such page. */
  previousCursor: string | null;
  nextCursor: string | null;
  filtered: boolean;
  /** Whether the shop has any customer at all (tells "none yet" from "none match"). */
  anyCustomers: boolean;
  /** The loyalty program's tiers, for the tier filter and names; empty without tiers. */
  tiers: { id: string; name: string }[];
}

interface RawRow {
  id: string;
  shopifyId: bigint;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  redactedAt: Date | null;
  ordersCount: number;
  netRevenue: number;
  lastOrderAt: Date | null;
  predictedClv365d: number | null;
  probabilityAlive: number | null;
  clvPercentile: number | null;
  rfmSegment: string | null;
  sortValue: string | null;
  // For the export: the columns the list does not show, and the money as stored (exact).
  firstOrderAt: Date | null;
  expectedOrders365d: number | null;
  netRevenueText: string;
  predictedClv365dText: string | null;
  pointsBalance: number | null;
  tierId: string | null;
}

// LIKE's wildcards typed by the merchant match themselves.
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

/**
 * Customers whose name or email contains the term: the search table (migration
 * *_customer_search) holds the full name, a line break and the email, trigram-indexed. A term
 * holds no line break (the query parser turns whitespace runs into one space), so it matches
 * that text exactly when it matches the name or the email.
 */
export function customerSearchSql(term: string): Prisma.Sql {
  return Prisma.sql`c."id" IN (SELECT s."customerId" FROM "CustomerSearch" AS s WHERE s."text" ILIKE ${likePattern(term)})`;
}

// A search matching at most this many customers is answered from their ids (primary key lookups,
// then a sort of those few rows); a broader one walks the sort index and checks each row.
const SEARCH_IDS_LIMIT = 2000;

/**
 * The search as a condition. The planner can't tell how many customers a term matches (trigram
 * estimates are poor), and guessing wrong is costly either way: walking the sort index for a term
 * few customers match reads most of the shop. So we ask the trigram index first, bounded.
 */
async function searchCondition(shopId: string, term: string): Promise<Prisma.Sql> {
  const matches = await prisma.$queryRaw<{ customerId: string }[]>`
    SELECT "customerId" FROM "CustomerSearch"
     WHERE "shopId" = ${shopId} AND "text" ILIKE ${likePattern(term)}
     LIMIT ${SEARCH_IDS_LIMIT + 1}`;
  if (matches.length > SEARCH_IDS_LIMIT) return customerSearchSql(term);
  return Prisma.sql`c."id" = ANY(${matches.map((match) => match.customerId)}::text[])`;
}

async function filterSql(query: CustomerListQuery, shopId: string): Promise<Prisma.Sql[]> {
  const conditions: Prisma.Sql[] = [];
  if (query.segment) conditions.push(Prisma.sql`c."rfmSegment" = ${query.segment}`);
  if (query.atRisk) conditions.push(atRiskCondition);
  if (query.tier) conditions.push(Prisma.sql`a."tierId" = ${query.tier}`);
  if (query.q) {
    // Substring, case-insensitive, of the name or the email (see searchCondition).
    conditions.push(await searchCondition(shopId, query.q));
  }
  return conditions;
}

const flip = (direction: SortDirection): SortDirection => (direction === "asc" ? "desc" : "asc");

/**
 * Up to `limit` rows in one section of the order (non-null sort values, or null ones ordered by
 * id), strictly after `from` when given. Each is one index range scan on (shopId, column, id).
 */
async function section(
  where: Prisma.Sql,
  sort: CustomerSort,
  nulls: boolean,
  direction: SortDirection,
  from: CustomerCursor | null,
  limit: number,
): Promise<RawRow[]> {
  const { column, type } = SORTS[sort];
  const order = Prisma.raw(direction === "asc" ? "ASC" : "DESC");
  const compare = Prisma.raw(direction === "asc" ? ">" : "<");
  const conditions = [where, nulls ? Prisma.sql`${column} IS NULL` : Prisma.sql`${column} IS NOT NULL`];
  if (from && nulls) conditions.push(Prisma.sql`c."id" ${compare} ${from.id}`);
  if (from && !nulls) conditions.push(Prisma.sql`(${column}, c."id") ${compare} (${from.value}::${type}, ${from.id})`);
  const orderBy = nulls ? Prisma.sql`c."id" ${order}` : Prisma.sql`${column} ${order}, c."id" ${order}`;
  return prisma.$queryRaw<RawRow[]>`
    SELECT c."id", c."shopifyId", c."email", c."firstName", c."lastName", c."redactedAt", c."ordersCount",
           c."netRevenue"::float8 AS "netRevenue", c."lastOrderAt", c."predictedClv365d"::float8 AS "predictedClv365d",
           c."probabilityAlive", c."clvPercentile", c."rfmSegment", ${column}::text AS "sortValue",
           c."firstOrderAt", c."expectedOrders365d", c."netRevenue"::text AS "netRevenueText",
           c."predictedClv365d"::text AS "predictedClv365dText", a."pointsBalance", a."tierId"
      FROM "Customer" AS c
      -- The member's account, if any (primary key lookup per row of the page).
      LEFT JOIN "LoyaltyAccount" AS a ON a."customerId" = c."id"
     WHERE ${Prisma.join(conditions, " AND ")}
     ORDER BY ${orderBy}
     LIMIT ${limit}`;
}

/**
 * `limit` rows walking the list from `from` (exclusive): forward in the list's order, or
 * backward (the reverse order, for Previous). The order is the non-null values sorted by
 * (value, id) in `direction`, then the null values by id in `direction`.
 */
async function walk(
  where: Prisma.Sql,
  sort: CustomerSort,
  direction: SortDirection,
  backward: boolean,
  from: CustomerCursor | null,
  limit: number,
): Promise<RawRow[]> {
  const sections = [false, ...(SORTS[sort].nullable ? [true] : [])];
  if (backward) sections.reverse();
  const walkDirection = backward ? flip(direction) : direction;
  // Sections before the cursor's are skipped; the cursor's own is bounded; later ones are whole.
  let started = from === null;
  const rows: RawRow[] = [];
  for (const nulls of sections) {
    const inCursorSection = from !== null && (from.value === null) === nulls;
    if (!started && !inCursorSection) continue;
    const bound = started ? null : from;
    started = true;
    rows.push(...(await section(where, sort, nulls, walkDirection, bound, limit - rows.length)));
    if (rows.length >= limit) break;
  }
  return rows;
}

const cursorOf = (sort: CustomerSort, row: RawRow): string => encodeCursor({ sort, value: row.sortValue, id: row.id });

function displayName(row: Pick<RawRow, "firstName" | "lastName" | "redactedAt">): string | null {
  if (row.redactedAt) return null;
  const name = [row.firstName, row.lastName].filter((part) => part && part.trim()).join(" ");
  return name || null;
}

function listRow(row: RawRow): CustomerListRow {
  const segmentName = row.rfmSegment ? SEGMENT_NAMES.get(row.rfmSegment as SegmentId) : undefined;
  return {
    id: row.id,
    shopifyId: row.shopifyId.toString(),
    name: displayName(row),
    email: row.redactedAt ? null : row.email,
    ordersCount: row.ordersCount,
    netRevenue: row.netRevenue,
    lastOrderAt: row.lastOrderAt?.toISOString() ?? null,
    predictedClv365d: row.predictedClv365d,
    probabilityAlive: row.probabilityAlive,
    clvPercentile: row.clvPercentile,
    segment: segmentName ? { id: row.rfmSegment as SegmentId, name: segmentName } : null,
    pointsBalance: row.pointsBalance,
    tierId: row.tierId,
  };
}

/** The loyalty program's tiers (id and name), in order; none without a program or tiers. */
export async function loyaltyTiers(shopId: string): Promise<{ id: string; name: string }[]> {
  const program = await prisma.loyaltyProgram.findUnique({ where: { shopId }, select: { settings: true } });
  const parsed = program ? loyaltySettingsSchema.safeParse(program.settings) : null;
  return parsed?.success && parsed.data.tiers
    ? parsed.data.tiers.levels.map((level) => ({ id: level.id, name: level.name }))
    : [];
}

/** One page of the shop's customers: all the list page reads. */
export async function listCustomers(
  shopDomain: string,
  query: CustomerListQuery,
  pageSize: number = CUSTOMERS_PAGE_SIZE,
): Promise<CustomerListPage> {
  const shop = await prisma.shop.findUnique({
    where: { shopDomain },
    select: { id: true, currencyCode: true, ianaTimezone: true },
  });
  // A shop not recorded yet (install still completing) simply has no customers.
  if (!shop) {
    const none = { rows: [], previousCursor: null, nextCursor: null, anyCustomers: false };
    const filtered = Boolean(query.segment || query.tier || query.atRisk || query.q);
    return { currencyCode: "USD", timeZone: "UTC", ...none, filtered, tiers: [] };
  }
  const filters = await filterSql(query, shop.id);
  const where = Prisma.join([Prisma.sql`c."shopId" = ${shop.id}`, ...filters], " AND ");
  const { sort, direction } = query;
  // A cursor made for another sort (a stale link) is ignored: the list starts from the top.
  const usable = (text: string | undefined) => {
    const cursor = text ? decodeCursor(text) : null;
    return cursor && cursor.sort === sort ? cursor : null;
  };
  const after = usable(query.after);
  const before = after ? null : usable(query.before);

  let rows: RawRow[];
  let hasPrevious: boolean;
  let hasNext: boolean;
  if (before) {
    const found = await walk(where, sort, direction, true, before, pageSize + 1);
    if (found.length > pageSize) {
      rows = found.slice(0, pageSize).reverse();
      hasPrevious = true;
      hasNext = true;
    } else {
      // Back at the start: show a full first page rather than a short one.
      rows = await walk(where, sort, direction, false, null, pageSize + 1);
      hasPrevious = false;
      hasNext = rows.length > pageSize;
      rows = rows.slice(0, pageSize);
    }
  } else {
    const found = await walk(where, sort, direction, false, after, pageSize + 1);
    rows = found.slice(0, pageSize);
    hasNext = found.length > pageSize;
    hasPrevious = after !== null;
  }

  const anyCustomers =
    rows.length > 0 || (await prisma.customer.findFirst({ where: { shopId: shop.id }, select: { id: true } })) !== null;
  return {
    currencyCode: shop.currencyCode,
    timeZone: shop.ianaTimezone,
    rows: rows.map(listRow),
    previousCursor: hasPrevious && rows.length ? cursorOf(sort, rows[0]) : null,
    nextCursor: hasNext && rows.length ? cursorOf(sort, rows[rows.length - 1]) : null,
    filtered: filters.length > 0,
    anyCustomers,
    tiers: await loyaltyTiers(shop.id),
  };
}

/** A customer as the export writes it (insight/customer-export.server.ts). */
export interface MatchingCustomer {
  shopifyId: bigint;
  ordersCount: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  /** Exactly as stored, e.g. "123.50". */
  netRevenue: string;
  expectedOrders365d: number | null;
  probabilityAlive: number | null;
  predictedClv365d: string | null;
  rfmSegment: string | null;
  pointsBalance: number | null;
  tierId: string | null;
}

/**
 * Every customer of the shop the list's query matches (its filters, search and sort; not its
 * page cursors), in the list's order, `batchSize` at a time: the same keyset walk as the list's
 * pages, so each batch costs what a page does and memory stays flat however many match.
 */
export async function* matchingCustomers(
  shopId: string,
  query: CustomerListQuery,
  batchSize: number = 2000,
): AsyncGenerator<MatchingCustomer[]> {
  const where = Prisma.join([Prisma.sql`c."shopId" = ${shopId}`, ...(await filterSql(query, shopId))], " AND ");
  const { sort, direction } = query;
  let from: CustomerCursor | null = null;
  for (;;) {
    const rows = await walk(where, sort, direction, false, from, batchSize);
    if (rows.length > 0) {
      yield rows.map((row) => ({
        shopifyId: row.shopifyId,
        ordersCount: row.ordersCount,
        firstOrderAt: row.firstOrderAt,
        lastOrderAt: row.lastOrderAt,
        netRevenue: row.netRevenueText,
        expectedOrders365d: row.expectedOrders365d,
        probabilityAlive: row.probabilityAlive,
        predictedClv365d: row.predictedClv365dText,
        rfmSegment: row.rfmSegment,
        pointsBalance: row.pointsBalance,
        tierId: row.tierId,
      }));
    }
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1];
    from = { sort, value: last.sortValue, id: last.id };
  }
}

export const CUSTOMER_ORDERS_SHOWN = 100;

export interface CustomerOrderRow {
  id: string;
  name: string | null;
  processedAt: string;
  netRevenue: number;
  refunded: number;
  cancelled: boolean;
  test: boolean;
}

export interface CustomerPage {
  id: string;
  shopifyId: string;
  name: string | null;
  email: string | null;
  currencyCode: string;
  timeZone: string;
  prediction: CustomerPrediction;
  /** Newest first, at most CUSTOMER_ORDERS_SHOWN; deleted orders are gone, cancelled ones shown. */
  orders: CustomerOrderRow[];
  ordersTotal: number;
}

/** Everything the Customer page shows; null when the shop has no such customer. */
export async function loadCustomerPage(shopDomain: string, customerId: string): Promise<CustomerPage | null> {
  const customer = await prisma.customer.findFirst({
    where: { id: customerId, shop: { shopDomain } },
    select: {
      id: true,
      shopifyId: true,
      firstName: true,
      lastName: true,
      email: true,
      redactedAt: true,
      shop: { select: { currencyCode: true, ianaTimezone: true } },
    },
  });
  if (!customer) return null;
  const shown = { customerId: customer.id, deletedAt: null };
  const [prediction, orders, ordersTotal] = await Promise.all([
    loadCustomerPrediction(shopDomain, customer.id),
    prisma.order.findMany({
      where: shown,
      orderBy: [{ processedAt: "desc" }, { id: "desc" }],
      take: CUSTOMER_ORDERS_SHOWN,
      select: {
        id: true,
        name: true,
        processedAt: true,
        netRevenue: true,
        totalRefunded: true,
        cancelledAt: true,
        test: true,
      },
    }),
    prisma.order.count({ where: shown }),
  ]);
  if (!prediction) return null;
  return {
    id: customer.id,
    shopifyId: customer.shopifyId.toString(),
    name: displayName(customer),
    email: customer.redactedAt ? null : customer.email,
    currencyCode: customer.shop.currencyCode,
    timeZone: customer.shop.ianaTimezone,
    prediction,
    orders: orders.map((order) => ({
      id: order.id,
      name: order.name,
      processedAt: order.processedAt.toISOString(),
      netRevenue: Number(order.netRevenue),
      refunded: Number(order.totalRefunded),
      cancelled: order.cancelledAt !== null,
      test: order.test,
    })),
    ordersTotal,
  };
}
