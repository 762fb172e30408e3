// A local stand-in for a Shopify storefront with Perennial's theme app extension
// (extensions/loyalty-theme): it renders the extension's Liquid with liquidjs and a few Shopify
// filters (t, asset_url, money, date: format), serves the extension's assets, and forwards
// /apps/loyalty/* to the running app's /proxy/* the way Shopify's app proxy does: the shopper's
// own query plus shop, logged_in_customer_id, path_prefix, timestamp and an HMAC-SHA256 signature.
//
// Who is signed in is a cookie (customerCookie), as a storefront session would be: a guest has
// none, and the proxy then sends an empty logged_in_customer_id, as Shopify does.
import { createHmac } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

import { Liquid, Tag, type Context, type Emitter, type TagToken, type TopLevelToken } from "liquidjs";

import { freePort } from "../../scripts/lib/free-port";

export const EXTENSION_DIR = path.resolve(import.meta.dirname, "../../extensions/loyalty-theme");
export const PROXY_PREFIX = "/apps/loyalty";
const CUSTOMER_COOKIE = "storefront_customer";

export type Locale = "en" | "fr";
export type BlockName = "points-balance" | "earn-with-product" | "rewards-launcher";
type Json = Record<string, unknown>;

/** The program the app writes to the app-data metafield `perennial.program` (json). */
export interface LoyaltyProgramMetafield {
  enabled: boolean;
  currencyCode: string;
  earn: { pointsPerCurrencyUnit: string };
  bonuses?: Json;
  rewards?: Json[];
  tiers?: Json | null;
}

/** The customer's `$app.loyalty_status` metafield (json). */
export interface LoyaltyStatusMetafield {
  pointsBalance: number;
  pendingPoints: number;
  tier: { id: string; name: string } | null;
  nextTier: { name: string; unit: "money" | "points"; remaining: string; progress: number } | null;
  expiring: { points: number; on: string } | null;
  updatedAt: string;
}

/** A signed-in shopper as Liquid sees them: the id and the app's customer metafields. */
export interface StorefrontCustomer {
  id: string;
  firstName?: string;
  /** `$app.points_balance` (number_integer); null or absent when the app has not written it. */
  pointsBalance?: number | null;
  loyaltyStatus?: LoyaltyStatusMetafield | null;
}

// --- Locales -------------------------------------------------------------------------------

export function localeFile(locale: Locale, kind: "storefront" | "schema" = "storefront"): string {
  const base = locale === "en" ? "en.default" : locale;
  return path.join(EXTENSION_DIR, "locales", `${base}${kind === "schema" ? ".schema" : ""}.json`);
}

export function readLocale(locale: Locale, kind: "storefront" | "schema" = "storefront"): Json {
  return JSON.parse(fs.readFileSync(localeFile(locale, kind), "utf8")) as Json;
}

function lookup(translations: Json, key: string): unknown {
  return key.split(".").reduce<unknown>((node, part) => (node as Json | undefined)?.[part], translations);
}

/**
 * Shopify's `t` filter: the key in the shopper's locale (else the default locale), the plural form
 * for `count` when the key holds one/other forms, and {{ name }} placeholders filled from the
 * keyword arguments. A key nobody translated renders as Shopify's "translation missing" text.
 */
export function translate(locale: Locale, key: string, args: Record<string, unknown> = {}): string {
  let entry = lookup(readLocale(locale), key) ?? lookup(readLocale("en"), key);
  if (entry && typeof entry === "object" && "count" in args) {
    const forms = entry as Json;
    entry = forms[new Intl.PluralRules(locale).select(Number(args.count))] ?? forms.other;
  }
  if (typeof entry !== "string") return `translation missing: ${locale}.${key}`;
  return entry.replace(/\{\{\s*(\w+)\s*\}\}/g, (match, name: string) => (name in args ? String(args[name]) : match));
}

// --- Liquid ----------------------------------------------------------------------------------

