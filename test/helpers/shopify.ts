// Requests as Shopify sends them, signed with the test app's secret.
import { getHmac, setUpValidRequest, setUpValidSession, RequestType } from "@shopify/shopify-api/test-helpers";

import { sessionStorage } from "~/shopify.server";

export const apiKey = () => process.env.SHOPIFY_API_KEY!;
export const apiSecret = () => process.env.SHOPIFY_API_SECRET!;

export function uniqueShop(label: string): string {
  return `${label}-${Math.random().toString(36).slice(2, 10)}.myshopify.com`;
}

export async function storeOfflineSession(shop: string) {
  const session = setUpValidSession({
    shop,
    isOnline: false,
    expires: new Date(Date.now() + 86_400_000),
    scope: process.env.SCOPES,
  });
  await sessionStorage.storeSession(session);
  return session;
}

const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36";

// A document request from the admin iframe: ?embedded=1&shop&host&id_token (a signed session token).
export async function adminDocumentRequest(shop: string, path = "/app") {
  const request = new Request(`${process.env.SHOPIFY_APP_URL}${path}`, { headers: { "User-Agent": BROWSER } });
  return setUpValidRequest(
    { type: RequestType.Admin, store: shop.replace(".myshopify.com", ""), apiKey: apiKey(), apiSecretKey: apiSecret() },
    request,
  );
}

// A fetch from the embedded app: the session token as a Bearer header, as App Bridge sends it.
export async function adminFetchRequest(shop: string, path: string) {
  const request = new Request(`${process.env.SHOPIFY_APP_URL}${path}`, { headers: { "User-Agent": BROWSER } });
  return setUpValidRequest(
    {
      type: RequestType.Bearer,
      store: shop.replace(".myshopify.com", ""),
      apiKey: apiKey(),
      apiSecretKey: apiSecret(),
    },
    request,
  );
}

export interface WebhookOptions {
  topic: string;
  shop: string;
  body: string;
  eventId?: string;
  webhookId?: string;
  secret?: string;
  omitHeaders?: string[];
  path?: string;
}

export function webhookRequest(options: WebhookOptions): Request {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": options.topic,
    "X-Shopify-Shop-Domain": options.shop,
    "X-Shopify-API-Version": "2026-07",
    "X-Shopify-Webhook-Id": options.webhookId ?? crypto.randomUUID(),
    "X-Shopify-Event-Id": options.eventId ?? crypto.randomUUID(),
    "X-Shopify-Triggered-At": new Date().toISOString(),
    "X-Shopify-Hmac-Sha256": getHmac(options.body, options.secret ?? apiSecret()),
  };
  for (const name of options.omitHeaders ?? []) delete headers[name];
  return new Request(`${process.env.SHOPIFY_APP_URL}${options.path ?? `/webhooks/${options.topic}`}`, {
    method: "POST",
    headers,
    body: options.body,
  });
}

export const routeArgs = (request: Request) => ({ request, params: {}, context: {} });
