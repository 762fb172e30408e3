// Every webhook route starts here: only POST, a bounded body, a valid HMAC, the delivery headers
// Shopify always sends, and a JSON body parsed with exact 64-bit ids. Anything else is answered
// with a 4xx before a single row is written.
//
// We verify with node:crypto rather than shopify-api's webhooks.validate: that one imports the
// key through WebCrypto and canonicalizes every header on each call, a quarter of a webhook's
// CPU in bench:ingest. The check is the one Shopify documents: base64 HMAC-SHA256 of the raw
// body with the app's secret, compared in constant time.
import { createHmac, timingSafeEqual } from "node:crypto";

import { parseExactJson } from "~/lib/exact-json";
import { webhookSecret } from "~/shopify.server";

// Shopify's largest order payloads are a few hundred KB; anything far larger is not Shopify.
export const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024;

const REQUIRED_HEADERS = ["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-Webhook-Id", "X-Shopify-API-Version"];
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export interface VerifiedWebhook {
  topic: string;
  shop: string;
  webhookId: string;
  // Shared by every delivery of one event (the key for ignoring duplicates); the webhook id when absent.
  eventId: string;
  apiVersion: string;
  triggeredAt: string | undefined;
  payload: unknown;
}

function reject(status: number, message: string): never {
  throw new Response(message, { status, headers: { "Content-Type": "text/plain" } });
}

async function readBoundedBody(request: Request): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_WEBHOOK_BYTES) reject(413, "Webhook body too large");
  const body = Buffer.from(await request.arrayBuffer());
  if (body.byteLength > MAX_WEBHOOK_BYTES) reject(413, "Webhook body too large");
  return body;
}

export function isValidWebhookSignature(rawBody: Buffer, signature: string, secret: string): boolean {
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(signature, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function verifyWebhook(request: Request): Promise<VerifiedWebhook> {
  if (request.method !== "POST") reject(405, "Webhooks are delivered by POST");
  const rawBody = await readBoundedBody(request);
  const signature = request.headers.get("X-Shopify-Hmac-Sha256");
  if (!signature) reject(401, "Missing webhook signature");
  if (!isValidWebhookSignature(rawBody, signature, webhookSecret)) reject(401, "Invalid webhook signature");
  const missing = REQUIRED_HEADERS.filter((name) => !request.headers.get(name));
  if (missing.length) reject(400, `Invalid webhook delivery: missing ${missing.join(", ")}`);
  const shop = request.headers.get("X-Shopify-Shop-Domain")!.toLowerCase();
  if (!SHOP_DOMAIN.test(shop)) reject(400, "Invalid webhook delivery: X-Shopify-Shop-Domain is not a shop domain");
  let payload: unknown;
  try {
    payload = parseExactJson(rawBody.toString("utf8"));
  } catch {
    reject(400, "Webhook body is not valid JSON");
  }
  const webhookId = request.headers.get("X-Shopify-Webhook-Id")!;
  return {
    topic: request.headers.get("X-Shopify-Topic")!,
    shop,
    webhookId,
    eventId: request.headers.get("X-Shopify-Event-Id") || webhookId,
    apiVersion: request.headers.get("X-Shopify-API-Version")!,
    triggeredAt: request.headers.get("X-Shopify-Triggered-At") ?? undefined,
    payload,
  };
}