// {% schema %} and {% doc %}: Shopify reads them, they render nothing.
class SilentBlock extends Tag {
  constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
    super(token, remainTokens, liquid);
    const end = `end${token.name}`;
    while (remainTokens.length) {
      const next = remainTokens.shift()!;
      if ("name" in next && next.name === end) return;
    }
    throw new Error(`{% ${token.name} %} is not closed`);
  }
  *render(_context: Context, _emitter: Emitter): Generator<unknown, void, unknown> {}
}

/** Keyword arguments (`t: count: 2, tier: 'Gold'`) reach liquidjs filters as [name, value] pairs. */
function keywordArgs(args: unknown[]): Record<string, unknown> {
  return Object.fromEntries(args.filter((arg): arg is [string, unknown] => Array.isArray(arg) && arg.length === 2));
}

function formatCents(cents: number, trimZeros: boolean): string {
  const amount = (Math.round(Number(cents)) / 100).toLocaleString("en-US", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return trimZeros ? amount.replace(/\.00$/, "") : amount;
}

export interface LiquidOptions {
  locale?: Locale;
  /** The storefront's money format, Shopify style. */
  moneyFormat?: string;
}

/** A liquidjs engine that renders the extension's blocks and snippets like Shopify would. */
export function createLiquid(options: LiquidOptions = {}): Liquid {
  const locale = options.locale ?? "en";
  const moneyFormat = options.moneyFormat ?? "${{amount}}";
  const money = (cents: number, trimZeros = false) =>
    moneyFormat.replace(/\{\{\s*amount\s*\}\}/, formatCents(cents, trimZeros));
  const liquid = new Liquid({
    root: [path.join(EXTENSION_DIR, "blocks")],
    partials: [path.join(EXTENSION_DIR, "snippets")],
    extname: ".liquid",
    strictFilters: true,
    jsTruthy: false,
  });
  liquid.registerTag("schema", SilentBlock);
  liquid.registerTag("doc", SilentBlock);
  liquid.registerFilter("t", (key: string, ...args: unknown[]) => translate(locale, key, keywordArgs(args)));
  liquid.registerFilter("asset_url", (name: string) => `/assets/${name}`);
  liquid.registerFilter("money", (cents: number) => money(cents));
  liquid.registerFilter("money_without_trailing_zeros", (cents: number) => money(cents, true));
  liquid.registerFilter("money_without_currency", (cents: number) => formatCents(cents, false));
  // Only Shopify's locale-aware named formats are used by the extension (date: format: 'date').
  liquid.registerFilter("date", (value: string, ...args: unknown[]) => {
    const format = keywordArgs(args).format;
    if (format !== "date") throw new Error(`the storefront stand-in knows only date: format: 'date', not ${format}`);
    return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(value));
  });
  return liquid;
}

