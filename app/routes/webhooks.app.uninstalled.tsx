import { webhookAction } from "~/sync/webhook-route.server";

// Marks the shop inactive and deletes its sessions; its data stays until shop/redact. Like every
// webhook route, server.ts serves it too.
export const webhookTopics = ["app/uninstalled"] as const;

export const action = webhookAction(webhookTopics);
