import type { LoaderFunctionArgs } from "@remix-run/node";

import { appProxyShopper } from "~/loyalty/storefront/app-proxy.server";
import { loyaltyError, loyaltyJson, withShopper } from "~/loyalty/storefront/loyalty-api.server";
import { shopperHistory } from "~/loyalty/shopper.server";

// GET /apps/loyalty/history?cursor=… (docs/loyalty-storefront-api.md)
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const identity = await appProxyShopper(request);
  if (identity instanceof Response) return identity;
  const cursor = new URL(request.url).searchParams.get("cursor");
  if (cursor !== null && !/^[a-z0-9]{1,40}$/.test(cursor))
    return loyaltyError(400, "invalidRequest", "The history cursor is not valid.");
  return withShopper(identity, "read", async (shopper) => loyaltyJson(await shopperHistory(shopper, cursor)));
};
