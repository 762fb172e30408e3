// Issue 12 item 4, elsewhere: a \u0000 in the Customers list's search, in a customer id or in a
// cursor, and a list cursor the app never made, are a 400 from the loaders, never a 500.
import { beforeAll, describe, expect, it } from "vitest";

import prisma from "~/db.server";
import { CUSTOMER_SORTS, encodeCursor, isWellFormedCursor, listCustomers } from "~/insight/customers-list.server";
import { loader as customerLoader } from "~/routes/app.customers.$id";
import { loader as customersLoader } from "~/routes/app.customers._index";
import { ensureShop } from "~/sync/shops.server";

import { adminFetchRequest, routeArgs, storeOfflineSession, uniqueShop } from "../helpers/shopify";

const SHOP = uniqueShop("list-input");

beforeAll(async () => {
  const { id: shopId } = await ensureShop(SHOP);
  await storeOfflineSession(SHOP);
  for (const [index, probability] of [0.00001234, 0.5, 1].entries()) {
    await prisma.customer.create({
      data: {
        shopId,
        shopifyId: BigInt(1000 + index),
        email: `ada-${index}@example.com`,
        ordersCount: index + 1,
        netRevenue: `${index * 12.5}`,
        lastOrderAt: new Date(Date.UTC(2026, 1, 28, 23, 59, 59, 123 * index)),
        predictedClv365d: `${index * 3.333}`,
        probabilityAlive: probability,
      },
    });
  }
});

const statusOf = (load: Promise<unknown>) =>
  load.then(
    () => 200,
    (thrown: unknown) => (thrown instanceof Response ? thrown.status : 500),
  );

const list = async (search: string) =>
  statusOf(customersLoader(routeArgs(await adminFetchRequest(SHOP, `/app/customers?${search}`))));

const base64url = (text: string) => Buffer.from(text).toString("base64url");

describe("the Customers list loader", () => {
  it("answers 400 to a \\u0000 in the search or any parameter", async () => {
    expect(await list("q=Ada")).toBe(200);
    expect(await list("q=Ada%00")).toBe(400);
    expect(await list("tier=%00")).toBe(400);
  });

  it("answers 400 to a cursor it never made", async () => {
    const forged = [
      encodeCursor({ sort: "orders", value: "not a number", id: "x" }),
      encodeCursor({ sort: "lastOrder", value: "2026-02-30 10:00:00", id: "x" }),
      encodeCursor({ sort: "probabilityAlive", value: "1e999", id: "x" }),
      encodeCursor({ sort: "orders", value: "3", id: "c\u0000" }),
      base64url('["orders","3\\u0000","c1"]'),
      base64url("not json"),
      "%00",
    ];
    for (const cursor of forged) {
      expect(await list(`sort=orders&after=${encodeURIComponent(cursor)}`), cursor).toBe(400);
      expect(await list(`sort=orders&before=${encodeURIComponent(cursor)}`), cursor).toBe(400);
    }
  });

  it("accepts every cursor it makes, and a stale one of another sort", async () => {
    for (const sort of CUSTOMER_SORTS) {
      for (const direction of ["asc", "desc"] as const) {
        const page = await listCustomers(SHOP, { sort, direction, atRisk: false }, 1);
        expect(page.nextCursor, sort).not.toBeNull();
        expect(isWellFormedCursor(page.nextCursor!), `${sort} ${page.nextCursor}`).toBe(true);
        expect(await list(`sort=${sort}&direction=${direction}&after=${page.nextCursor}`)).toBe(200);
      }
    }
    const stale = encodeCursor({ sort: "orders", value: "3", id: "c1" });
    expect(await list(`sort=netRevenue&after=${stale}`)).toBe(200);
  });
});

describe("the Customer loader", () => {
  it("answers 400 to a \\u0000 in the id or the points cursor, 404 to an unknown id", async () => {
    const customer = async (id: string, search = "") =>
      statusOf(
        customerLoader({
          ...routeArgs(await adminFetchRequest(SHOP, `/app/customers/${encodeURIComponent(id)}${search}`)),
          params: { id },
        }),
      );
    expect(await customer("no-such-customer")).toBe(404);
    expect(await customer("c\u0000")).toBe(400);
    expect(await customer("no-such-customer", "?pointsCursor=%00")).toBe(400);
  });
});
