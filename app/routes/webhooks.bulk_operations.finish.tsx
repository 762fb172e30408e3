import { webhookAction } from "~/lib/webhook-route.server";

export const action = webhookAction(["bulk_operations/finish"]);
