// Build-time configuration. The Shopify CLI bundles the extension with esbuild and replaces each
// `process.env.NAME` with the value of NAME in its environment (or the app's .env file): build or
// deploy with PERENNIAL_APP_URL=https://your-app.example.com. Left unreplaced, `process` does not
// exist in the extension's worker: reading it throws, and the page falls back (see resolveAppUrl).
declare const process: { env: Record<string, string | undefined> };

export function buildTimeAppUrl(): string | null {
  try {
    return process.env.PERENNIAL_APP_URL ?? null;
  } catch {
    return null;
  }
}
