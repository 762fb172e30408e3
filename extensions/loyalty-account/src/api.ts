// Perennial's loyalty API as the customer account page calls it: {app}/api/loyalty/{endpoint} with
// the customer account session token as a Bearer header (docs/loyalty-storefront-api.md). Nothing
// here touches Shopify's globals: the page hands in the token getter and fetch, tests fakes.

export interface Balance {
  shopper: { customerId: string; firstName: string | null };
  currencyCode: string;
  pointsBalance: number;
  pendingPoints: number;
  tier: { id: string; name: string; earnMultiplier: string } | null;
  nextTier: NextTier | null;
  expiring: { points: number; on: string } | null;
  earn: { pointsPerCurrencyUnit: string };
  /** "MM-DD" once the shopper has saved it (customer account door only). */
  birthday: string | null;
}

export interface NextTier {
  id: string;
  name: string;
  unit: "money" | "points";
  remaining: string;
  progress: number;
}

export interface HistoryEntry {
  id: string;
  kind: string;
  points: number;
  pendingPoints: number;
  occurredAt: string;
  orderName: string | null;
  reason: string | null;
}

export interface HistoryPage {
  entries: HistoryEntry[];
  nextCursor: string | null;
}

export type Discount =
  { type: "fixedAmount"; amount: string } | { type: "percentage"; percent: number } | { type: "freeShipping" };

export interface Reward {
  id: string;
  name: string;
  pointsCost: number;
  minimumOrder: string;
  discount: Discount;
  affordable: boolean;
}

export interface Rewards {
  pointsBalance: number;
  rewards: Reward[];
}

export interface Redeemed {
  redemptionId: string;
  code: string;
  reward: { id: string; name: string };
  pointsBalance: number;
}

/** An answer other than 2xx, or no answer at all (`network`), or no app URL (`notConfigured`). */
export class LoyaltyApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds, from Retry-After on a 429. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = "LoyaltyApiError";
  }
}

export interface LoyaltyClientOptions {
  /** The app's URL, e.g. https://perennial.example.com; null when the build had none. */
  appUrl: string | null;
  /** shopify.sessionToken.get: a fresh (or cached, unexpired) token for every request. */
  getToken: () => Promise<string>;
  fetch?: typeof fetch;
}

export interface LoyaltyClient {
  balance(): Promise<Balance>;
  history(cursor?: string | null): Promise<HistoryPage>;
  rewards(): Promise<Rewards>;
  redeem(rewardId: string): Promise<Redeemed>;
  saveBirthday(birthday: string): Promise<{ birthday: string }>;
}

/** The app's origin and path prefix without a trailing slash; null unless it is an http(s) URL. */
export function normalizeAppUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

export function createLoyaltyClient(options: LoyaltyClientOptions): LoyaltyClient {
  const base = normalizeAppUrl(options.appUrl);
  const send = options.fetch ?? ((input, init) => fetch(input, init));

  async function call<Answer>(endpoint: string, body?: unknown): Promise<Answer> {
    if (!base) throw new LoyaltyApiError(0, "notConfigured", "The app's URL is not configured.");
    let response: Response;
    try {
      const token = await options.getToken();
      const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: "application/json" };
      if (body !== undefined) headers["Content-Type"] = "application/json";
      response = await send(`${base}/api/loyalty/${endpoint}`, {
        method: body === undefined ? "GET" : "POST",
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new LoyaltyApiError(0, "network", error instanceof Error ? error.message : String(error));
    }
    let answer: unknown = null;
    try {
      answer = await response.json();
    } catch {
      answer = null;
    }
    if (!response.ok) {
      const error = (answer as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      const retryAfter = Number(response.headers.get("Retry-After"));
      throw new LoyaltyApiError(
        response.status,
        typeof error?.code === "string" ? error.code : "unknown",
        typeof error?.message === "string" ? error.message : `HTTP ${response.status}`,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
      );
    }
    if (answer === null) throw new LoyaltyApiError(response.status, "unknown", "The answer was not JSON.");
    return answer as Answer;
  }

  return {
    balance: async () => {
      const balance = await call<Balance>("balance");
      return { ...balance, birthday: balance.birthday ?? null };
    },
    history: (cursor) => call<HistoryPage>(cursor ? `history?cursor=${encodeURIComponent(cursor)}` : "history"),
    rewards: () => call<Rewards>("rewards"),
    redeem: (rewardId) => call<Redeemed>("redeem", { rewardId }),
    saveBirthday: (birthday) => call<{ birthday: string }>("birthday", { birthday }),
  };
}

/** The history with the next page added; an entry already shown is not shown twice. */
export function appendHistory(current: HistoryPage, next: HistoryPage): HistoryPage {
  const seen = new Set(current.entries.map((entry) => entry.id));
  return {
    entries: [...current.entries, ...next.entries.filter((entry) => !seen.has(entry.id))],
    nextCursor: next.nextCursor,
  };
}

/** The balance and rewards as they are after a redemption, before they are read again. */
export function afterRedemption(
  balance: Balance,
  rewards: Rewards,
  redeemed: Redeemed,
): { balance: Balance; rewards: Rewards } {
  const pointsBalance = redeemed.pointsBalance;
  return {
    balance: { ...balance, pointsBalance },
    rewards: {
      pointsBalance,
      rewards: rewards.rewards.map((reward) => ({ ...reward, affordable: reward.pointsCost <= pointsBalance })),
    },
  };
}

/**
 * Where the app is: the URL given at build time (the Shopify CLI replaces
 * `process.env.PERENNIAL_APP_URL` with it), else, while developing, the origin the CLI serves the
 * extension's script from (the app's tunnel). Shopify's CDN is never the app.
 */
export function resolveAppUrl(
  configured: string | null | undefined,
  scriptUrl: string | null | undefined,
): string | null {
  const fromBuild = normalizeAppUrl(configured);
  if (fromBuild) return fromBuild;
  if (!scriptUrl) return null;
  let script: URL;
  try {
    script = new URL(scriptUrl);
  } catch {
    return null;
  }
  if (script.protocol !== "https:" || /(^|\.)(shopifycdn\.com|shopify\.com|shopifycloud\.com)$/.test(script.hostname))
    return null;
  return script.origin;
}
