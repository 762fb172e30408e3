// Shopify's Admin GraphQL API, faked with MSW in the shapes Shopify documents.
import { graphql, http, HttpResponse, type RequestHandler } from "msw";
import { setupServer } from "msw/node";

export const adminApi = (shop: string) => graphql.link(`https://${shop}/admin/api/2026-07/graphql.json`);

export function fakeShopify(...handlers: RequestHandler[]) {
  const server = setupServer(...handlers);
  server.listen({ onUnhandledRequest: "error" });
  return server;
}

export { graphql, http, HttpResponse };
