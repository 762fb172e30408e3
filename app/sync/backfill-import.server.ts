// The history backfill: after install, every past order comes through one bulk operation.
// Shopify prepares a JSONL file (one order a line) and says so with bulk_operations/finish; the
// import streams it line by line in constant memory, committing its progress with each batch so
// a crash resumes where it stopped. Orders go through applyOrderSnapshot, so a webhook that
// arrived meanwhile with newer data wins. Requesting a backfill is backfill-request.server.ts.
import readline from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

import prisma from "~/db.server";
import { ORDER_GRAPHQL_FIELDS, orderGraphqlSchema } from "~/core/orders/snapshot";
import { adminGraphql } from "~/platform/shopify-admin.server";
import { applyOrderSnapshot } from "~/sync/orders.server";

const BATCH_LINES = 500;

export const BULK_ORDERS_QUERY = `{ orders { edges { node { ${ORDER_GRAPHQL_FIELDS} } } } }`;

const RUN_BULK_QUERY = `#graphql
  mutation RunOrdersExport($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation { id status }
      userErrors { field message }
    }
  }`;

const BULK_OPERATION = `#graphql
  query BulkOperation($id: ID!) {
    node(id: $id) { ... on BulkOperation { id status errorCode objectCount url } }
  }`;

export async function startBackfill({ shop }: { shop: string }): Promise<void> {
  const shopRow = await prisma.shop.findUnique({ where: { shopDomain: shop } });
  if (!shopRow) return;
  const run = await prisma.backfillRun.findFirst({ where: { shopId: shopRow.id, status: "requested" } });
  if (!run) return;
  const data = await adminGraphql<{
    bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: { message: string }[] };
  }>(shop, RUN_BULK_QUERY, { query: BULK_ORDERS_QUERY });
  const { bulkOperation, userErrors } = data.bulkOperationRunQuery;
  // Typically "A bulk query operation for this app and shop is already in progress": retried later.
  if (!bulkOperation) throw new Error(`bulkOperationRunQuery: ${userErrors.map((error) => error.message).join("; ")}`);
  await prisma.backfillRun.update({
    where: { id: run.id },
    data: { bulkOperationId: bulkOperation.id, status: "running" },
  });
}

export async function importBackfill({ runId }: { runId: string }): Promise<void> {
  const run = await prisma.backfillRun.findUnique({ where: { id: runId }, include: { shop: true } });
  if (!run || !run.bulkOperationId || run.status === "completed" || run.status === "failed") return;
  const { node } = await adminGraphql<{
    node: { status: string; errorCode: string | null; objectCount: string; url: string | null } | null;
  }>(run.shop.shopDomain, BULK_OPERATION, { id: run.bulkOperationId });
  if (!node) throw new Error(`Bulk operation ${run.bulkOperationId} not found`);
  const objectCount = Number(node.objectCount);
  await prisma.backfillRun.update({ where: { id: run.id }, data: { status: "importing", objectCount } });
  if (node.url) await importLines(run.id, run.shopId, node.url, run.linesImported);
  await prisma.backfillRun.update({ where: { id: run.id }, data: { status: "completed", finishedAt: new Date() } });
}

async function importLines(runId: string, shopId: string, url: string, alreadyImported: number): Promise<void> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`Bulk operation file: HTTP ${response.status}`);
  const lines = readline.createInterface({
    input: Readable.fromWeb(response.body as unknown as WebReadableStream),
    crlfDelay: Infinity,
  });
  let lineNumber = 0;
  let batch: { lineNumber: number; text: string }[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const last = batch[batch.length - 1].lineNumber;
    const snapshots = batch.map(({ lineNumber: number, text }) => {
      const parsed = orderGraphqlSchema.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(`Bulk operation file, line ${number}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
    await prisma.$transaction(
      async (tx) => {
        for (const snapshot of snapshots) await applyOrderSnapshot(tx, shopId, snapshot);
        await tx.backfillRun.update({ where: { id: runId }, data: { linesImported: last } });
      },
      { timeout: 120_000 },
    );
    batch = [];
  };
  try {
    for await (const text of lines) {
      lineNumber++;
      if (lineNumber <= alreadyImported || !text.trim()) continue;
      batch.push({ lineNumber, text });
      if (batch.length >= BATCH_LINES) await flush();
    }
    await flush();
  } catch (error) {
    if (
      error instanceof SyntaxError ||
      (error instanceof Error && error.message.startsWith("Bulk operation file, line"))
    ) {
      await prisma.backfillRun.update({
        where: { id: runId },
        data: { status: "failed", error: (error as Error).message, finishedAt: new Date() },
      });
    }
    throw error;
  }
}
