// The configuration (app/platform/env.server.ts): every variable's rule and default, the README's
// table against the schema, the typed override the tests use, and `npm start` refusing a bad value.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { isDemoMode } from "~/demo/demo-mode.server";
import {
  config,
  ConfigError,
  configOf,
  configSchema,
  embeddedDatabaseInProduction,
  overrideConfig,
  parseConfig,
  type ConfigKey,
} from "~/platform/env.server";

import { freePort } from "../../scripts/lib/free-port";

const ROOT = path.resolve(import.meta.dirname, "../..");

const complete = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://perennial.example.com",
  SCOPES: "read_orders, write_customers",
};

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("no ConfigError");
}

describe("parseConfig", () => {
  it("parses a complete configuration, with every default", () => {
    expect(parseConfig(complete)).toEqual({
      SHOPIFY_API_KEY: "key",
      SHOPIFY_API_SECRET: "secret",
      SHOPIFY_APP_URL: "https://perennial.example.com",
      SCOPES: ["read_orders", "write_customers"],
      DATABASE_URL: undefined,
      DATABASE_POOL_SIZE: 10,
      PERENNIAL_DATA_DIR: ".data/pglite",
      PERENNIAL_EMBEDDED_DATABASE: false,
      NODE_ENV: "production",
      PORT: 3000,
      HOST: "0.0.0.0",
      PERENNIAL_DEMO: false,
      PERENNIAL_PROXY_READS_PER_MINUTE: 120,
      PERENNIAL_PROXY_REDEEMS_PER_MINUTE: 10,
      PERENNIAL_DISCOUNT_TIMEOUT_MS: 8000,
    });
  });

  it("reads the values set, and an empty one as unset", () => {
    expect(
      parseConfig({
        ...complete,
        DATABASE_URL: "postgres://perennial@db.internal:5432/perennial",
        DATABASE_POOL_SIZE: "25",
        PERENNIAL_DATA_DIR: "memory://",
        NODE_ENV: "development",
        PORT: "",
        HOST: "::1",
        PERENNIAL_DEMO: "1",
        PERENNIAL_PROXY_READS_PER_MINUTE: "100000",
        PERENNIAL_PROXY_REDEEMS_PER_MINUTE: " ",
        PERENNIAL_DISCOUNT_TIMEOUT_MS: "200",
      }),
    ).toMatchObject({
      DATABASE_URL: "postgres://perennial@db.internal:5432/perennial",
      DATABASE_POOL_SIZE: 25,
      PERENNIAL_DATA_DIR: "memory://",
      NODE_ENV: "development",
      PORT: 3000,
      HOST: "::1",
      PERENNIAL_DEMO: true,
      PERENNIAL_PROXY_READS_PER_MINUTE: 100_000,
      PERENNIAL_PROXY_REDEEMS_PER_MINUTE: 10,
      PERENNIAL_DISCOUNT_TIMEOUT_MS: 200,
    });
  });

  it("names every missing or invalid variable", () => {
    expect(() => parseConfig({ ...complete, SHOPIFY_API_SECRET: undefined, SHOPIFY_APP_URL: "not a url" })).toThrow(
      /SHOPIFY_API_SECRET is missing[\s\S]*SHOPIFY_APP_URL is invalid/,
    );
    const everything = configErrorOf(() => parseConfig({}));
    for (const name of ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "SCOPES"])
      expect(everything.message).toContain(`${name} is missing`);
  });

  // A bad value for every variable of the schema: a new variable does not compile without one.
  // An empty value counts as unset, so for a required variable it is a missing one.
  const badValues: Record<ConfigKey, string[]> = {
    SHOPIFY_API_KEY: [""],
    SHOPIFY_API_SECRET: [" "],
    SHOPIFY_APP_URL: ["not a url", "ftp://perennial.example.com", "perennial.example.com"],
    SCOPES: [" , "],
    DATABASE_URL: ["mysql://db.internal/perennial", "db.internal"],
    DATABASE_POOL_SIZE: ["abc", "0", "-3", "2.5", "1e3", "0x10", "1001"],
    PERENNIAL_DATA_DIR: ["s3://bucket/pglite"],
    PERENNIAL_EMBEDDED_DATABASE: ["yes", "true"],
    NODE_ENV: ["staging", "Production"],
    PORT: ["http", "0", "65536"],
    HOST: ["https://perennial.example.com", "0.0.0.0/0"],
    PERENNIAL_DEMO: ["yes", "true"],
    PERENNIAL_PROXY_READS_PER_MINUTE: ["0", "many"],
    PERENNIAL_PROXY_REDEEMS_PER_MINUTE: ["-1", "10.5"],
    PERENNIAL_DISCOUNT_TIMEOUT_MS: ["-5", "0", "8s", "60001"],
  };
  const cases = Object.entries(badValues).flatMap(([name, values]) => values.map((value) => [name, value] as const));

  it.each(cases)("stops on %s=%j, naming it and nothing else", (name, value) => {
    const error = configErrorOf(() => parseConfig({ ...complete, [name]: value }));
    const [headline, ...problems] = error.message.split("\n");
    expect(headline).toMatch(/^Perennial cannot start/);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^  ${name} is (missing|invalid): \\S`))]);
  });

  it("checks only the variables asked for, for what runs without the Shopify ones", () => {
    expect(parseConfig({ DATABASE_POOL_SIZE: "5" }, ["DATABASE_URL", "DATABASE_POOL_SIZE"])).toEqual({
      DATABASE_URL: undefined,
      DATABASE_POOL_SIZE: 5,
    });
    expect(() => parseConfig({ DATABASE_POOL_SIZE: "abc" }, ["DATABASE_POOL_SIZE"])).toThrow(
      /DATABASE_POOL_SIZE is invalid/,
    );
  });
});

describe("the README's configuration table", () => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.split(/^## /m).find((part) => part.startsWith("Configuration for a real Shopify app"));
  const rows = (section ?? "")
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => {
      const [variable, what, fallback] = line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim());
      return { name: /^`([A-Z0-9_]+)`$/.exec(variable)?.[1] ?? variable, what, fallback };
    });

  it("lists exactly the schema's variables, one a row", () => {
    expect(rows.map((row) => row.name).sort()).toEqual(Object.keys(configSchema.shape).sort());
    for (const row of rows) expect(row.what, row.name).not.toBe("");
  });

  it("gives each variable's default as the schema applies it", () => {
    const defaults = parseConfig(complete);
    for (const { name, fallback } of rows) {
      const key = name as ConfigKey;
      const literal = /^`([^`]+)`$/.exec(fallback)?.[1];
      if (literal !== undefined) {
        // Setting the variable to the README's default changes nothing.
        expect(parseConfig({ ...complete, [key]: literal })[key], name).toEqual(defaults[key]);
      } else if (fallback === "required") {
        expect(() => parseConfig({ ...complete, [key]: undefined }), name).toThrow(`${name} is missing`);
      } else {
        expect(fallback, name).toMatch(/^unset/);
        expect(defaults[key], name).toBeUndefined();
      }
    }
  });
});

