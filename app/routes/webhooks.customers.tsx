import { webhookAction } from "~/lib/webhook-route.server";

export const action = webhookAction(["customers/create", "customers/update", "customers/delete"]);
