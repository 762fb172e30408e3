// Applies one verified webhook exactly once in effect. The delivery's event id is recorded in the
// same transaction as its effect: a second delivery of the event finds it and changes nothing,
// and a failure rolls both back so Shopify's retry applies it. The route answers 200 only after
// this commits.
import type { Prisma } from "@prisma/client";
import { z } from "zod";

import prisma, { databasePool } from "~/db.server";
import {
  appUninstalledSchema,
  bulkOperationFinishSchema,
  customersDataRequestSchema,
  customersRedactSchema,
  deletionSchema,
  shopRedactSchema,
} from "~/core/orders/payloads";
import {
  type OrderSnapshot,
  customerWebhookSchema,
  orderEditedSchema,
  orderWebhookSchema,
  refundWebhookSchema,
} from "~/core/orders/snapshot";
import { type VerifiedWebhook, WebhookPayloadError } from "~/sync/webhook-verify.server";
import { recordBulkOperationFinished } from "~/sync/backfill-request.server";
import { enqueue, jobQueue, QUEUES } from "~/platform/jobs.server";
import { applyRefund, deleteOrder, orderJson, redactCustomer, upsertCustomer } from "~/sync/orders.server";
import { welcomeNewMember } from "~/loyalty/members.server";
import { applyOrderLoyaltyForShop } from "~/loyalty/order-points.server";
import { findShopFacts, forgetShop, type ShopFacts } from "~/loyalty/shop-facts.server";
import { forgetQuarantinedCustomer, recordDataRequest } from "~/sync/privacy.server";

type Tx = Prisma.TransactionClient;
interface Context {
  shopId: string;
  webhook: VerifiedWebhook;
  /** The shop's loyalty program is on: orders and customers also change points, in the same transaction. */
  loyalty: boolean;
}

export { WebhookPayloadError };

const scopesUpdateSchema = z.object({ current: z.array(z.string()) });

export type IngestOutcome = "applied" | "duplicate" | "unknown-shop" | "shop-deleted" | "shop-installed";

// A payload that names a shop must name the one whose signed delivery this is: a privacy request
// for another shop never touches this shop's rows. (Shopify also sends shop_id; Perennial does not
// store the shop's Shopify id, so the domain is what is compared.)
function sameShop(webhook: VerifiedWebhook, named: string | null | undefined): void {
  if (named && named.toLowerCase() !== webhook.shop) {
    throw new WebhookPayloadError(`${webhook.topic} names ${named} but was delivered for ${webhook.shop}`);
  }
}

interface TopicHandler<Schema extends z.ZodTypeAny> {
  schema: Schema;
  apply(tx: Tx, payload: z.output<Schema>, context: Context): Promise<unknown>;
}

const handle = <Schema extends z.ZodTypeAny>(handler: TopicHandler<Schema>) => handler;

// Every topic but the order snapshots (orders/create, /updated, /cancelled: ingestOrderSnapshot).
const HANDLERS: Record<string, TopicHandler<z.ZodTypeAny>> = {
  // An edit carries no totals: re-read the order through the Admin API, in a job.
  "orders/edited": handle({
    schema: orderEditedSchema,
    apply: (tx, edit, { webhook }) =>
      enqueue(
        tx,
        QUEUES.orderRefresh,
        { shop: webhook.shop, orderId: edit.order_edit.order_id.toString() },
        { key: `${webhook.shop}:${webhook.eventId}` },
      ),
  }),
  "orders/delete": handle({
    schema: deletionSchema("Order"),
    apply: async (tx, { id }, { shopId, loyalty }) => {
      await deleteOrder(tx, shopId, id);
      if (loyalty) await applyOrderLoyaltyForShop(tx, shopId, id);
    },
  }),
  "refunds/create": handle({
    schema: refundWebhookSchema,
    apply: async (tx, refund, { shopId, loyalty }) => {
      await applyRefund(tx, shopId, refund);
      if (loyalty) await applyOrderLoyaltyForShop(tx, shopId, refund.orderShopifyId);
    },
  }),
  "customers/create": handle({
    schema: customerWebhookSchema,
    apply: async (tx, customer, { shopId, loyalty }) => {
      const customerId = await upsertCustomer(tx, shopId, customer);
      if (loyalty) await welcomeNewMember(tx, shopId, customerId);
    },
  }),
  "customers/update": handle({
    schema: customerWebhookSchema,
    apply: (tx, customer, { shopId }) => upsertCustomer(tx, shopId, customer),
  }),
  // Perennial keeps no customer Shopify deleted: erase what identifies them, keep the amounts.
  "customers/delete": handle({
    schema: deletionSchema("Customer"),
    apply: async (tx, { id }, { shopId, webhook }) => {
      await redactCustomer(tx, shopId, id);
      await forgetQuarantinedCustomer(tx, webhook.shop, id);
    },
  }),
  "customers/redact": handle({
    schema: customersRedactSchema,
    apply: async (tx, request, { shopId, webhook }) => {
      sameShop(webhook, request.shop_domain);
      await redactCustomer(tx, shopId, request.customer.id);
      await forgetQuarantinedCustomer(tx, webhook.shop, request.customer.id);
    },
  }),
  "customers/data_request": handle({
    schema: customersDataRequestSchema,
    apply: (tx, request, { shopId, webhook }) => {
      sameShop(webhook, request.shop_domain);
      return recordDataRequest(tx, shopId, request.customer.id, request.data_request?.id.toString() ?? null);
    },
  }),
  "bulk_operations/finish": handle({
    schema: bulkOperationFinishSchema,
    apply: (tx, operation, { shopId }) => recordBulkOperationFinished(tx, shopId, operation),
  }),
  "app/uninstalled": handle({
    schema: appUninstalledSchema,
    apply: async (tx, shop, { shopId, webhook }) => {
      sameShop(webhook, shop.myshopify_domain);
      await tx.session.deleteMany({ where: { shop: webhook.shop } });
      await tx.shop.update({ where: { id: shopId }, data: { isActive: false, uninstalledAt: new Date() } });
    },
  }),
};

