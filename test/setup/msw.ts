// Shopify's API client keeps a reference to fetch when it is first imported, so MSW must patch
// fetch before any test file's imports: it starts here, for every test file, and refuses any
// request no test expects (nothing may reach the network).
import { setupServer } from "msw/node";
import { afterAll, afterEach } from "vitest";

export const shopifyApi = setupServer();
shopifyApi.listen({ onUnhandledRequest: "error" });
afterEach(() => shopifyApi.resetHandlers());
afterAll(() => shopifyApi.close());
