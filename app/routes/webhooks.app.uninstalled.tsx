import { webhookAction } from "~/lib/webhook-route.server";

// Marks the shop inactive and deletes its sessions; its data stays until shop/redact.
export const action = webhookAction(["app/uninstalled"]);