describe("config()", () => {
  it("is the environment's, parsed once", () => {
    expect(config().SHOPIFY_API_KEY).toBe(process.env.SHOPIFY_API_KEY);
    expect(config().NODE_ENV).toBe("test");
    const before = process.env.PERENNIAL_DISCOUNT_TIMEOUT_MS;
    process.env.PERENNIAL_DISCOUNT_TIMEOUT_MS = "-5";
    try {
      expect(config().PERENNIAL_DISCOUNT_TIMEOUT_MS).toBe(8000);
    } finally {
      if (before === undefined) delete process.env.PERENNIAL_DISCOUNT_TIMEOUT_MS;
      else process.env.PERENNIAL_DISCOUNT_TIMEOUT_MS = before;
    }
    expect(config()).toBe(config());
  });

  it("takes typed overrides until they are restored", () => {
    const restoreOuter = overrideConfig({ PERENNIAL_DISCOUNT_TIMEOUT_MS: 200 });
    const restoreInner = overrideConfig({ PERENNIAL_PROXY_REDEEMS_PER_MINUTE: 2 });
    expect(config()).toMatchObject({ PERENNIAL_DISCOUNT_TIMEOUT_MS: 200, PERENNIAL_PROXY_REDEEMS_PER_MINUTE: 2 });
    expect(configOf("PERENNIAL_DISCOUNT_TIMEOUT_MS")).toMatchObject({ PERENNIAL_DISCOUNT_TIMEOUT_MS: 200 });
    restoreInner();
    expect(config()).toMatchObject({ PERENNIAL_DISCOUNT_TIMEOUT_MS: 200, PERENNIAL_PROXY_REDEEMS_PER_MINUTE: 10 });
    restoreOuter();
    expect(config().PERENNIAL_DISCOUNT_TIMEOUT_MS).toBe(8000);
  });
});

