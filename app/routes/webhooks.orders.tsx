import { webhookAction } from "~/sync/webhook-route.server";

// The topics Shopify delivers to this address (shopify.app.toml); server.ts serves them too.
export const webhookTopics = [
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "orders/edited",
  "orders/delete",
  "refunds/create",
] as const;

export const action = webhookAction(webhookTopics);
