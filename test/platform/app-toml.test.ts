import fs from "node:fs";

import { describe, expect, it } from "vitest";

// The keys of shopify.app.toml's [build] table that the Shopify CLI accepts; it refuses the file
// over any other (include_config_on_deploy was dropped: config always deploys now).
const BUILD_KEYS = new Set(["automatically_update_urls_on_dev", "dev_store_url"]);

describe("shopify.app.toml", () => {
  it("has only [build] keys the Shopify CLI accepts", () => {
    const toml = fs.readFileSync("shopify.app.toml", "utf8");
    const build = /^\[build\]\n([\s\S]*?)(?=^\s*\[)/m.exec(toml);
    expect(build).not.toBeNull();
    const keys = [...build![1].matchAll(/^\s*([A-Za-z_]+)\s*=/gm)].map((match) => match[1]);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => !BUILD_KEYS.has(key))).toEqual([]);
  });
});
