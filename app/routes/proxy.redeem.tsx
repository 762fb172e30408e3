import type { ActionFunctionArgs } from "@remix-run/node";

import { appProxyShopper, refuseCrossSite } from "~/loyalty/storefront/app-proxy.server";
import { loyaltyError, loyaltyJson, readRedeemRequest, withShopper } from "~/loyalty/storefront/loyalty-api.server";
import { redeemForCustomer } from "~/loyalty/redemptions.server";

// Redeeming changes points: POST only.
export const loader = () =>
  loyaltyError(405, "methodNotAllowed", "Redeem with a POST request.", { headers: { Allow: "POST" } });

// POST /apps/loyalty/redeem (docs/loyalty-storefront-api.md)
export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST")
    return loyaltyError(405, "methodNotAllowed", "Redeem with a POST request.", { headers: { Allow: "POST" } });
  const identity = await appProxyShopper(request);
  if (identity instanceof Response) return identity;
  const crossSite = refuseCrossSite(request, identity.shopDomain);
  if (crossSite) return crossSite;
  const body = await readRedeemRequest(request);
  if (!body.ok) return loyaltyError(body.status, body.code, body.message);
  return withShopper(identity, "redeem", async (shopper) => {
    const outcome = await redeemForCustomer(shopper.shopDomain, shopper.customerShopifyId, body);
    if (!outcome.ok) return loyaltyError(outcome.status, outcome.code, outcome.message);
    const { ok: _ok, ...redeemed } = outcome;
    return loyaltyJson(redeemed);
  });
};
