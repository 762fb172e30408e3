import { describe, expect, it } from "vitest";

import prisma from "~/db.server";
import { loader } from "~/routes/app.customers.export";
import { refreshClv } from "~/services/clv-refresh.server";
import { ensureShop } from "~/services/shops.server";

import { deliver } from "./helpers/deliver";
import { orderPayload } from "./helpers/orders";
import { adminFetchRequest, routeArgs, storeOfflineSession, uniqueShop } from "./helpers/shopify";

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
        "expected_orders_365d,p_alive,predicted_clv_365d,rfm_segment",
    );
    expect(lines.slice(1).sort()).toEqual(
      [`${big},2,2026-01-01T15:00:00.000Z,2026-02-03T08:30:00.000Z,123.50,USD,,,,`, "42,0,,,0.00,USD,,,,"].sort(),
    );
    // After a refresh the segment column is filled (this shop is too small to fit a model, so
    // the prediction columns stay empty).
    await refreshClv(shop, { trigger: "test" });
    const refreshed = await loader(routeArgs(await adminFetchRequest(shop, "/app/customers/export")));
    const refreshedLines = (await refreshed.text()).trimEnd().split("\n");
    expect(refreshedLines.find((line) => line.startsWith(`${big},`))).toMatch(/,USD,,,,[A-Z][A-Za-z' ]+$/);
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
