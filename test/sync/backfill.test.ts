// The history backfill and the edited-order re-read, against Shopify's Admin API faked with MSW.
import { afterAll, describe, expect, it } from "vitest";

import prisma from "~/db.server";
import { importBackfill, startBackfill } from "~/sync/backfill-import.server";
import { jobIdFor, jobQueue, QUEUES, stopJobQueue } from "~/platform/jobs.server";
import { onShopAuthenticated } from "~/sync/shops.server";
import { refreshOrder, startSyncWorkers } from "~/sync/jobs.server";

import { adminApi, http, HttpResponse, shopifyApi as shopify } from "../helpers/admin-api";
import { deliver } from "../helpers/deliver";
import { orderGraphqlNode, orderPayload, type OrderFixture } from "../helpers/orders";
import { storeOfflineSession, uniqueShop } from "../helpers/shopify";

afterAll(() => stopJobQueue());

const ORDER_BASE = 5_550_000_000_000_000_000n;
const fixture = (index: number, overrides: Partial<OrderFixture> = {}): OrderFixture => ({
  id: ORDER_BASE + BigInt(index),
  updatedAt: "2025-06-01T12:00:00Z",
  processedAt: new Date(Date.parse("2024-01-01T00:00:00Z") + index * 3_600_000).toISOString(),
  customer: index % 7 === 0 ? null : { id: 6_660_000_000_000_000_000n + BigInt(index % 300) },
  subtotalCents: 1000 + index,
  ...overrides,
});

async function installedShop(label: string) {
  const shop = uniqueShop(label);
  await storeOfflineSession(shop);
  await onShopAuthenticated(shop);
  const row = await prisma.shop.findUniqueOrThrow({ where: { shopDomain: shop } });
  return { shop, shopId: row.id };
}

// A JSONL file served as a stream, optionally breaking after some lines (a crash mid-import).
function jsonlStream(lines: string[], breakAfter?: number) {
  const encoder = new TextEncoder();
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (breakAfter !== undefined && index >= breakAfter) {
        controller.error(new Error("connection reset"));
        return;
      }
      if (index >= lines.length) {
        controller.close();
        return;
      }
      const chunk = lines.slice(index, index + 50);
      index += chunk.length;
      controller.enqueue(encoder.encode(chunk.map((line) => `${line}\n`).join("")));
    },
  });
}

describe("history backfill", () => {
  it("imports every past order through a bulk operation, resumes after a crash, and lets newer webhooks win", async () => {
    const { shop, shopId } = await installedShop("backfill");
    const run = await prisma.backfillRun.findFirstOrThrow({ where: { shopId } });
    expect(run.status).toBe("requested");
    const boss = await jobQueue();
    expect(await boss.findJobs(QUEUES.backfillStart, { data: { shop } })).toHaveLength(1);

    const operationId = "gid://shopify/BulkOperation/147595010";
    let submittedQuery = "";
    shopify.use(
      adminApi(shop).mutation("RunOrdersExport", ({ variables }) => {
        submittedQuery = String(variables.query);
        return HttpResponse.json({
          data: { bulkOperationRunQuery: { bulkOperation: { id: operationId, status: "CREATED" }, userErrors: [] } },
        });
      }),
    );
    await startBackfill({ shop });
    expect(submittedQuery).toContain("orders");
    expect(submittedQuery).toContain("currentSubtotalPriceSet");
    expect(await prisma.backfillRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: "running",
      bulkOperationId: operationId,
    });

    // While Shopify prepares the file, a webhook brings newer data for one order.
    const newer = fixture(3, { updatedAt: "2026-01-01T00:00:00Z", subtotalCents: 99_999 });
    expect((await deliver({ topic: "orders/updated", shop, payload: orderPayload(newer) })).status).toBe(200);

    const finished = {
      admin_graphql_api_id: operationId,
      completed_at: "2026-07-01T12:20:00-04:00",
      created_at: "2026-07-01T12:17:28-04:00",
      error_code: null,
      status: "completed",
      type: "query",
    };
    expect((await deliver({ topic: "bulk_operations/finish", shop, payload: finished })).status).toBe(200);
    expect(await boss.getJobById(QUEUES.backfillImport, jobIdFor(`${QUEUES.backfillImport}:${run.id}`))).not.toBeNull();

    const lines = Array.from({ length: 1200 }, (_, index) => JSON.stringify(orderGraphqlNode(fixture(index))));
    const fileUrl =
      "https://storage.googleapis.com/shopify-tiers-assets-prod-us-east1/bulk-operation-outputs/orders.jsonl";
    let breakAfter: number | undefined = 700;
    shopify.use(
      adminApi(shop).query("BulkOperation", () =>
        HttpResponse.json({
          data: { node: { id: operationId, status: "COMPLETED", errorCode: null, objectCount: "1200", url: fileUrl } },
        }),
      ),
      http.get(
        fileUrl,
        () => new HttpResponse(jsonlStream(lines, breakAfter), { headers: { "Content-Type": "application/jsonl" } }),
      ),
    );

    await expect(importBackfill({ runId: run.id })).rejects.toThrow();
    const interrupted = await prisma.backfillRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(interrupted).toMatchObject({ status: "importing", objectCount: 1200, linesImported: 500 });
    expect(await prisma.order.count({ where: { shopId } })).toBe(500);

    breakAfter = undefined;
    await importBackfill({ runId: run.id });
    expect(await prisma.backfillRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: "completed",
      linesImported: 1200,
    });
    expect(await prisma.order.count({ where: { shopId } })).toBe(1200);
    const kept = await prisma.order.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId, shopifyId: newer.id } } });
    expect(kept.subtotal.toFixed(2)).toBe("999.99");
    const expectedRevenue =
      lines.length && [...Array(1200).keys()].reduce((sum, index) => sum + (index === 3 ? 99_999 : 1000 + index), 0);
    const total = await prisma.order.aggregate({ where: { shopId }, _sum: { netRevenue: true } });
    expect(total._sum.netRevenue!.toFixed(2)).toBe((expectedRevenue / 100).toFixed(2));
    const rollups = await prisma.customer.aggregate({ where: { shopId }, _sum: { ordersCount: true } });
    expect(rollups._sum.ordersCount).toBe(1200 - Math.ceil(1200 / 7));
  });

  it("records a failed bulk operation with Shopify's error code", async () => {
    const { shop, shopId } = await installedShop("backfill-failed");
    const operationId = "gid://shopify/BulkOperation/999";
    await prisma.backfillRun.updateMany({
      where: { shopId },
      data: { bulkOperationId: operationId, status: "running" },
    });
    const finished = {
      admin_graphql_api_id: operationId,
      completed_at: null,
      created_at: "2026-07-01T12:17:28-04:00",
      error_code: "ACCESS_DENIED",
      status: "failed",
      type: "query",
    };
    expect((await deliver({ topic: "bulk_operations/finish", shop, payload: finished })).status).toBe(200);
    expect(await prisma.backfillRun.findFirstOrThrow({ where: { shopId } })).toMatchObject({
      status: "failed",
      error: "ACCESS_DENIED",
    });
  });
});

