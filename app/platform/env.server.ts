// The app's configuration, read once from the environment and validated, so that a missing or
// malformed variable stops the app at start with a message naming it, not deep inside a request.
import { z } from "zod";

const shopifyEnvSchema = z.object({
  SHOPIFY_API_KEY: z.string().min(1, "the app's client ID from the Partner Dashboard"),
  SHOPIFY_API_SECRET: z.string().min(1, "the app's client secret from the Partner Dashboard"),
  SHOPIFY_APP_URL: z.string().url("the public https URL the app is served from"),
  SCOPES: z
    .string()
    .min(1, "comma-separated access scopes, as in shopify.app.toml")
    .transform((scopes) =>
      scopes
        .split(",")
        .map((scope) => scope.trim())
        .filter(Boolean),
    ),
});

export type ShopifyEnv = z.infer<typeof shopifyEnvSchema>;

export function readShopifyEnv(env: Record<string, string | undefined> = process.env): ShopifyEnv {
  const parsed = shopifyEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join(".");
      return env[name] ? `  ${name} is invalid: ${issue.message}` : `  ${name} is missing: ${issue.message}`;
    });
    throw new Error(
      `Perennial cannot start: fix these environment variables (see README, "Configuration"):\n${problems.join("\n")}`,
    );
  }
  return parsed.data;
}

// Where the embedded database keeps its files when DATABASE_URL is unset.
export function embeddedDataDir(env: Record<string, string | undefined> = process.env): string {
  return env.PERENNIAL_DATA_DIR || ".data/pglite";
}