/** A block's {% schema %}. */
export function blockSchema(name: BlockName): Json {
  const source = fs.readFileSync(path.join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8");
  const json = /\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/.exec(source)?.[1];
  if (!json) throw new Error(`blocks/${name}.liquid has no schema`);
  return JSON.parse(json) as Json;
}

/** The settings a merchant who changed nothing has: each setting's default. */
export function defaultSettings(name: BlockName): Json {
  const settings = (blockSchema(name).settings ?? []) as { id: string; default?: unknown }[];
  return Object.fromEntries(settings.map((setting) => [setting.id, setting.default ?? null]));
}

export interface RenderContext {
  /** The app-data metafield; null when the app has not written it. */
  program: LoyaltyProgramMetafield | null;
  customer?: StorefrontCustomer | null;
  locale?: Locale;
  /** Overrides of the block's default settings. */
  settings?: Json;
  /** The currency the shopper browses in (cart.currency); the program's by default. */
  cartCurrency?: string;
  /** The product page's selected variant price, in cents. */
  productPrice?: number;
  customerAccountsEnabled?: boolean;
}

function liquidGlobals(name: BlockName, context: RenderContext): Json {
  const customer = context.customer;
  const appMetafields: Json = {};
  if (customer?.pointsBalance != null)
    appMetafields.points_balance = { value: customer.pointsBalance, type: "number_integer" };
  if (customer?.loyaltyStatus) appMetafields.loyalty_status = { value: customer.loyaltyStatus, type: "json" };
  const variant = { id: 1, price: context.productPrice ?? 0 };
  return {
    app: {
      metafields: context.program ? { perennial: { program: { value: context.program, type: "json" } } } : {},
    },
    customer: customer
      ? { id: Number(customer.id), first_name: customer.firstName ?? "", metafields: { $app: appMetafields } }
      : null,
    block: {
      id: `${name}-1`,
      type: `shopify://apps/perennial/blocks/${name}`,
      shopify_attributes: "",
      settings: { ...defaultSettings(name), ...context.settings },
    },
    product: { title: "Demo product", selected_or_first_available_variant: variant },
    cart: { currency: { iso_code: context.cartCurrency ?? context.program?.currencyCode ?? "USD" } },
    shop: { customer_accounts_enabled: context.customerAccountsEnabled ?? true },
    routes: {
      root_url: "/",
      account_login_url: "/account/login",
      account_register_url: "/account/register",
    },
    request: { locale: { iso_code: context.locale ?? "en" }, design_mode: false },
  };
}

/** Renders one of the extension's blocks as Shopify would for this shop and shopper. */
export async function renderBlock(name: BlockName, context: RenderContext): Promise<string> {
  const liquid = createLiquid({ locale: context.locale });
  const source = fs.readFileSync(path.join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8");
  return (await liquid.parseAndRender(source, {}, { globals: liquidGlobals(name, context) })) as string;
}

// --- The app proxy ---------------------------------------------------------------------------

/**
 * Shopify's app proxy signature: HMAC-SHA256 (hex) with the app's secret over the query
 * parameters sorted by key, each as key=value (a repeated key's values joined with ","),
 * concatenated with no separator, `signature` itself left out.
 */
export function proxySignature(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped.keys()]
    .sort()
    .map((key) => `${key}=${grouped.get(key)!.join(",")}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export interface ProxiedRequest {
  method: string;
  /** The path the storefront asked for, e.g. /apps/loyalty/balance. */
  path: string;
  loggedInCustomerId: string;
  status: number;
}

export interface StorefrontOptions {
  /** The running app's origin, e.g. http://127.0.0.1:8123 (its routes are under /proxy). */
  appUrl: string;
  shop: string;
  /** The app's secret, which Shopify signs proxied requests with. */
  apiSecret: string;
  program: LoyaltyProgramMetafield | null;
  /** Signed-in shoppers as the blocks' Liquid sees them, by Shopify customer id. */
  customers?: Record<string, StorefrontCustomer>;
  locale?: Locale;
  /** Settings of the Rewards launcher embed (the defaults otherwise). */
  launcherSettings?: Json;
  /** The product page's variant price in cents. */
  productPrice?: number;
}

export interface RunningStorefront {
  /** The product page, with the two app blocks and the launcher embed. */
  url: string;
  origin: string;
  proxied: ProxiedRequest[];
  /** The cookie of a signed-in shopper, for a browser context's addCookies. */
  customerCookie(customerId: string): { name: string; value: string; url: string };
  close(): Promise<void>;
}

function readCookie(request: http.IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The page a theme would serve: the blocks' stylesheets in the head, the embed's script deferred.
 * The embed goes first in the body (Shopify puts body embeds last) so that anything of it in the
 * page flow would push the page down, and the layout-shift check would see it.
 */
async function productPage(options: StorefrontOptions, customer: StorefrontCustomer | null): Promise<string> {
  const locale = options.locale ?? "en";
  const context: RenderContext = { program: options.program, customer, locale, productPrice: options.productPrice };
  const names: BlockName[] = ["rewards-launcher", "earn-with-product", "points-balance"];
  const [launcher, earn, balance] = await Promise.all(
    names.map((name) =>
      renderBlock(name, { ...context, settings: name === "rewards-launcher" ? options.launcherSettings : undefined }),
    ),
  );
  const schemas = names.map(blockSchema);
  const stylesheets = [...new Set(schemas.map((schema) => schema.stylesheet).filter(Boolean))] as string[];
  const scripts = [...new Set(schemas.map((schema) => schema.javascript).filter(Boolean))] as string[];
  const price = formatCents(options.productPrice ?? 0, false);
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo product</title>
${stylesheets.map((name) => `<link rel="stylesheet" href="/assets/${escapeHtml(name)}">`).join("\n")}
<style>body{margin:0;font-family:system-ui,sans-serif;color:#222}main{max-width:720px;margin:0 auto;padding:24px}</style>
</head>
<body>
${launcher}
<main>
<h1>Demo product</h1>
<p class="price">${price} ${options.program?.currencyCode ?? ""}</p>
${earn}
${balance}
${"<p>A sturdy demo product, described at length so that the page scrolls like a real one.</p>\n".repeat(12)}
</main>
${scripts.map((name) => `<script src="/assets/${escapeHtml(name)}" defer></script>`).join("\n")}
</body>
</html>`;
}

function forwardToApp(
  options: StorefrontOptions,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  incoming: URL,
  proxied: ProxiedRequest[],
): void {
  const customerId = readCookie(request, CUSTOMER_COOKIE) ?? "";
  const target = new URL(`/proxy${incoming.pathname.slice(PROXY_PREFIX.length)}`, options.appUrl);
  for (const [key, value] of incoming.searchParams) target.searchParams.append(key, value);
  target.searchParams.set("shop", options.shop);
  target.searchParams.set("logged_in_customer_id", customerId);
  target.searchParams.set("path_prefix", PROXY_PREFIX);
  target.searchParams.set("timestamp", String(Math.floor(Date.now() / 1000)));
  target.searchParams.set("signature", proxySignature(target.searchParams, options.apiSecret));
  const headers: http.OutgoingHttpHeaders = { accept: request.headers.accept ?? "application/json" };
  if (request.headers["content-type"]) headers["content-type"] = request.headers["content-type"];
  if (request.headers["content-length"]) headers["content-length"] = request.headers["content-length"];
  const upstream = http.request(target, { method: request.method, headers }, (answer) => {
    proxied.push({
      method: request.method ?? "GET",
      path: incoming.pathname,
      loggedInCustomerId: customerId,
      status: answer.statusCode ?? 0,
    });
    const forwarded: http.OutgoingHttpHeaders = {};
    for (const name of ["content-type", "retry-after", "cache-control"]) {
      if (answer.headers[name]) forwarded[name] = answer.headers[name];
    }
    response.writeHead(answer.statusCode ?? 502, forwarded);
    answer.pipe(response);
  });
  upstream.on("error", (error) => {
    if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
    response.end(`proxy error: ${error.message}`);
  });
  request.pipe(upstream);
}

/** Starts the storefront stand-in on a free port of 127.0.0.1. */
export async function startStorefront(options: StorefrontOptions): Promise<RunningStorefront> {
  const host = "127.0.0.1";
  const port = await freePort(host);
  const origin = `http://${host}:${port}`;
  const proxied: ProxiedRequest[] = [];
  const assets = path.join(EXTENSION_DIR, "assets");

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", origin);
    const fail = (error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end(String(error instanceof Error ? error.stack : error));
    };
    if (url.pathname === PROXY_PREFIX || url.pathname.startsWith(`${PROXY_PREFIX}/`)) {
      forwardToApp(options, request, response, url, proxied);
      return;
    }
    if (url.pathname.startsWith("/assets/")) {
      const file = path.join(assets, path.basename(url.pathname));
      if (!fs.existsSync(file)) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { "content-type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream" });
      fs.createReadStream(file).pipe(response);
      return;
    }
    if (url.pathname === "/account/login" || url.pathname === "/account/register") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(`<!doctype html><title>Account</title><h1>${escapeHtml(url.pathname)}</h1>`);
      return;
    }
    if (url.pathname === "/" || url.pathname === "/products/demo") {
      const customerId = readCookie(request, CUSTOMER_COOKIE);
      const customer = customerId ? (options.customers?.[customerId] ?? { id: customerId }) : null;
      productPage(options, customer).then((html) => {
        response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
        response.end(html);
      }, fail);
      return;
    }
    response.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));

  return {
    url: `${origin}/products/demo`,
    origin,
    proxied,
    customerCookie: (customerId) => ({ name: CUSTOMER_COOKIE, value: customerId, url: origin }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