describe("orders/edited", () => {
  it("re-reads the order through the Admin API in a job, and applies its new totals", async () => {
    const { shop, shopId } = await installedShop("edited");
    const original = fixture(1, { updatedAt: "2026-02-01T00:00:00Z" });
    await deliver({ topic: "orders/create", shop, payload: orderPayload(original) });
    const edited = { ...original, updatedAt: "2026-02-02T00:00:00Z", subtotalCents: 4_321 };
    shopify.use(
      adminApi(shop).query("Order", ({ variables }) =>
        HttpResponse.json({
          data: { order: variables.id === `gid://shopify/Order/${original.id}` ? orderGraphqlNode(edited) : null },
        }),
      ),
    );
    const edit = {
      order_edit: {
        id: 78912328793123782n,
        created_at: "2026-02-02T00:00:00Z",
        committed_at: "2026-02-02T00:00:00Z",
        order_id: original.id,
        line_items: { additions: [], removals: [] },
      },
    };
    const delivery = await deliver({ topic: "orders/edited", shop, payload: edit, eventId: "edit-event" });
    expect(delivery.status).toBe(200);
    const boss = await jobQueue();
    const job = await boss.getJobById(QUEUES.orderRefresh, jobIdFor(`${QUEUES.orderRefresh}:${shop}:edit-event`));
    expect(job?.data).toEqual({ shop, orderId: original.id.toString() });

    // The worker picks the job up and applies the re-read order.
    await startSyncWorkers();
    const deadline = Date.now() + 20_000;
    let order = await prisma.order.findUniqueOrThrow({
      where: { shopId_shopifyId: { shopId, shopifyId: original.id } },
    });
    while (order.subtotal.toFixed(2) !== "43.21" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      order = await prisma.order.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId, shopifyId: original.id } } });
    }
    expect(order.subtotal.toFixed(2)).toBe("43.21");
    expect(order.netRevenue.toFixed(2)).toBe("43.21");
    // Running it again changes nothing.
    await refreshOrder({ shop, orderId: original.id.toString() });
    expect(await prisma.order.count({ where: { shopId } })).toBe(1);
  });
});

describe("a reinstall", () => {
  it("imports the history again, while a second sign-in of an installed shop does not", async () => {
    const { shop, shopId } = await installedShop("reinstall");
    const first = await prisma.backfillRun.findFirstOrThrow({ where: { shopId } });
    await prisma.backfillRun.update({ where: { id: first.id }, data: { status: "completed", finishedAt: new Date() } });

    // Signing in again while installed: the history is already here.
    await onShopAuthenticated(shop);
    expect(await prisma.backfillRun.count({ where: { shopId } })).toBe(1);

    // Uninstalled (as app/uninstalled leaves the shop), then installed again before shop/redact.
    await prisma.shop.update({ where: { id: shopId }, data: { isActive: false, uninstalledAt: new Date() } });
    await onShopAuthenticated(shop);
    const runs = await prisma.backfillRun.findMany({ where: { shopId }, orderBy: { startedAt: "asc" } });
    expect(runs.map((run) => run.status)).toEqual(["completed", "requested"]);
    const boss = await jobQueue();
    expect(await boss.findJobs(QUEUES.backfillStart, { data: { shop } })).toHaveLength(2);
    expect(await prisma.shop.findUniqueOrThrow({ where: { id: shopId } })).toMatchObject({ isActive: true });
  });

  it("gives up an import the uninstall interrupted, and starts a new one", async () => {
    const { shop, shopId } = await installedShop("reinstall-midway");
    const first = await prisma.backfillRun.findFirstOrThrow({ where: { shopId } });
    await prisma.backfillRun.update({
      where: { id: first.id },
      data: { status: "running", bulkOperationId: `gid://shopify/BulkOperation/${Date.now()}` },
    });
    await prisma.shop.update({ where: { id: shopId }, data: { isActive: false, uninstalledAt: new Date() } });
    await onShopAuthenticated(shop);
    const runs = await prisma.backfillRun.findMany({ where: { shopId }, orderBy: { startedAt: "asc" } });
    expect(runs.map((run) => run.status)).toEqual(["failed", "requested"]);
    expect(runs[0].error).toMatch(/uninstalled/);
  });
});
