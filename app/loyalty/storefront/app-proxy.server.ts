// The app proxy door: Shopify forwards https://{shop}/apps/loyalty/… to /proxy/… with a signed
// query string. The signature is checked by the Shopify library; the shopper is whoever Shopify
// says is logged in (logged_in_customer_id), never anything the browser sends.
//
// Every parameter of the query is signed, and each must appear once. The library signs a repeated
// key as its values joined with commas, so a shopper who adds `logged_in_customer_id=<someone>` to
// the storefront URL gets a request Shopify signed correctly, with their own id second; reading
// the first value would make them that someone. A repeated key is refused before anything else.
import { loyaltyError, type ShopperIdentity } from "~/loyalty/storefront/loyalty-api.server";
import { authenticate } from "~/shopify.server";

const BAD_SIGNATURE = "This request did not come through the store. Reload the page.";

/** The first key that appears more than once in the query, or null. */
export function repeatedParameter(params: URLSearchParams): string | null {
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return null;
}

/**
 * A 403 when a state-changing call through the proxy comes from another site; else null. The
 * launcher posts from the storefront's own page to its own /apps/loyalty path, so the browser says
 * Sec-Fetch-Site: same-origin whatever the storefront's domain. A browser too old to send
 * Sec-Fetch-Site is judged by Origin, which must then be the shop's myshopify.com domain (a custom
 * domain is not known here). No Origin and no Sec-Fetch-Site is not a browser page's request.
 */
export function refuseCrossSite(request: Request, shopDomain: string): Response | null {
  const site = request.headers.get("Sec-Fetch-Site");
  const origin = request.headers.get("Origin");
  const foreign = site !== null ? site !== "same-origin" : origin !== null && origin !== `https://${shopDomain}`;
  return foreign ? loyaltyError(403, "foreignOrigin", "This request did not come from the store's pages.") : null;
}

export async function appProxyShopper(request: Request): Promise<ShopperIdentity | Response> {
  const params = new URL(request.url).searchParams;
  if (repeatedParameter(params) !== null) return loyaltyError(401, "badSignature", BAD_SIGNATURE);
  try {
    await authenticate.public.appProxy(request);
  } catch (thrown) {
    if (thrown instanceof Response) return loyaltyError(401, "badSignature", BAD_SIGNATURE);
    throw thrown;
  }
  const shopDomain = params.get("shop") ?? "";
  const customer = params.get("logged_in_customer_id") ?? "";
  return { shopDomain, customerShopifyId: /^\d{1,20}$/.test(customer) ? BigInt(customer) : null };
}
