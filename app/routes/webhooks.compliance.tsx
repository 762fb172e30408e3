import { webhookAction } from "~/sync/webhook-route.server";

// The mandatory privacy topics, declared as compliance_topics in shopify.app.toml; server.ts
// serves them too.
export const webhookTopics = ["customers/data_request", "customers/redact", "shop/redact"] as const;

export const action = webhookAction(webhookTopics);
