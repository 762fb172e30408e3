// Every webhook route starts here: only POST, a bounded body, a valid HMAC and the delivery headers
// Shopify always sends; anything else is answered with a 4xx before a single row is written. Then
// the JSON body, parsed with exact 64-bit ids: a signed body that is not JSON can never be
// applied, so it goes to quarantine like any other such payload (WebhookPayloadError).
//
// We verify with node:crypto rather than shopify-api's webhooks.validate: that one imports the
// key through WebCrypto and canonicalizes every header on each call, a quarter of a webhook's
// CPU in bench:ingest. The check is the one Shopify documents: base64 HMAC-SHA256 of the raw
// body with the app's secret, compared in constant time.
import { createHmac, timingSafeEqual } from "node:crypto";

import { parseExactJson } from "~/platform/exact-json";
import { webhookSecret } from "~/shopify.server";

// Shopify's largest order payloads are a few hundred KB; anything far larger is not Shopify.
export const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024;

const REQUIRED_HEADERS = ["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-Webhook-Id", "X-Shopify-API-Version"];
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** A delivery whose signature and headers are Shopify's; its body not yet read. */
export interface SignedDelivery {
  topic: string;
  shop: string;
  webhookId: string;
  // Shared by every delivery of one event (the key for ignoring duplicates); the webhook id when absent.
  eventId: string;
  apiVersion: string;
  triggeredAt: string | undefined;
  body: Buffer;
}

export interface VerifiedWebhook extends Omit<SignedDelivery, "body"> {
  payload: unknown;
}

/**
 * A signed payload that can never be applied: not JSON, not its topic's shape, naming another
 * shop. The route keeps it in quarantine and answers 200 (webhook-quarantine.server.ts).
 */
export class WebhookPayloadError extends Error {}

/** What a webhook route needs of an HTTP request, from Remix's Request or Node's IncomingMessage. */
export interface WebhookHttpRequest {
  method: string;
  header(name: string): string | null | undefined;
  body: Buffer;
}

/** A delivery refused before anything is written: answered with its 4xx status and message. */
export class WebhookRejected extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function reject(status: number, message: string): never {
  throw new WebhookRejected(status, message);
}

/** Refuses a body that says, or turns out, to be larger than any Shopify sends. */
export function checkWebhookBodySize(bytes: number): void {
  if (bytes > MAX_WEBHOOK_BYTES) reject(413, "Webhook body too large");
}

export function isValidWebhookSignature(rawBody: Buffer, signature: string, secret: string): boolean {
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  const given = Buffer.from(signature, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function verifyWebhookDelivery(request: WebhookHttpRequest): SignedDelivery {
  if (request.method !== "POST") reject(405, "Webhooks are delivered by POST");
  checkWebhookBodySize(request.body.byteLength);
  const signature = request.header("X-Shopify-Hmac-Sha256");
  if (!signature) reject(401, "Missing webhook signature");
  if (!isValidWebhookSignature(request.body, signature, webhookSecret)) reject(401, "Invalid webhook signature");
  const missing = REQUIRED_HEADERS.filter((name) => !request.header(name));
  if (missing.length) reject(400, `Invalid webhook delivery: missing ${missing.join(", ")}`);
  const shop = request.header("X-Shopify-Shop-Domain")!.toLowerCase();
  if (!SHOP_DOMAIN.test(shop)) reject(400, "Invalid webhook delivery: X-Shopify-Shop-Domain is not a shop domain");
  const webhookId = request.header("X-Shopify-Webhook-Id")!;
  return {
    topic: request.header("X-Shopify-Topic")!,
    shop,
    webhookId,
    eventId: request.header("X-Shopify-Event-Id") || webhookId,
    apiVersion: request.header("X-Shopify-API-Version")!,
    triggeredAt: request.header("X-Shopify-Triggered-At") ?? undefined,
    body: request.body,
  };
}

/** The delivery's JSON body; a WebhookPayloadError when it is not JSON. */
export function parseWebhookBody({ body, ...delivery }: SignedDelivery): VerifiedWebhook {
  try {
    return { ...delivery, payload: parseExactJson(body.toString("utf8")) };
  } catch {
    throw new WebhookPayloadError("Webhook body is not valid JSON");
  }
}
