import type { LoaderFunctionArgs } from "@remix-run/node";

import { customerAccountShopper } from "~/loyalty/storefront/customer-account.server";
import { loyaltyError, loyaltyJson, withShopper } from "~/loyalty/storefront/loyalty-api.server";
import { shopperHistory } from "~/loyalty/shopper.server";

// GET /api/loyalty/history?cursor=… (docs/loyalty-storefront-api.md), for the customer account page.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const door = await customerAccountShopper(request);
  if (door instanceof Response) return door;
  const cursor = new URL(request.url).searchParams.get("cursor");
  if (cursor !== null && !/^[a-z0-9]{1,40}$/.test(cursor))
    return door.cors(loyaltyError(400, "invalidRequest", "The history cursor is not valid."));
  return door.cors(
    await withShopper(door.identity, "read", async (shopper) => loyaltyJson(await shopperHistory(shopper, cursor))),
  );
};
