// The shopper-facing loyalty endpoints' shared half: identity → rate limit → program → JSON, with
// the errors of docs/loyalty-storefront-api.md. The two doors (app proxy, customer account
// session token) differ only in how they find out who is asking.
import { z } from "zod";

import { RateLimiter } from "~/loyalty/storefront/rate-limit.server";
import { findShopper, type Shopper } from "~/loyalty/shopper.server";
import { config } from "~/platform/env.server";
import { readBodyUpTo } from "~/platform/request-body.server";

export type LoyaltyErrorCode =
  | "invalidRequest"
  | "badSignature"
  | "notLoggedIn"
  | "programOff"
  | "rateLimited"
  | "discountFailed"
  | "notEnoughPoints"
  | "belowMinimumOrder"
  | "rewardAlreadyOnOrder"
  | "unknownReward"
  | "excluded"
  | "redemptionClosed"
  | "birthdayAlreadySet"
  | "methodNotAllowed"
  | "foreignOrigin"
  | "bodyTooLarge"
  | "unsupportedMediaType";

export function loyaltyError(
  status: number,
  code: LoyaltyErrorCode,
  message: string,
  init: { headers?: HeadersInit; extra?: Record<string, unknown> } = {},
): Response {
  return Response.json(
    { error: { code, message }, ...init.extra },
    { status, headers: { "Cache-Control": "no-store", ...Object.fromEntries(new Headers(init.headers)) } },
  );
}

export function loyaltyJson(body: unknown, headers: HeadersInit = {}): Response {
  return Response.json(body, { headers: { "Cache-Control": "no-store", ...Object.fromEntries(new Headers(headers)) } });
}

export interface ShopperIdentity {
  shopDomain: string;
  /** Null for a guest. */
  customerShopifyId: bigint | null;
}

// Per shopper: generous for reading, tight for redeeming (each one calls Shopify).
const READS = new RateLimiter(() => config().PERENNIAL_PROXY_READS_PER_MINUTE, 60_000);
const REDEEMS = new RateLimiter(() => config().PERENNIAL_PROXY_REDEEMS_PER_MINUTE, 60_000);

export const NOT_LOGGED_IN = "Log in to your account to see and use your points.";

export async function withShopper(
  identity: ShopperIdentity,
  kind: "read" | "redeem",
  handle: (shopper: Shopper) => Promise<Response>,
  headers: HeadersInit = {},
): Promise<Response> {
  if (identity.customerShopifyId === null)
    return loyaltyError(401, "notLoggedIn", NOT_LOGGED_IN, { headers, extra: { loginUrl: "/account/login" } });
  const limiter = kind === "redeem" ? REDEEMS : READS;
  const wait = limiter.take(`${identity.shopDomain}:${identity.customerShopifyId}`);
  if (wait !== null)
    return loyaltyError(429, "rateLimited", "Too many requests. Please wait a moment and try again.", {
      headers: { ...Object.fromEntries(new Headers(headers)), "Retry-After": String(wait) },
    });
  const found = await findShopper(identity.shopDomain, identity.customerShopifyId);
  if (!found.ok) return loyaltyError(found.status, found.code, found.message, { headers });
  return handle(found.shopper);
}

const amount = z
  .string()
  .trim()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, "cartSubtotal must be an amount like 42.50");

export const redeemRequestSchema = z.object({
  rewardId: z.string().trim().min(1, "rewardId is required").max(100),
  cartToken: z.string().trim().max(200).optional(),
  cartSubtotal: z
    .union([
      amount,
      z
        .number()
        .nonnegative()
        .transform((value) => value.toFixed(2)),
    ])
    .optional(),
});

// A redeem or birthday body is a few dozen bytes; the server's general cap is far larger.
export const MAX_STOREFRONT_BODY_BYTES = 4 * 1024;

export interface BodyRefused {
  ok: false;
  status: number;
  code: LoyaltyErrorCode;
  message: string;
}

const refused = (status: number, code: LoyaltyErrorCode, message: string): BodyRefused => ({
  ok: false,
  status,
  code,
  message,
});

/**
 * A state-changing endpoint's body: JSON only (a form or text/plain body is what a page on another
 * site can send without asking), at most MAX_STOREFRONT_BODY_BYTES, declared or streamed; the rest
 * of a larger body is not read.
 */
async function readStorefrontJson(request: Request): Promise<{ ok: true; raw: unknown } | BodyRefused> {
  const type = (request.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json")
    return refused(415, "unsupportedMediaType", "Send the request body as JSON (Content-Type: application/json).");
  const body = await readBodyUpTo(request, MAX_STOREFRONT_BODY_BYTES);
  if (body === null) return refused(413, "bodyTooLarge", "The request body is too large.");
  try {
    return { ok: true, raw: JSON.parse(body.toString("utf8")) as unknown };
  } catch {
    return refused(400, "invalidRequest", "The request body is not valid JSON.");
  }
}

/** A state-changing endpoint's JSON body, validated by `schema`; a 400 names what is wrong. */
export async function readStorefrontBody<Schema extends z.ZodTypeAny>(
  request: Request,
  schema: Schema,
): Promise<{ ok: true; data: z.output<Schema> } | BodyRefused> {
  const body = await readStorefrontJson(request);
  if (!body.ok) return body;
  const parsed = schema.safeParse(body.raw);
  if (!parsed.success)
    return refused(400, "invalidRequest", parsed.error.issues.map((issue) => issue.message).join("; "));
  return { ok: true, data: parsed.data as z.output<Schema> };
}

/** A redeem body (JSON). */
export async function readRedeemRequest(request: Request) {
  const body = await readStorefrontBody(request, redeemRequestSchema);
  if (!body.ok) return body;
  const { rewardId, cartToken, cartSubtotal } = body.data;
  const cents = cartSubtotal === undefined ? null : Math.round(Number(cartSubtotal) * 100);
  return { ok: true as const, rewardId, cartToken: cartToken ?? null, cartSubtotalCents: cents };
}