const ORDER_SNAPSHOT_TOPICS = new Set(["orders/create", "orders/updated", "orders/cancelled"]);

// An order snapshot: the delivery record and the order in one statement, perennial_ingest_order.
const INGEST_ORDER = "SELECT perennial_ingest_order($1, $2, $3, $4, $5, $6::jsonb) AS outcome";

async function ingestOrderSnapshot(webhook: VerifiedWebhook, shop: ShopFacts, order: OrderSnapshot) {
  const values = [webhook.shop, webhook.eventId, webhook.topic, webhook.webhookId, shop.id, orderJson(order)];
  if (!shop.loyalty) {
    // The hot path: one round trip on Prisma's own pool, without Prisma, whose query compilation
    // cost more CPU per webhook than the statement itself (decision 010). Unnamed, so that it works
    // through PgBouncer-style poolers and PGlite's socket server, where sessions are shared.
    const pool = await databasePool();
    const { rows } = await pool.query<{ outcome: IngestOutcome }>(INGEST_ORDER, values);
    return rows[0].outcome;
  }
  // With a loyalty program the points change in the order's transaction (decision 008). The
  // values are bound as parameters, as above.
  return prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRawUnsafe<{ outcome: IngestOutcome }[]>(INGEST_ORDER, ...values);
    if (row.outcome === "applied") await applyOrderLoyaltyForShop(tx, shop.id, order.shopifyId);
    return row.outcome;
  });
}

// Topics whose handlers enqueue a job inside their transaction.
const ENQUEUING_TOPICS = new Set(["orders/edited", "bulk_operations/finish"]);

function parsePayload<Schema extends z.ZodTypeAny>(schema: Schema, webhook: VerifiedWebhook): z.output<Schema> {
  const parsed = schema.safeParse(webhook.payload);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`);
    throw new WebhookPayloadError(`Invalid ${webhook.topic} payload: ${problems.slice(0, 5).join("; ")}`);
  }
  return parsed.data;
}

async function recordDelivery(tx: Tx, webhook: VerifiedWebhook): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO "WebhookDelivery" ("shopDomain", "eventId", "topic", "webhookId")
    VALUES (${webhook.shop}, ${webhook.eventId}, ${webhook.topic}, ${webhook.webhookId})
    ON CONFLICT DO NOTHING`;
  return inserted === 1;
}

export async function ingestWebhook(webhook: VerifiedWebhook): Promise<IngestOutcome> {
  if (webhook.topic === "shop/redact") {
    const { shop_domain } = parsePayload(shopRedactSchema, webhook);
    // The shop erased is the one whose signed delivery this is; the payload must agree.
    sameShop(webhook, shop_domain);
    // Shopify sends it 48 hours after uninstall: every row of the shop goes (customers, orders,
    // refunds… cascade). A shop that is installed (again) keeps its rows: the request is
    // acknowledged and logged. The shop's row is locked first, so a reinstall waits for us or we
    // see it.
    const outcome = await prisma.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ isActive: boolean }[]>`
        SELECT "isActive" FROM "Shop" WHERE "shopDomain" = ${webhook.shop} FOR UPDATE`;
      if (row?.isActive) return "shop-installed" as const;
      await tx.shop.deleteMany({ where: { shopDomain: webhook.shop } });
      await tx.session.deleteMany({ where: { shop: webhook.shop } });
      await tx.webhookDelivery.deleteMany({ where: { shopDomain: webhook.shop } });
      await tx.webhookQuarantine.deleteMany({ where: { shopDomain: webhook.shop } });
      return "shop-deleted" as const;
    });
    if (outcome === "shop-installed") {
      console.warn(`[webhooks] shop/redact for ${webhook.shop}, which is installed: acknowledged, nothing deleted`);
    } else {
      forgetShop(webhook.shop);
    }
    return outcome;
  }
  if (webhook.topic === "app/scopes_update") {
    const { current } = parsePayload(scopesUpdateSchema, webhook);
    await prisma.session.updateMany({ where: { shop: webhook.shop }, data: { scope: current.join(",") } });
    return "applied";
  }
  const snapshot = ORDER_SNAPSHOT_TOPICS.has(webhook.topic);
  const handler = HANDLERS[webhook.topic];
  if (!snapshot && !handler) throw new WebhookPayloadError(`Perennial does not handle ${webhook.topic}`);
  const payload = parsePayload(snapshot ? orderWebhookSchema : handler.schema, webhook);

  const shop = await findShopFacts(webhook.shop);
  if (!shop) {
    console.warn(`[webhooks] ${webhook.topic} for unknown shop ${webhook.shop}: ignored`);
    return "unknown-shop";
  }
  if (snapshot) return ingestOrderSnapshot(webhook, shop, payload as OrderSnapshot);
  if (ENQUEUING_TOPICS.has(webhook.topic)) await jobQueue();
  return prisma.$transaction(async (tx) => {
    if (!(await recordDelivery(tx, webhook))) return "duplicate" as const;
    await handler.apply(tx, payload, { shopId: shop.id, webhook, loyalty: shop.loyalty });
    return "applied" as const;
  });
}
