// Every webhook route starts here: only POST, a bounded body, a valid HMAC, known delivery
// headers, and a JSON body parsed with exact 64-bit ids. Anything else is answered with a 4xx
// before a single row is written.
import { WebhookValidationErrorReason } from "@shopify/shopify-api";

import { parseExactJson } from "~/lib/exact-json";
import { shopifyApiClient } from "~/shopify.server";

// Shopify's largest order payloads are a few hundred KB; anything far larger is not Shopify.
export const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024;

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

async function readBoundedBody(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_WEBHOOK_BYTES) reject(413, "Webhook body too large");
  const body = await request.text();
  if (Buffer.byteLength(body) > MAX_WEBHOOK_BYTES) reject(413, "Webhook body too large");
  return body;
}

export async function verifyWebhook(request: Request): Promise<VerifiedWebhook> {
  if (request.method !== "POST") reject(405, "Webhooks are delivered by POST");
  const rawBody = await readBoundedBody(request);
  const check = await shopifyApiClient.webhooks.validate({ rawBody, rawRequest: request });
  if (!check.valid) {
    if (check.reason === WebhookValidationErrorReason.InvalidHmac) reject(401, "Invalid webhook signature");
    if (check.reason === WebhookValidationErrorReason.MissingHmac) reject(401, "Missing webhook signature");
    reject(
      400,
      `Invalid webhook delivery: ${check.reason}${"missingHeaders" in check ? ` (${check.missingHeaders.join(", ")})` : ""}`,
    );
  }
  let payload: unknown;
  try {
    payload = parseExactJson(rawBody);
  } catch {
    reject(400, "Webhook body is not valid JSON");
  }
  const eventId = ("eventId" in check && check.eventId) || check.webhookId;
  return {
    // As Shopify writes it ("orders/create"); the library's check.topic is the enum form.
    topic: request.headers.get("X-Shopify-Topic") ?? check.topic,
    shop: check.domain,
    webhookId: check.webhookId,
    eventId,
    apiVersion: check.apiVersion,
    triggeredAt: "triggeredAt" in check ? check.triggeredAt : undefined,
    payload,
  };
}
