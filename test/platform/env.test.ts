import { describe, expect, it } from "vitest";

import { readShopifyEnv } from "~/platform/env.server";

const complete = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://perennial.example.com",
  SCOPES: "read_orders, write_customers",
};

describe("readShopifyEnv", () => {
  it("parses a complete configuration", () => {
    expect(readShopifyEnv(complete)).toMatchObject({ SCOPES: ["read_orders", "write_customers"] });
  });

  it("names every missing or invalid variable", () => {
    expect(() => readShopifyEnv({ ...complete, SHOPIFY_API_SECRET: undefined, SHOPIFY_APP_URL: "not a url" })).toThrow(
      /SHOPIFY_API_SECRET is missing[\s\S]*SHOPIFY_APP_URL is invalid/,
    );
    expect(() => readShopifyEnv({})).toThrow(/SHOPIFY_API_KEY is missing/);
  });
});
