import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";

import prisma from "~/db.server";
import { config } from "~/platform/env.server";
import { onShopAuthenticated } from "~/sync/shops.server";

const env = config();

export const API_VERSION = ApiVersion.July26;

const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  scopes: env.SCOPES,
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  future: {
    // Embedded auth by token exchange: Shopify manages installation from shopify.app.toml.
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session }) => {
      await onShopAuthenticated(session.shop);
    },
  },
});

// Signs webhooks and session tokens; app/sync/webhook-verify.server.ts verifies webhooks with it.
export const webhookSecret = env.SHOPIFY_API_SECRET;

export default shopify;
export const apiVersion = API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
/**
 * Whether a session token's claims are those of a staff user in a shop's admin: `dest` is
 * https://{shop}, `iss` that shop's admin (https://{shop}/admin; Shopify's own test helpers
 * leave out the scheme) and `sub` a staff user id (decimal digits). The library checks only the
 * signature, expiry and audience, so any token this app signs for another audience (a customer
 * account's, whose `sub` is a customer gid and `dest` a bare domain) would otherwise open the
 * admin, or crash it.
 */
export function isStaffAdminToken(claims: unknown): boolean {
  if (typeof claims !== "object" || claims === null) return false;
  const { iss, dest, sub } = claims as Record<string, unknown>;
  if (typeof iss !== "string" || typeof dest !== "string" || typeof sub !== "string") return false;
  if (!/^[1-9][0-9]{0,19}$/.test(sub)) return false;
  let destUrl: URL;
  try {
    destUrl = new URL(dest);
  } catch {
    return false;
  }
  if (destUrl.protocol !== "https:" || `https://${destUrl.host}` !== dest.replace(/\/$/, "")) return false;
  const shop = destUrl.hostname;
  if (!/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/.test(shop)) return false;
  return iss === `https://${shop}/admin` || iss === `${shop}/admin`;
}

// The token's claims, unverified (the library verifies the signature right after): enough to
// refuse a token that could never be a staff user's before the library acts on it.
function sessionTokenClaims(request: Request): unknown {
  const token =
    request.headers.get("authorization")?.replace("Bearer ", "") ?? new URL(request.url).searchParams.get("id_token");
  if (!token) return undefined;
  try {
    return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as unknown;
  } catch {
    return null;
  }
}

const unauthorized = () => new Response(undefined, { status: 401, statusText: "Unauthorized" });

/** authenticate.admin, open only to a staff user of the shop the token names; 401 otherwise. */
const authenticateAdmin: typeof shopify.authenticate.admin = async (request) => {
  const claims = sessionTokenClaims(request);
  // No token: the library's document flow (bounce page, install); unreadable: its own 401.
  if (claims !== undefined && claims !== null && !isStaffAdminToken(claims)) throw unauthorized();
  const context = await shopify.authenticate.admin(request);
  if ("sessionToken" in context && context.sessionToken && !isStaffAdminToken(context.sessionToken)) {
    throw unauthorized();
  }
  return context;
};

// Every app.* loader and action reaches the admin through authenticate.admin.
export const authenticate: typeof shopify.authenticate = { ...shopify.authenticate, admin: authenticateAdmin };
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
