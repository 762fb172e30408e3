import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import { customerAccountShopper, postOnly, refuseForeignOrigin } from "~/loyalty/storefront/customer-account.server";
import { loyaltyError, loyaltyJson, readRedeemRequest, withShopper } from "~/loyalty/storefront/loyalty-api.server";
import { redeemForCustomer } from "~/loyalty/redemptions.server";

const POST_ONLY = "Redeem with a POST request.";

// Redeeming changes points: POST only. The browser's CORS preflight (OPTIONS) comes here too.
export const loader = ({ request }: LoaderFunctionArgs) => postOnly(request, POST_ONLY);

// POST /api/loyalty/redeem (docs/loyalty-storefront-api.md), for the customer account page.
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return postOnly(request, POST_ONLY);
  const door = await customerAccountShopper(request);
  if (door instanceof Response) return door;
  const foreign = refuseForeignOrigin(request, door.cors);
  if (foreign) return foreign;
  const body = await readRedeemRequest(request);
  if (!body.ok) return door.cors(loyaltyError(body.status, body.code, body.message));
  return door.cors(
    await withShopper(door.identity, "redeem", async (shopper) => {
      const outcome = await redeemForCustomer(shopper.shopDomain, shopper.customerShopifyId, body);
      if (!outcome.ok) return loyaltyError(outcome.status, outcome.code, outcome.message);
      const { ok: _ok, ...redeemed } = outcome;
      return loyaltyJson(redeemed);
    }),
  );
};
