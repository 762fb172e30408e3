// The Customers list and Customer page on the embedded database: a seeded shop of 800 customers
// with predictions, every sort in both directions, keyset paging, filters and authentication.
import { Prisma } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";

import { DEMO_HISTORY } from "~/demo/synthetic-history";
import { SEGMENTS } from "~/core/metrics/rfm";
import prisma from "~/db.server";
import { loader as customerLoader } from "~/routes/app.customers.$id";
import { loader as customersLoader } from "~/routes/app.customers._index";
import { AT_RISK, isAtRisk } from "~/core/metrics/at-risk";
import { refreshClv } from "~/insight/clv-refresh.server";
import { loadCustomerPrediction } from "~/insight/customer-prediction.server";
import {
  CUSTOMER_SORTS,
  CUSTOMERS_PAGE_SIZE,
  customerListQuery,
  customerSearchSql,
  decodeCursor,
  encodeCursor,
  listCustomers,
  parseCustomerListQuery,
  type CustomerListQuery,
  type CustomerListRow,
  type CustomerSort,
  type SortDirection,
} from "~/insight/customers-list.server";
import { seedDemoStore } from "~/demo/demo-store.server";
import { ensureShop } from "~/sync/shops.server";

import {
  adminDocumentRequest,
  adminFetchRequest,
  routeArgs,
  storeOfflineSession,
  uniqueShop,
} from "../helpers/shopify";

const SHOP = uniqueShop("customers-list");
const CUSTOMERS = 800;

const query = (change: Partial<CustomerListQuery> = {}): CustomerListQuery => ({
  ...customerListQuery.parse({}),
  ...change,
});

// The value each sort key orders by, as the list shows it.
const sortValue: Record<CustomerSort, (row: CustomerListRow) => number | null> = {
  lastOrder: (row) => (row.lastOrderAt ? Date.parse(row.lastOrderAt) : null),
  predictedClv: (row) => row.predictedClv365d,
  probabilityAlive: (row) => row.probabilityAlive,
  orders: (row) => row.ordersCount,
  netRevenue: (row) => row.netRevenue,
};

async function allPages(change: Partial<CustomerListQuery>, pageSize = CUSTOMERS_PAGE_SIZE) {
  const pages: CustomerListRow[][] = [];
  let after: string | undefined;
  for (;;) {
    const page = await listCustomers(SHOP, query({ ...change, after }), pageSize);
    pages.push(page.rows);
    expect(page.previousCursor !== null).toBe(after !== undefined);
    if (!page.nextCursor) break;
    expect(page.rows).toHaveLength(pageSize);
    after = page.nextCursor;
  }
  return pages;
}

