// Signs a Shopify session token (an HS256 JWT with the app's secret), exactly as the admin's
// App Bridge would hand one to the app. Used only where no Shopify admin exists: the demo.
import { createHmac, randomUUID } from "node:crypto";

export interface SessionTokenClaims {
  shop: string;
  apiKey: string;
  apiSecret: string;
  userId?: string;
  ttlSeconds?: number;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function signSessionToken({
  shop,
  apiKey,
  apiSecret,
  userId = "1",
  ttlSeconds = 60,
}: SessionTokenClaims): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: apiKey,
      sub: userId,
      exp: now + ttlSeconds,
      nbf: now - 5,
      iat: now,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = createHmac("sha256", apiSecret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

// The `host` parameter the admin passes to embedded apps: base64 of the shop's admin URL.
export function adminHostParam(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`).toString("base64url");
}
