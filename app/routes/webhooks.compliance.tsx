import { webhookAction } from "~/lib/webhook-route.server";

// The mandatory privacy topics, declared as compliance_topics in shopify.app.toml.
export const action = webhookAction(["customers/data_request", "customers/redact", "shop/redact"]);
