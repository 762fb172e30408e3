// How much of a request body the production server (server.ts) reads before answering 413. Every
// body is refused at once when its Content-Length is too large, and a chunked one as soon as the
// bytes received pass the limit: the rest is never kept. Webhooks have their own, larger, limit
// (MAX_WEBHOOK_BYTES) and are served ahead of this one.
import type { RequestHandler } from "express";

// The largest legitimate request outside webhooks is an admin form (the loyalty program's
// settings) or a storefront JSON body: a few KB. A MiB leaves room and still bounds memory.
export const MAX_REQUEST_BYTES = 1024 * 1024;

export const TOO_LARGE = "Request body too large";

/**
 * A Web request's body, or null as soon as it says or turns out to be larger than `maxBytes`: the
 * rest is left unread (under server.ts, Node then stops reading the socket).
 */
export async function readBodyUpTo(request: Request, maxBytes: number): Promise<Buffer | null> {
  if (Number(request.headers.get("Content-Length") ?? 0) > maxBytes) return null;
  const chunks: Uint8Array[] = [];
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      reader.releaseLock();
      return null;
    }
    chunks.push(value);
  }
}

export function capRequestBodies(maxBytes = MAX_REQUEST_BYTES): RequestHandler {
  return (request, response, next) => {
    const refuse = () => {
      // Answer now and close the connection rather than read the rest.
      response.setHeader("Connection", "close");
      response.status(413).type("text/plain").send(TOO_LARGE);
    };
    const declared = request.headers["content-length"];
    if (declared !== undefined && Number(declared) > maxBytes) {
      refuse();
      request.resume();
      return;
    }
    if (request.headers["transfer-encoding"] !== undefined) {
      // Counted where Node's parser hands each chunk to the request, before anyone buffers it.
      let bytes = 0;
      const push = request.push.bind(request);
      request.push = (chunk: Buffer | null, encoding?: BufferEncoding) => {
        if (chunk === null) return bytes > maxBytes || push(chunk, encoding);
        bytes += chunk.length;
        if (bytes <= maxBytes) return push(chunk, encoding);
        if (!response.headersSent) {
          refuse();
          response.once("finish", () => request.destroy());
        }
        return true;
      };
    }
    next();
  };
}
