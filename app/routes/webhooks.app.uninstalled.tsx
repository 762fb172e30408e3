import type { ActionFunctionArgs } from "@remix-run/node";

import { verifyWebhook } from "~/lib/webhooks.server";
import { markShopUninstalled } from "~/services/shops.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await verifyWebhook(request);
  await markShopUninstalled(shop);
  return new Response(null, { status: 200 });
};
