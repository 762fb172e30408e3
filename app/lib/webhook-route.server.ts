// Every webhook route: verify (4xx on bad input), check the topic belongs at this address, apply
// exactly once, and answer 200 only after the effect committed. An unexpected failure propagates
// as a 500 so Shopify delivers again.
import type { ActionFunctionArgs } from "@remix-run/node";

import { verifyWebhook } from "~/lib/webhooks.server";
import { ingestWebhook, WebhookPayloadError } from "~/services/webhook-ingest.server";

const text = (status: number, message: string) =>
  new Response(message, { status, headers: { "Content-Type": "text/plain" } });

export function webhookAction(topics: readonly string[]) {
  return async ({ request }: ActionFunctionArgs): Promise<Response> => {
    const webhook = await verifyWebhook(request);
    if (!topics.includes(webhook.topic)) return text(400, `${webhook.topic} is not delivered to this address`);
    try {
      const outcome = await ingestWebhook(webhook);
      return new Response(null, { status: 200, headers: { "X-Perennial-Outcome": outcome } });
    } catch (error) {
      if (error instanceof WebhookPayloadError) return text(400, error.message);
      console.error(`[webhooks] ${webhook.topic} ${webhook.eventId} for ${webhook.shop} failed`, error);
      throw error;
    }
  };
}
