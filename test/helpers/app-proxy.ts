// Storefront requests as Shopify's app proxy forwards them: the query signed with the app secret
// (HMAC-SHA256, hex, over the sorted key=value pairs joined with nothing).
import { createHmac } from "node:crypto";

import { apiSecret } from "./shopify";

export function signProxyQuery(params: Record<string, string>, secret = apiSecret()): URLSearchParams {
  const message = Object.keys(params)
    .sort()
    .map((key) => `${key}=${params[key]}`)
    .join("");
  const signature = createHmac("sha256", secret).update(message).digest("hex");
  return new URLSearchParams({ ...params, signature });
}

export function proxyRequest(
  shop: string,
  endpoint: string,
  options: {
    customerId?: bigint | null;
    method?: "GET" | "POST";
    body?: unknown;
    query?: Record<string, string>;
    secret?: string;
  } = {},
): Request {
  const params = signProxyQuery(
    {
      ...options.query,
      shop,
      logged_in_customer_id: options.customerId ? options.customerId.toString() : "",
      path_prefix: "/apps/loyalty",
      timestamp: String(Math.floor(Date.now() / 1000)),
    },
    options.secret,
  );
  return new Request(`${process.env.SHOPIFY_APP_URL}/proxy/${endpoint}?${params}`, {
    method: options.method ?? "GET",
    headers: options.body === undefined ? {} : { "Content-Type": "application/json" },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
}
