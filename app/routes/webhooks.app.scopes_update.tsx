import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";

import { verifyWebhook } from "~/lib/webhooks.server";
import { updateGrantedScopes } from "~/services/shops.server";

const scopesUpdate = z.object({ current: z.array(z.string()) });

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, payload } = await verifyWebhook(request);
  const parsed = scopesUpdate.safeParse(payload);
  if (!parsed.success) return new Response("Payload lacks the current scopes", { status: 400 });
  await updateGrantedScopes(shop, parsed.data.current);
  return new Response(null, { status: 200 });
};
