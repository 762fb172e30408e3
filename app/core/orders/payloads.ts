// Webhook payloads beyond orders and customers: privacy (compliance) topics and bulk operations.
import { z } from "zod";

import { shopifyIdSchema } from "./snapshot";

export const customersRedactSchema = z.object({
  shop_domain: z.string(),
  customer: z.object({ id: shopifyIdSchema }),
  orders_to_redact: z.array(shopifyIdSchema).nullish(),
});

export const customersDataRequestSchema = z.object({
  shop_domain: z.string(),
  customer: z.object({ id: shopifyIdSchema }),
  orders_requested: z.array(shopifyIdSchema).nullish(),
  data_request: z.object({ id: shopifyIdSchema }).nullish(),
});

export const shopRedactSchema = z.object({ shop_domain: z.string() });

export const bulkOperationFinishSchema = z.object({
  admin_graphql_api_id: z.string().startsWith("gid://shopify/BulkOperation/"),
  status: z.string(),
  error_code: z.string().nullish(),
});
