// The customer account door: the customer account UI extension (extensions/loyalty-account) calls
// /api/loyalty/… with the session token Shopify gave it as a Bearer header. The Shopify library
// checks the token's signature and answers the CORS preflight; the shop is the token's `dest`,
// the shopper its `sub`, never anything else the request says. The extension runs on another
// origin, so every answer (errors included) carries the CORS headers or the browser hides it.
import { z } from "zod";

import prisma from "~/db.server";
import {
  loyaltyError,
  readStorefrontBody,
  type BodyRefused,
  type ShopperIdentity,
} from "~/loyalty/storefront/loyalty-api.server";
import { ensureCustomerRow, isBirthday, setMemberBirthday } from "~/loyalty/members.server";
import type { Shopper } from "~/loyalty/shopper.server";
import { config } from "~/platform/env.server";
import { authenticate } from "~/shopify.server";

export type Cors = (response: Response) => Response;

export interface CustomerAccountDoor {
  identity: ShopperIdentity;
  cors: Cors;
}

const BAD_TOKEN = "Your session has expired. Reload the page to try again.";
// The library exposes only its reauthorize header; a 429's Retry-After must be readable too.
const EXPOSED = "X-Shopify-API-Request-Failure-Reauthorize-Url, Retry-After";

// What the library's `cors` helper adds once a token is valid; its own refusals (thrown before
// there is a helper) carry none, so the same headers are added to them here.
function corsHeaders(request: Request): Record<string, string> {
  const origin = request.headers.get("Origin");
  if (!origin || origin === config().SHOPIFY_APP_URL) return {};
  return {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Expose-Headers": EXPOSED,
  };
}

function withCors(request: Request, response: Response): Response {
  for (const [name, value] of Object.entries(corsHeaders(request))) response.headers.set(name, value);
  return response;
}

/** The shop's domain from the token's `dest`: a bare host ("shop.myshopify.com") or a URL. */
export function shopFromDest(dest: unknown): string | null {
  if (typeof dest !== "string" || dest === "") return null;
  let host: string;
  try {
    host = dest.includes("://") ? new URL(dest).host : dest;
  } catch {
    return null;
  }
  host = host.toLowerCase();
  return /^[a-z0-9][a-z0-9.-]{0,252}$/.test(host) ? host : null;
}

/** The customer's id from the token's `sub` ("gid://shopify/Customer/<id>"); null for a guest. */
export function customerFromSub(sub: unknown): bigint | null {
  if (typeof sub !== "string") return null;
  const match = /^gid:\/\/shopify\/Customer\/(\d{1,20})$/.exec(sub);
  return match ? BigInt(match[1]) : null;
}

/**
 * Who is asking, and the CORS helper to pass every answer through; or the answer itself: the
 * preflight (204), or 401 badSignature for a missing, forged, expired or foreign token.
 */
export async function customerAccountShopper(request: Request): Promise<CustomerAccountDoor | Response> {
  let context;
  try {
    context = await authenticate.public.customerAccount(request);
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    if (thrown.status === 401) return loyaltyError(401, "badSignature", BAD_TOKEN, { headers: corsHeaders(request) });
    // The preflight already has its headers; anything else (a bot's 410) gets them too.
    return withCors(request, thrown);
  }
  const { sessionToken, cors: libraryCors } = context;
  const cors: Cors = (response) => {
    libraryCors(response);
    if (response.headers.has("Access-Control-Allow-Origin"))
      response.headers.set("Access-Control-Expose-Headers", EXPOSED);
    return response;
  };
  // The library skips the audience check for these tokens; Shopify documents it as the app's key.
  const shopDomain = shopFromDest(sessionToken.dest);
  if (sessionToken.aud !== config().SHOPIFY_API_KEY || !shopDomain)
    return cors(loyaltyError(401, "badSignature", BAD_TOKEN));
  return { identity: { shopDomain, customerShopifyId: customerFromSub(sessionToken.sub) }, cors };
}

// Where the customer account extension's calls come from: Shopify's extension sandbox
// (https://extensions.shopifycdn.com) or another Shopify origin, or the app itself. The call is
// cross-site by design (Sec-Fetch-Site: cross-site is normal here), and the Bearer token, which no
// other page can attach, is what proves the shopper; a browser Origin outside Shopify is refused
// all the same on the endpoints that change something. An opaque Origin ("null", a sandboxed
// frame or worker, which is how extension sandboxes may run) is let through: it names no foreign
// site, and without the token it gets nothing.
const SHOPIFY_ORIGIN = /^https:\/\/(?:[a-z0-9-]+\.)*(?:shopifycdn\.com|shopify\.com|myshopify\.com)$/;

/** A 403 (with CORS headers) when a state-changing call comes from a browser page outside Shopify; else null. */
export function refuseForeignOrigin(request: Request, cors: Cors): Response | null {
  const origin = request.headers.get("Origin");
  if (
    origin === null ||
    origin === "null" ||
    SHOPIFY_ORIGIN.test(origin) ||
    origin === new URL(config().SHOPIFY_APP_URL).origin
  )
    return null;
  return cors(loyaltyError(403, "foreignOrigin", "This request did not come from your account page."));
}

/** Non-POST requests to a POST-only endpoint: the preflight is answered, anything else refused. */
export async function postOnly(request: Request, message: string): Promise<Response> {
  if (request.method === "OPTIONS") {
    // The library answers a preflight (204 with the CORS headers) before looking at any token.
    const door = await customerAccountShopper(request);
    if (door instanceof Response) return door;
  }
  return loyaltyError(405, "methodNotAllowed", message, { headers: { Allow: "POST", ...corsHeaders(request) } });
}

// A real calendar day ("02-29" allowed: the bonus falls on 28 February in other years).
export const birthdaySchema = z.object({
  birthday: z
    .string({ message: "Enter your birthday as month and day, like 04-23." })
    .trim()
    .refine(isBirthday, "Enter your birthday as month and day, like 04-23."),
});

/** A birthday body (JSON). */
export async function readBirthdayRequest(request: Request): Promise<{ ok: true; birthday: string } | BodyRefused> {
  const body = await readStorefrontBody(request, birthdaySchema);
  return body.ok ? { ok: true, birthday: body.data.birthday } : body;
}

/**
 * Saves the shopper's birthday once. A shopper Perennial has not seen yet gets their customer
 * row first (as a redemption does); an existing row is left as it is.
 */
export async function saveShopperBirthday(
  shopper: Shopper,
  birthday: string,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const customerId =
    shopper.customer?.id ?? (await ensureCustomerRow(prisma, shopper.shopId, shopper.customerShopifyId));
  return prisma.$transaction((tx) => setMemberBirthday(tx, shopper.shopId, customerId, birthday));
}