// The reference order: one plain ORDER BY over the whole shop, nulls last.
async function orderedIds(sort: CustomerSort, direction: SortDirection, where = Prisma.empty): Promise<string[]> {
  const column = {
    lastOrder: `"lastOrderAt"`,
    predictedClv: `"predictedClv365d"`,
    probabilityAlive: `"probabilityAlive"`,
    orders: `"ordersCount"`,
    netRevenue: `"netRevenue"`,
  }[sort];
  const dir = Prisma.raw(direction.toUpperCase());
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT c."id" FROM "Customer" AS c JOIN "Shop" AS s ON s."id" = c."shopId"
     WHERE s."shopDomain" = ${SHOP} ${where}
     ORDER BY ${Prisma.raw(`c.${column}`)} ${dir} NULLS LAST, c."id" ${dir}`;
  return rows.map((row) => row.id);
}

beforeAll(async () => {
  await seedDemoStore(DEMO_HISTORY.end, { ...DEMO_HISTORY, customers: CUSTOMERS, seed: 7 }, SHOP);
  await storeOfflineSession(SHOP);
  const refresh = await refreshClv(SHOP, { trigger: "test", asOf: DEMO_HISTORY.end });
  expect(refresh.status).toBe("completed");
}, 120_000);

describe("the Customers list", () => {
  it("opens on the most recent orders first, 50 to a page", async () => {
    const page = await listCustomers(SHOP, query());
    expect(page.rows).toHaveLength(CUSTOMERS_PAGE_SIZE);
    expect(page.previousCursor).toBeNull();
    expect(page.nextCursor).not.toBeNull();
    expect(page.rows.map((row) => row.id)).toEqual((await orderedIds("lastOrder", "desc")).slice(0, 50));
    expect(page.currencyCode).toBe("USD");
    expect(page.rows.every((row) => row.name && row.email)).toBe(true);
  });

  for (const sort of CUSTOMER_SORTS) {
    for (const direction of ["asc", "desc"] as const) {
      it(`sorts by ${sort} ${direction}, pages through every customer once, nulls last`, async () => {
        const pages = await allPages({ sort, direction });
        const rows = pages.flat();
        expect(rows).toHaveLength(CUSTOMERS);
        expect(new Set(rows.map((row) => row.id)).size).toBe(CUSTOMERS);
        expect(rows.map((row) => row.id)).toEqual(await orderedIds(sort, direction));
        const values = rows.map(sortValue[sort]);
        const present = values.filter((value): value is number => value !== null);
        expect(values.slice(0, present.length).every((value) => value !== null)).toBe(true);
        for (let i = 1; i < present.length; i++) {
          if (direction === "asc") expect(present[i]).toBeGreaterThanOrEqual(present[i - 1]);
          else expect(present[i]).toBeLessThanOrEqual(present[i - 1]);
        }
      });
    }
  }

  it("has customers without orders or prediction to place last", async () => {
    // Otherwise the nulls-last section would go untested.
    const page = await listCustomers(SHOP, query({ sort: "predictedClv", direction: "desc" }), CUSTOMERS);
    expect(page.rows.some((row) => row.predictedClv365d === null)).toBe(true);
    expect(page.rows.some((row) => row.predictedClv365d !== null)).toBe(true);
  });

  it("walks back with Previous to the same pages, across the nulls", async () => {
    const ids = (rows: CustomerListRow[]) => rows.map((row) => row.id);
    for (const sort of ["predictedClv", "orders"] as const) {
      const list = (cursor: Partial<CustomerListQuery>) => listCustomers(SHOP, query({ sort, ...cursor }), 37);
      const forward = await allPages({ sort }, 37);
      // Forward to the last page, then back with each page's Previous cursor.
      let page = await list({});
      while (page.nextCursor) page = await list({ after: page.nextCursor });
      expect(ids(page.rows)).toEqual(ids(forward.at(-1)!));
      for (let index = forward.length - 2; index >= 0; index--) {
        page = await list({ before: page.previousCursor! });
        expect(ids(page.rows)).toEqual(ids(forward[index]));
        expect(page.nextCursor).not.toBeNull();
      }
      expect(page.previousCursor).toBeNull();
    }
  });

  it("filters by segment", async () => {
    const counts = await prisma.customer.groupBy({
      by: ["rfmSegment"],
      where: { shop: { shopDomain: SHOP } },
      _count: true,
    });
    const segment = SEGMENTS.find((candidate) => counts.some((count) => count.rfmSegment === candidate.id))!;
    const rows = (await allPages({ segment: segment.id, sort: "predictedClv" })).flat();
    expect(rows.length).toBe(counts.find((count) => count.rfmSegment === segment.id)!._count);
    expect(rows.every((row) => row.segment?.id === segment.id && row.segment.name === segment.name)).toBe(true);
    expect(rows.map((row) => row.id)).toEqual(
      await orderedIds("predictedClv", "desc", Prisma.sql`AND c."rfmSegment" = ${segment.id}`),
    );
  });

  it("filters the customers at risk: valuable and slipping", async () => {
    const everyone = await prisma.customer.findMany({
      where: { shop: { shopDomain: SHOP } },
      select: { id: true, clvPercentile: true, probabilityAlive: true },
    });
    const expected = everyone.filter(isAtRisk).map((customer) => customer.id);
    expect(expected.length).toBeGreaterThan(0);
    const rows = (await allPages({ atRisk: true }, 20)).flat();
    expect(rows.map((row) => row.id).sort()).toEqual(expected.sort());
    for (const row of rows) {
      expect(row.clvPercentile).toBeGreaterThanOrEqual(AT_RISK.minClvPercentile);
      expect(row.probabilityAlive).toBeLessThan(AT_RISK.maxProbabilityAlive);
    }
  });

  it("searches names and emails, case-insensitively, by any part", async () => {
    const sample = (await listCustomers(SHOP, query({ sort: "netRevenue" }))).rows[0];
    const [firstName, lastName] = sample.name!.split(" ");
    const everyone = await prisma.customer.findMany({
      where: { shop: { shopDomain: SHOP } },
      select: { id: true, firstName: true, lastName: true, email: true },
    });
    const matching = (needle: string) =>
      everyone
        .filter((customer) =>
          [customer.firstName, customer.lastName, `${customer.firstName} ${customer.lastName}`, customer.email].some(
            (field) => field?.toLowerCase().includes(needle.toLowerCase()),
          ),
        )
        .map((customer) => customer.id)
        .sort();
    for (const needle of [
      `${firstName} ${lastName}`.toUpperCase(),
      lastName.slice(1, 4).toLowerCase(),
      sample.email!.split("@")[0],
    ]) {
      const rows = (await allPages({ q: needle })).flat();
      expect(rows.map((row) => row.id).sort()).toEqual(matching(needle));
      expect(rows.length).toBeGreaterThan(0);
    }
    // LIKE's wildcards are taken literally.
    expect((await listCustomers(SHOP, query({ q: "%" }))).rows).toEqual([]);
    expect((await listCustomers(SHOP, query({ q: "_" }))).rows).toEqual([]);
    // The name and the email are searched apart: a term running from the end of one customer's
    // name into their email matches no one by that (a pasted line break is a space).
    const across = parseCustomerListQuery(new URLSearchParams({ q: `${lastName}\n${sample.email!.slice(0, 3)}` })).q!;
    expect(across).toBe(`${lastName} ${sample.email!.slice(0, 3)}`);
    expect((await allPages({ q: across })).flat().map((row) => row.id)).toEqual(matching(across));
  });

  it("searches through the trigram index of the search table", async () => {
    // With sequential and plain index scans priced out (this test shop is small), only a bitmap
    // scan of an index that can answer the text filter is left: the trigram index.
    const plan = await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
      await tx.$executeRaw`SET LOCAL enable_indexscan = off`;
      return tx.$queryRaw<{ "QUERY PLAN": string }[]>`
        EXPLAIN SELECT c."id" FROM "Customer" AS c WHERE ${customerSearchSql("zqxj")}`;
    });
    const text = plan.map((line) => line["QUERY PLAN"]).join("\n");
    expect(text).toContain('Bitmap Index Scan on "CustomerSearch_text_trgm_idx"');
    expect(text).not.toContain("Seq Scan");
  });

  it("combines filters, and tells an empty result from a shop without customers", async () => {
    const none = await listCustomers(SHOP, query({ q: "no such customer anywhere" }));
    expect(none).toMatchObject({ rows: [], filtered: true, anyCustomers: true, nextCursor: null });
    const segment = (await listCustomers(SHOP, query())).rows.find((row) => row.segment)!.segment!;
    const rows = (await allPages({ segment: segment.id, atRisk: true, sort: "orders" })).flat();
    expect(rows.every((row) => row.segment?.id === segment.id && isAtRisk(row))).toBe(true);

    const empty = uniqueShop("customers-empty");
    await ensureShop(empty);
    expect(await listCustomers(empty, query())).toMatchObject({ rows: [], filtered: false, anyCustomers: false });
  });

  it("parses search params, falling back to defaults for bad values", () => {
    const parse = (search: string) => parseCustomerListQuery(new URLSearchParams(search));
    expect(parse("")).toEqual({ sort: "lastOrder", direction: "desc", atRisk: false });
    expect(parse("q=%20%20Ada%0A%20Lovelace%09").q).toBe("Ada Lovelace");
    expect(parse("sort=predictedClv&direction=asc&segment=champions&atRisk=1&q=%20Ada%20")).toEqual({
      sort: "predictedClv",
      direction: "asc",
      segment: "champions",
      atRisk: true,
      q: "Ada",
    });
    expect(parse("sort=DROP TABLE&direction=sideways&segment=vip&atRisk=maybe")).toEqual({
      sort: "lastOrder",
      direction: "desc",
      atRisk: false,
      segment: undefined,
    });
    expect(decodeCursor("not a cursor")).toBeNull();
    expect(decodeCursor(encodeCursor({ sort: "orders", value: "3", id: "c1" }))).toEqual({
      sort: "orders",
      value: "3",
      id: "c1",
    });
  });

  it("ignores a cursor made for another sort, or a forged one", async () => {
    const first = await listCustomers(SHOP, query({ sort: "orders" }));
    const wrongSort = await listCustomers(SHOP, query({ sort: "netRevenue", after: first.nextCursor! }));
    expect(wrongSort.rows).toEqual((await listCustomers(SHOP, query({ sort: "netRevenue" }))).rows);
    const forged = encodeCursor({ sort: "orders", value: "not a number", id: "x" });
    await expect(listCustomers(SHOP, query({ sort: "orders", after: forged }))).rejects.toThrow();
  });
});

describe("the Customers and Customer loaders", () => {
  it("serve the merchant's own customers", async () => {
    const list = await customersLoader(
      routeArgs(await adminFetchRequest(SHOP, "/app/customers?sort=predictedClv&direction=desc&atRisk=1")),
    );
    expect(list.query).toMatchObject({ sort: "predictedClv", direction: "desc", atRisk: true });
    expect(list.list.rows.length).toBeGreaterThan(0);
    expect(list.list.rows.every(isAtRisk)).toBe(true);

    const id = list.list.rows[0].id;
    const customer = await customerLoader({
      ...routeArgs(await adminDocumentRequest(SHOP, `/app/customers/${id}`)),
      params: { id },
    });
    expect(customer.prediction).toEqual(await loadCustomerPrediction(SHOP, id));
    expect(customer.orders.length).toBe(Math.min(customer.ordersTotal, 100));
    const times = customer.orders.map((order) => Date.parse(order.processedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("answer 404 for another shop's customer or an unknown id", async () => {
    const other = uniqueShop("customers-other");
    await ensureShop(other);
    await storeOfflineSession(other);
    const id = (await listCustomers(SHOP, query())).rows[0].id;
    for (const [shop, customerId] of [
      [other, id],
      [SHOP, "no-such-customer"],
    ]) {
      const status = await customerLoader({
        ...routeArgs(await adminFetchRequest(shop, `/app/customers/${customerId}`)),
        params: { id: customerId },
      }).then(
        () => 200,
        (thrown: Response) => thrown.status,
      );
      expect(status).toBe(404);
    }
  });

  it("refuse a request without a valid session token", async () => {
    const id = (await listCustomers(SHOP, query())).rows[0].id;
    const refused = async (load: (request: Request) => Promise<unknown>, path: string) => {
      const request = await adminFetchRequest(SHOP, path);
      const forged = new Request(request.url, {
        headers: { ...Object.fromEntries(request.headers), authorization: "Bearer not.a.token" },
      });
      const statuses = [];
      for (const attempt of [forged, new Request(request.url)]) {
        statuses.push(
          await load(attempt).then(
            () => 200,
            (thrown: Response) => thrown.status,
          ),
        );
      }
      return statuses;
    };
    const [forgedList, bareList] = await refused((request) => customersLoader(routeArgs(request)), "/app/customers");
    expect(forgedList).toBe(401);
    expect([302, 401, 410]).toContain(bareList);
    const [forgedCustomer, bareCustomer] = await refused(
      (request) => customerLoader({ ...routeArgs(request), params: { id } }),
      `/app/customers/${id}`,
    );
    expect(forgedCustomer).toBe(401);
    expect([302, 401, 410]).toContain(bareCustomer);
  });
});
