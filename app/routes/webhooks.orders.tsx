import { webhookAction } from "~/lib/webhook-route.server";

export const action = webhookAction([
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "orders/edited",
  "orders/delete",
  "refunds/create",
]);
