// The app's configuration: every environment variable the app reads, in one schema, read once
// from the environment and validated, so that a missing or malformed variable stops the app at
// start with a message naming it, not deep inside a request. README, "Configuration", lists the
// same variables (test/platform/env.test.ts keeps the two in step).
import { z } from "zod";

type Env = Record<string, string | undefined>;

// An empty variable (`NAME=`) counts as unset, as it always has here.
const unset = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

function required(what: string) {
  return z.preprocess(unset, z.string({ required_error: what }).min(1, what));
}

/** Digits only: no sign, fraction, exponent or hex slips through as a number. */
function wholeNumber(what: string, min: number, max: number, fallback: number) {
  const rule = `${what}, a whole number from ${min} to ${max} (default ${fallback})`;
  return z.preprocess(
    unset,
    z
      .string()
      .regex(/^\d+$/, rule)
      .transform(Number)
      .pipe(z.number().min(min, rule).max(max, rule))
      .default(String(fallback)),
  );
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, rule: string, fallback: T[number]) {
  return z.preprocess(unset, z.enum(values, { errorMap: () => ({ message: rule }) }).default(fallback));
}

const APP_URL = "the public http(s) URL the app is served from";
const SCOPES = "comma-separated access scopes, as in shopify.app.toml";
const DATA_DIR = "a folder for the embedded database, or memory:// to keep it in memory";

