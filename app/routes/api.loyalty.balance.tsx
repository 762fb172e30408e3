import type { LoaderFunctionArgs } from "@remix-run/node";

import { customerAccountShopper } from "~/loyalty/storefront/customer-account.server";
import { loyaltyJson, withShopper } from "~/loyalty/storefront/loyalty-api.server";
import { shopperBalance } from "~/loyalty/shopper.server";

// GET /api/loyalty/balance (docs/loyalty-storefront-api.md), for the customer account page. Its
// `birthday` ("MM-DD" or null) tells the page whether to offer the birthday form.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const door = await customerAccountShopper(request);
  if (door instanceof Response) return door;
  return door.cors(
    await withShopper(door.identity, "read", async (shopper) => loyaltyJson(await shopperBalance(shopper))),
  );
};
