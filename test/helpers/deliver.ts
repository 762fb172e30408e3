import { action as bulkOperationsAction } from "~/routes/webhooks.bulk_operations.finish";
import { action as complianceAction } from "~/routes/webhooks.compliance";
import { action as customersAction } from "~/routes/webhooks.customers";
import { action as ordersAction } from "~/routes/webhooks.orders";
import { action as uninstalledAction } from "~/routes/webhooks.app.uninstalled";

import { shopifyJson } from "./orders";
import { routeArgs, webhookRequest, type WebhookOptions } from "./shopify";

const ACTIONS: Record<string, (args: ReturnType<typeof routeArgs>) => Promise<Response>> = {
  orders: ordersAction,
  refunds: ordersAction,
  customers: customersAction,
  bulk_operations: bulkOperationsAction,
  shop: complianceAction,
  app: uninstalledAction,
};

const COMPLIANCE = new Set(["customers/redact", "customers/data_request", "shop/redact"]);

export interface Delivery {
  status: number;
  outcome: string | null;
  body: string;
}

// Delivers a webhook to the route Shopify would send it to, signed unless told otherwise.
export async function deliver(
  options: Omit<WebhookOptions, "body"> & { payload: unknown; raw?: boolean; route?: keyof typeof ACTIONS },
): Promise<Delivery> {
  const body = options.raw ? String(options.payload) : shopifyJson(options.payload);
  const action = options.route
    ? ACTIONS[options.route]
    : COMPLIANCE.has(options.topic)
      ? complianceAction
      : ACTIONS[options.topic.split("/")[0]];
  try {
    const response = await action(routeArgs(webhookRequest({ ...options, body })));
    return {
      status: response.status,
      outcome: response.headers.get("X-Perennial-Outcome"),
      body: await response.text(),
    };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, outcome: null, body: await thrown.text() };
    throw thrown;
  }
}