export const configSchema = z.object({
  // Shopify (the CLI sets these under `shopify app dev`).
  SHOPIFY_API_KEY: required("the app's client ID from the Partner Dashboard"),
  SHOPIFY_API_SECRET: required("the app's client secret from the Partner Dashboard"),
  SHOPIFY_APP_URL: z.preprocess(
    unset,
    z.string({ required_error: APP_URL }).refine((url) => URL.canParse(url) && /^https?:\/\//.test(url), APP_URL),
  ),
  SCOPES: z.preprocess(
    unset,
    z
      .string({ required_error: SCOPES })
      .transform((scopes) =>
        scopes
          .split(",")
          .map((scope) => scope.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string()).min(1, SCOPES)),
  ),

  // The database (README, "Database").
  DATABASE_URL: z.preprocess(
    unset,
    z
      .string()
      .regex(/^postgres(ql)?:\/\/./, "a PostgreSQL connection string, postgresql://…")
      .optional(),
  ),
  DATABASE_POOL_SIZE: wholeNumber("connections to DATABASE_URL's server", 1, 1000, 10),
  PERENNIAL_DATA_DIR: z.preprocess(
    unset,
    z
      .string()
      .refine((dir) => dir.startsWith("memory://") || !/^[a-z][a-z0-9+.-]*:\/\//i.test(dir), DATA_DIR)
      .default(".data/pglite"),
  ),

  PERENNIAL_EMBEDDED_DATABASE: oneOf(
    ["0", "1"],
    "1 to run production on the embedded database (no DATABASE_URL), 0 or unset to refuse",
    "0",
  ).transform((allowed) => allowed === "1"),

  // The process: `npm start` (server.ts) listens on PORT and HOST.
  NODE_ENV: oneOf(["production", "development", "test"], "production, development or test", "production"),
  PORT: wholeNumber("the port to listen on", 1, 65535, 3000),
  HOST: z.preprocess(
    unset,
    z
      .string()
      .regex(/^[\w.:-]+$/, "the host name or IP address to listen on, not a URL")
      .default("0.0.0.0"),
  ),
  PERENNIAL_DEMO: oneOf(["0", "1"], "1 for demo mode, 0 or unset for none", "0").transform((demo) => demo === "1"),

  // The loyalty program's storefront endpoints, per shopper and process.
  PERENNIAL_PROXY_READS_PER_MINUTE: wholeNumber("storefront reads per shopper per minute", 1, 1_000_000, 120),
  PERENNIAL_PROXY_REDEEMS_PER_MINUTE: wholeNumber("storefront redemptions per shopper per minute", 1, 1_000_000, 10),
  PERENNIAL_DISCOUNT_TIMEOUT_MS: wholeNumber("milliseconds a redemption waits for Shopify", 1, 60_000, 8000),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigKey = keyof Config;

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Validates `env` against the schema, or only the given variables of it; throws a ConfigError naming each bad one. */
export function parseConfig(env: Env): Config;
export function parseConfig<K extends ConfigKey>(env: Env, keys: readonly K[]): Pick<Config, K>;
export function parseConfig(env: Env, keys?: readonly ConfigKey[]): Partial<Config> {
  const schema = keys
    ? configSchema.pick(Object.fromEntries(keys.map((key) => [key, true])) as Partial<Record<ConfigKey, true>>)
    : configSchema;
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  // One line a variable: its first problem says what it should be.
  const problems = new Map<string, string>();
  for (const issue of result.error.issues) {
    const name = issue.path.join(".");
    if (!problems.has(name))
      problems.set(name, `  ${name} is ${unset(env[name]) === undefined ? "missing" : "invalid"}: ${issue.message}`);
  }
  throw new ConfigError(
    `Perennial cannot start: fix these environment variables (see README, "Configuration"):\n${[...problems.values()].join("\n")}`,
  );
}

/**
 * Production without DATABASE_URL: refused, unless PERENNIAL_EMBEDDED_DATABASE=1 opts in, and then
 * a warning that says what it means. Null elsewhere (development, tests, a real server).
 */
export function embeddedDatabaseInProduction(
  settings: Pick<Config, "NODE_ENV" | "DATABASE_URL" | "PERENNIAL_EMBEDDED_DATABASE" | "PERENNIAL_DATA_DIR">,
): { refuse: string } | { warn: string } | null {
  if (settings.NODE_ENV !== "production" || settings.DATABASE_URL) return null;
  const where = settings.PERENNIAL_DATA_DIR.startsWith("memory://")
    ? "in memory, lost when the process stops"
    : `in ${settings.PERENNIAL_DATA_DIR}`;
  if (!settings.PERENNIAL_EMBEDDED_DATABASE)
    return {
      refuse:
        "Perennial cannot start: NODE_ENV is production and DATABASE_URL is unset. Set DATABASE_URL to " +
        "a PostgreSQL server, or PERENNIAL_EMBEDDED_DATABASE=1 to run on the embedded database " +
        '(README, "Database").',
    };
  return {
    warn:
      `Warning: production on the embedded database (PERENNIAL_EMBEDDED_DATABASE=1), ${where}: one ` +
      "process only, no backups or replicas, and every shop's access tokens in that one place. Set " +
      "DATABASE_URL to a PostgreSQL server for a real deployment.",
  };
}

let parsed: Config | undefined;
let overrides: Partial<Config> = {};
let current: Readonly<Config> | undefined;

/**
 * The configuration, parsed from process.env on the first call (server.ts makes that call at
 * start, before anything else runs) and the same object after it.
 */
export function config(): Readonly<Config> {
  parsed ??= parseConfig(process.env);
  return (current ??= Object.freeze({ ...parsed, ...overrides }));
}

/**
 * Only some variables, for what runs without the Shopify ones (the database, the scripts):
 * the whole configuration once it is parsed, else just these, from process.env.
 */
export function configOf<K extends ConfigKey>(...keys: K[]): Readonly<Pick<Config, K>> {
  if (parsed) return config();
  return { ...parseConfig(process.env, keys), ...overrides };
}

/**
 * For tests: these values instead of the environment's until the returned function restores
 * the previous ones. Read at use, as every setting is, they apply to what runs next.
 */
export function overrideConfig(values: Partial<Config>): () => void {
  const previous = overrides;
  overrides = { ...overrides, ...values };
  current = undefined;
  return () => {
    overrides = previous;
    current = undefined;
  };
}