describe("demo mode", () => {
  it("is on only when asked for, and never in production", () => {
    const demo = (env: Record<string, string>) => isDemoMode(parseConfig({ ...complete, ...env }));
    expect(demo({ PERENNIAL_DEMO: "1", NODE_ENV: "development" })).toBe(true);
    expect(demo({ PERENNIAL_DEMO: "1", NODE_ENV: "test" })).toBe(true);
    expect(demo({ PERENNIAL_DEMO: "1", NODE_ENV: "production" })).toBe(false);
    // Unset, NODE_ENV counts as production.
    expect(demo({ PERENNIAL_DEMO: "1" })).toBe(false);
    expect(demo({ NODE_ENV: "development" })).toBe(false);
  });
});

describe("production on the embedded database", () => {
  it("is refused unless PERENNIAL_EMBEDDED_DATABASE=1 opts in, and then warned about", () => {
    const verdict = (env: Record<string, string>) => embeddedDatabaseInProduction(parseConfig({ ...complete, ...env }));
    expect(verdict({})).toEqual({
      refuse: expect.stringMatching(/DATABASE_URL is unset.*PERENNIAL_EMBEDDED_DATABASE=1/),
    });
    expect(verdict({ NODE_ENV: "production", PERENNIAL_EMBEDDED_DATABASE: "0" })).toHaveProperty("refuse");
    expect(verdict({ PERENNIAL_EMBEDDED_DATABASE: "1" })).toEqual({
      warn: expect.stringMatching(/embedded database.*\.data\/pglite.*access tokens.*DATABASE_URL/),
    });
    expect(verdict({ PERENNIAL_EMBEDDED_DATABASE: "1", PERENNIAL_DATA_DIR: "memory://" })).toEqual({
      warn: expect.stringMatching(/lost when the process stops/),
    });
    // A real server, or anything but production: nothing to say.
    expect(verdict({ DATABASE_URL: "postgresql://perennial@db.internal/perennial" })).toBeNull();
    expect(verdict({ NODE_ENV: "development" })).toBeNull();
    expect(verdict({ NODE_ENV: "test" })).toBeNull();
  });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `npm start` (tsx server.ts) with these variables over the tests' own; stopped after `stopAfter`. */
function startServer(env: Record<string, string>, stopAfter: (run: Run) => boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
      cwd: ROOT,
      env: { ...process.env, PERENNIAL_DATA_DIR: "memory://", ...env },
    });
    const run: Run = { status: null, stdout: "", stderr: "" };
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    const check = () => stopAfter(run) && child.kill("SIGTERM");
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => ((run.stdout += chunk), check()));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => ((run.stderr += chunk), check()));
    child.once("error", reject);
    child.once("close", (status) => {
      clearTimeout(timer);
      resolve({ ...run, status });
    });
  });
}

describe("npm start", () => {
  it("stops at start on bad values, with the message naming them and nothing started", async () => {
    const port = await freePort();
    const run = await startServer(
      {
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(port),
        DATABASE_POOL_SIZE: "abc",
        PERENNIAL_DISCOUNT_TIMEOUT_MS: "-5",
      },
      (sofar) => sofar.stdout.includes("listening"),
    );
    expect(run.stdout).not.toContain("listening");
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^Perennial cannot start/),
      expect.stringMatching(/^ {2}DATABASE_POOL_SIZE is invalid: /),
      expect.stringMatching(/^ {2}PERENNIAL_DISCOUNT_TIMEOUT_MS is invalid: /),
    ]);
  });

  it("listens where PORT and HOST say with good values", async () => {
    const port = await freePort();
    const run = await startServer(
      // DATABASE_URL empty (unset) even under `npm run test:postgres`: the embedded database.
      {
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(port),
        DATABASE_URL: "",
        PERENNIAL_EMBEDDED_DATABASE: "1",
      },
      (sofar) => sofar.stdout.includes("listening"),
    );
    expect(run.stdout).toContain(`Perennial listening on http://127.0.0.1:${port}`);
    expect(run.stderr).toMatch(/^Warning: production on the embedded database/m);
    expect(run.status).toBe(0);
  });

  it("refuses production on the embedded database without the opt-in, saying why", async () => {
    const port = await freePort();
    const run = await startServer(
      { NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), DATABASE_URL: "" },
      (sofar) => sofar.stdout.includes("listening"),
    );
    expect(run.stdout).not.toContain("listening");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/DATABASE_URL is unset.*PERENNIAL_EMBEDDED_DATABASE=1/);
  });
});
