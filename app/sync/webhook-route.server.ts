// Every webhook route: verify (4xx on a forged or malformed delivery), check the topic belongs at
// this address, apply exactly once, and answer 200 only after the effect committed. A signed
// payload that can never be applied is quarantined and answered 200 (webhook-quarantine.server.ts);
// any other failure is a 500 so Shopify delivers again.
//
// One answer, two doors: the Remix action (development, tests) and, in the production server, a
// plain Node handler that skips Remix's request conversion and route matching, which cost more
// CPU per webhook than applying the order (docs/decisions/010-webhook-hot-path.md).
import type { IncomingMessage, ServerResponse } from "node:http";

import type { ActionFunctionArgs } from "@remix-run/node";

import { readBodyUpTo } from "~/platform/request-body.server";
import {
  checkWebhookBodySize,
  MAX_WEBHOOK_BYTES,
  parseWebhookBody,
  verifyWebhookDelivery,
  WebhookRejected,
  type WebhookHttpRequest,
} from "~/sync/webhook-verify.server";
import { ingestWebhook, type IngestOutcome } from "~/sync/webhook-ingest.server";
import { quarantineDelivery, unapplicableReason } from "~/sync/webhook-quarantine.server";

export interface WebhookAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const text = (status: number, message: string): WebhookAnswer => ({
  status,
  headers: { "Content-Type": "text/plain; charset=utf-8" },
  body: message,
});

export async function answerWebhook(request: WebhookHttpRequest, topics: readonly string[]): Promise<WebhookAnswer> {
  let topic = request.header("X-Shopify-Topic");
  try {
    const delivery = verifyWebhookDelivery(request);
    topic = delivery.topic;
    if (!topics.includes(delivery.topic)) return text(400, `${delivery.topic} is not delivered to this address`);
    let outcome: IngestOutcome | "quarantined";
    try {
      outcome = await ingestWebhook(parseWebhookBody(delivery));
    } catch (error) {
      const reason = unapplicableReason(error);
      if (reason === null) throw error;
      await quarantineDelivery(delivery, reason);
      outcome = "quarantined";
    }
    return { status: 200, headers: { "X-Perennial-Outcome": outcome }, body: "" };
  } catch (error) {
    if (error instanceof WebhookRejected) return text(error.status, error.message);
    console.error(
      `[webhooks] ${topic} ${request.header("X-Shopify-Event-Id") ?? ""} for ${request.header("X-Shopify-Shop-Domain")} failed`,
      error,
    );
    return text(500, "The webhook could not be applied; Shopify will deliver it again.");
  }
}

/** The route's action, for Remix. */
export function webhookAction(topics: readonly string[]) {
  return async ({ request }: ActionFunctionArgs): Promise<Response> => {
    let answer: WebhookAnswer;
    try {
      // Read only up to the limit, declared or streamed, as the Node handler does.
      const body = await readBodyUpTo(request, MAX_WEBHOOK_BYTES);
      if (body === null) throw new WebhookRejected(413, "Webhook body too large");
      answer = await answerWebhook(
        { method: request.method, header: (name) => request.headers.get(name), body },
        topics,
      );
    } catch (error) {
      if (!(error instanceof WebhookRejected)) throw error;
      answer = text(error.status, error.message);
    }
    return new Response(answer.body || null, { status: answer.status, headers: answer.headers });
  };
}

/** The same route as a Node handler, for the production server (server.ts). */
export function handleWebhookOverHttp(
  request: IncomingMessage,
  response: ServerResponse,
  topics: readonly string[],
): void {
  const send = (answer: WebhookAnswer) => {
    response.writeHead(answer.status, { ...answer.headers, "Content-Length": Buffer.byteLength(answer.body) });
    response.end(answer.body);
  };
  const refuse = (error: WebhookRejected) => {
    // Answer at once and close the connection, rather than keep an oversized body.
    response.setHeader("Connection", "close");
    send(text(error.status, error.message));
    request.resume();
  };
  try {
    checkWebhookBodySize(Number(request.headers["content-length"] ?? 0));
  } catch (error) {
    if (error instanceof WebhookRejected) return refuse(error);
    throw error;
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  let refused = false;
  request.on("data", (chunk: Buffer) => {
    if (refused) return;
    bytes += chunk.byteLength;
    try {
      checkWebhookBodySize(bytes);
      chunks.push(chunk);
    } catch (error) {
      refused = true;
      chunks.length = 0;
      refuse(error as WebhookRejected);
    }
  });
  request.on("end", () => {
    if (refused) return;
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    const header = (name: string) => {
      const value = request.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(", ") : value;
    };
    answerWebhook({ method: request.method ?? "GET", header, body }, topics).then(send, (error: unknown) => {
      console.error("[webhooks] answering failed", error);
      if (!response.headersSent) send(text(500, "Internal error"));
    });
  });
  request.on("error", () => response.destroy());
}
