// Shopify's Admin GraphQL API, faked with MSW (started in test/setup/msw.ts) in the shapes
// Shopify documents.
import { graphql, http, HttpResponse } from "msw";

export { shopifyApi } from "../setup/msw";

export const adminApi = (shop: string) => graphql.link(`https://${shop}/admin/api/2026-07/graphql.json`);

export { graphql, http, HttpResponse };

/** An answer's extensions.cost, bucket of 2000 restoring 100 a second. */
export const queryCost = (requestedQueryCost: number, actualQueryCost: number | null, currentlyAvailable: number) => ({
  cost: {
    requestedQueryCost,
    actualQueryCost,
    throttleStatus: { maximumAvailable: 2000, currentlyAvailable, restoreRate: 100 },
  },
});

/** Shopify's documented THROTTLED answer (https://shopify.dev/docs/api/usage/rate-limits), HTTP 200. */
export const throttledAnswer = (requestedQueryCost: number, currentlyAvailable: number) =>
  HttpResponse.json<{ errors: { message: string; extensions: Record<string, unknown> }[]; extensions: object }>({
    errors: [
      {
        message: "Throttled",
        extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
      },
    ],
    extensions: queryCost(requestedQueryCost, null, currentlyAvailable),
  });
