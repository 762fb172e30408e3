// Shopify's Admin GraphQL API, faked with MSW (started in test/setup/msw.ts) in the shapes
// Shopify documents.
import { graphql, http, HttpResponse } from "msw";

export { shopifyApi } from "../setup/msw";

export const adminApi = (shop: string) => graphql.link(`https://${shop}/admin/api/2026-07/graphql.json`);

export { graphql, http, HttpResponse };
