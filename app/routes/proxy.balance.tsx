import type { LoaderFunctionArgs } from "@remix-run/node";

import { appProxyShopper } from "~/loyalty/storefront/app-proxy.server";
import { loyaltyJson, withShopper } from "~/loyalty/storefront/loyalty-api.server";
import { shopperBalance } from "~/loyalty/shopper.server";

// GET /apps/loyalty/balance (docs/loyalty-storefront-api.md)
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const identity = await appProxyShopper(request);
  if (identity instanceof Response) return identity;
  return withShopper(identity, "read", async (shopper) => loyaltyJson(await shopperBalance(shopper)));
};
