import { webhookAction } from "~/lib/webhook-route.server";

export const action = webhookAction(["app/scopes_update"]);
