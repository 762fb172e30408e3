import type { LoaderFunctionArgs } from "@remix-run/node";

import { customerAccountShopper } from "~/loyalty/storefront/customer-account.server";
import { loyaltyJson, withShopper } from "~/loyalty/storefront/loyalty-api.server";
import { shopperRewards } from "~/loyalty/shopper.server";

// GET /api/loyalty/rewards (docs/loyalty-storefront-api.md), for the customer account page.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const door = await customerAccountShopper(request);
  if (door instanceof Response) return door;
  return door.cors(
    await withShopper(door.identity, "read", async (shopper) => loyaltyJson(await shopperRewards(shopper))),
  );
};
