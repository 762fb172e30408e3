// The app proxy door: Shopify forwards https://{shop}/apps/loyalty/… to /proxy/… with a signed
// query string. The signature is checked by the Shopify library; the shopper is whoever Shopify
// says is logged in (logged_in_customer_id), never anything the browser sends.
import { loyaltyError, type ShopperIdentity } from "~/loyalty/storefront/loyalty-api.server";
import { authenticate } from "~/shopify.server";

export async function appProxyShopper(request: Request): Promise<ShopperIdentity | Response> {
  try {
    await authenticate.public.appProxy(request);
  } catch (thrown) {
    if (thrown instanceof Response)
      return loyaltyError(401, "badSignature", "This request did not come through the store. Reload the page.");
    throw thrown;
  }
  const params = new URL(request.url).searchParams;
  const shopDomain = params.get("shop") ?? "";
  const customer = params.get("logged_in_customer_id") ?? "";
  return { shopDomain, customerShopifyId: /^\d{1,20}$/.test(customer) ? BigInt(customer) : null };
}
