// Webhook payloads beyond orders and customers: privacy (compliance) topics, bulk operations,
// app/uninstalled and the delete topics. Each is checked against the shape Shopify documents for
// its topic, so that a signed body of one topic sent under another is refused, not applied.
import { z } from "zod";

import { shopifyIdSchema } from "./snapshot";

// Shopify's sample shows shop_domain "{shop}.myshopify.com"; the ingest compares it with the
// delivery's shop header.
const shopDomainSchema = z.string().min(1).max(255);

export const customersRedactSchema = z.object({
  shop_id: shopifyIdSchema.nullish(),
  shop_domain: shopDomainSchema,
  customer: z.object({ id: shopifyIdSchema }),
  orders_to_redact: z.array(shopifyIdSchema).nullish(),
});

export const customersDataRequestSchema = z.object({
  shop_id: shopifyIdSchema.nullish(),
  shop_domain: shopDomainSchema,
  customer: z.object({ id: shopifyIdSchema }),
  orders_requested: z.array(shopifyIdSchema).nullish(),
  data_request: z.object({ id: shopifyIdSchema }).nullish(),
});

export const shopRedactSchema = z.object({ shop_id: shopifyIdSchema.nullish(), shop_domain: shopDomainSchema });

export const bulkOperationFinishSchema = z.object({
  admin_graphql_api_id: z.string().startsWith("gid://shopify/BulkOperation/"),
  status: z.string(),
  error_code: z.string().nullish(),
});

// app/uninstalled carries the Shop object: its id, its primary domain and its myshopify domain
// (null in Shopify's sample, the shop's own domain in real deliveries). The keys must be there,
// so that any other JSON object is refused.
export const appUninstalledSchema = z
  .object({
    id: shopifyIdSchema,
    domain: z.string().nullable(),
    myshopify_domain: z.string().nullable(),
  })
  .passthrough();

const isEmpty = (value: unknown) =>
  value === null ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === "object" && value !== null && Object.keys(value).length === 0);

/**
 * customers/delete and orders/delete carry the id alone: Shopify's samples are `{ id }` and
 * `{ id, tax_exemptions: [], admin_graphql_api_id }`. Any other field must be empty (null, [] or
 * {}), and the GID, when sent, must name the same object of the topic's type. A body with the
 * fields of another topic (a customer's name and email, an order's totals) is refused.
 */
export function deletionSchema(type: "Customer" | "Order") {
  return z
    .object({ id: shopifyIdSchema, admin_graphql_api_id: z.string().optional() })
    .passthrough()
    .superRefine((payload, context) => {
      if (
        payload.admin_graphql_api_id !== undefined &&
        payload.admin_graphql_api_id !== `gid://shopify/${type}/${payload.id}`
      ) {
        context.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["admin_graphql_api_id"],
          message: `not ${type} ${payload.id}`,
        });
      }
      const extra = Object.entries(payload).filter(
        ([key, value]) => key !== "id" && key !== "admin_graphql_api_id" && !isEmpty(value),
      );
      for (const [key] of extra) {
        context.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: "a deletion carries only the id" });
      }
    })
    .transform((payload) => ({ id: payload.id }));
}
