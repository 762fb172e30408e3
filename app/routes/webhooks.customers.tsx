import { webhookAction } from "~/sync/webhook-route.server";

// The topics Shopify delivers to this address (shopify.app.toml); server.ts serves them too.
export const webhookTopics = ["customers/create", "customers/update", "customers/delete"] as const;

export const action = webhookAction(webhookTopics);
