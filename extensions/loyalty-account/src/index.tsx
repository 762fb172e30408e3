// The Rewards page in customer accounts (target customer-account.page.render): the shopper's
// balance, tier and progress, points about to expire, the rewards they can redeem (with the code
// to copy afterwards), their history, and their birthday. Data comes from Perennial's API
// (./api.ts), words from locales/*.json, numbers and dates from ./format.ts.
import "@shopify/ui-extensions/preact";
import type { Api } from "@shopify/ui-extensions/customer-account.page.render";
import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";

import {
  afterRedemption,
  appendHistory,
  createLoyaltyClient,
  LoyaltyApiError,
  resolveAppUrl,
  type Balance,
  type HistoryPage,
  type LoyaltyClient,
  type Redeemed,
  type Rewards,
} from "./api";
import { buildTimeAppUrl } from "./config";
import {
  birthdayValue,
  daysInMonth,
  describeEarnRate,
  describeEntry,
  describeNextTier,
  describeReward,
  errorKey,
  formatBirthday,
  formatDate,
  formatNumber,
  monthNames,
  progressPercent,
  type Translate,
} from "./format";

// The API Shopify gives this target, as the `shopify` global.
declare const shopify: Api;

export default async () => {
  render(<LoyaltyPage />, document.body);
};

interface Context {
  t: Translate;
  locale: string;
  client: LoyaltyClient;
}

const asApiError = (error: unknown) =>
  error instanceof LoyaltyApiError ? error : new LoyaltyApiError(0, "unknown", String(error));

function errorText(context: Context, error: LoyaltyApiError): string {
  return context.t(errorKey(error.code));
}

type PageState =
  | { status: "loading" }
  | { status: "error"; error: LoyaltyApiError }
  | { status: "ready"; balance: Balance; rewards: Rewards };

function LoyaltyPage() {
  const t: Translate = (key, replacements) => shopify.i18n.translate(key, replacements);
  const locale = shopify.localization.language.value.isoCode;
  const client = useMemo(
    () =>
      createLoyaltyClient({
        appUrl: resolveAppUrl(buildTimeAppUrl(), shopify.extension.scriptUrl),
        getToken: () => shopify.sessionToken.get(),
      }),
    [],
  );
  const context: Context = { t, locale, client };
  const [state, setState] = useState<PageState>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  const [redeemed, setRedeemed] = useState<Redeemed | null>(null);
  const [historyVersion, setHistoryVersion] = useState(0);

  useEffect(() => {
    let current = true;
    setState({ status: "loading" });
    Promise.all([client.balance(), client.rewards()]).then(
      ([balance, rewards]) => current && setState({ status: "ready", balance, rewards }),
      (error: unknown) => current && setState({ status: "error", error: asApiError(error) }),
    );
    return () => {
      current = false;
    };
  }, [client, attempt]);

  const onRedeemed = (answer: Redeemed) => {
    setRedeemed(answer);
    if (state.status === "ready")
      setState({ status: "ready", ...afterRedemption(state.balance, state.rewards, answer) });
    // The redemption is now the newest entry.
    setHistoryVersion((version) => version + 1);
  };

  return (
    <s-page heading={t("page.title")} subheading={t("page.subtitle")}>
      {state.status === "loading" && <Loading label={t("loading")} />}
      {state.status === "error" && (
        <s-banner tone="critical" heading={t("errors.heading")}>
          <s-stack gap="base">
            <s-paragraph>{errorText(context, state.error)}</s-paragraph>
            {state.error.code !== "programOff" && state.error.code !== "notConfigured" && (
              <s-button variant="secondary" onClick={() => setAttempt((value) => value + 1)}>
                {t("errors.retry")}
              </s-button>
            )}
          </s-stack>
        </s-banner>
      )}
      {state.status === "ready" && (
        <s-stack gap="large">
          <BalanceSection context={context} balance={state.balance} />
          {redeemed && <CodeBanner context={context} redeemed={redeemed} onDismiss={() => setRedeemed(null)} />}
          <RewardsSection
            context={context}
            rewards={state.rewards}
            pointsBalance={state.balance.pointsBalance}
            currencyCode={state.balance.currencyCode}
            onRedeemed={onRedeemed}
          />
          <HistorySection context={context} version={historyVersion} />
          <BirthdaySection
            context={context}
            saved={state.balance.birthday}
            onSaved={(birthday) => setState({ ...state, balance: { ...state.balance, birthday } })}
          />
        </s-stack>
      )}
    </s-page>
  );
}

function Loading({ label }: { label: string }) {
  return (
    <s-stack direction="inline" gap="base" alignItems="center">
      <s-spinner accessibilityLabel={label} />
      <s-text color="subdued">{label}</s-text>
    </s-stack>
  );
}

function BalanceSection({ context, balance }: { context: Context; balance: Balance }) {
  const { t, locale } = context;
  const earn = describeEarnRate(balance.earn.pointsPerCurrencyUnit, balance.currencyCode, locale, t);
  const next = balance.nextTier;
  return (
    <s-section heading={t("balance.heading")}>
      <s-stack gap="base">
        <s-heading>
          {t("balance.points", { count: balance.pointsBalance, points: formatNumber(balance.pointsBalance, locale) })}
        </s-heading>
        {balance.pendingPoints > 0 && (
          <s-text color="subdued">
            {t("balance.pending", {
              count: balance.pendingPoints,
              points: formatNumber(balance.pendingPoints, locale),
            })}
          </s-text>
        )}
        {balance.expiring && (
          <s-banner tone="warning">
            {t("balance.expiring", {
              count: balance.expiring.points,
              points: formatNumber(balance.expiring.points, locale),
              date: formatDate(balance.expiring.on, locale, "UTC"),
            })}
          </s-banner>
        )}
        {earn && <s-paragraph>{earn}</s-paragraph>}
        <s-divider />
        <s-stack direction="inline" gap="small" alignItems="center">
          <s-text>{t("tier.label")}</s-text>
          {balance.tier ? <s-badge>{balance.tier.name}</s-badge> : <s-badge>{t("tier.none")}</s-badge>}
        </s-stack>
        {balance.tier && Number(balance.tier.earnMultiplier) > 1 && (
          <s-text color="subdued">{t("tier.multiplier", { multiplier: balance.tier.earnMultiplier })}</s-text>
        )}
        {next ? (
          <s-stack gap="small">
            <s-progress
              value={progressPercent(next.progress) / 100}
              max={1}
              accessibilityLabel={t("tier.progressLabel", { tier: next.name, percent: progressPercent(next.progress) })}
            />
            <s-text>{describeNextTier(next, balance.currencyCode, locale, t)}</s-text>
          </s-stack>
        ) : (
          balance.tier && <s-text>{t("tier.top")}</s-text>
        )}
      </s-stack>
    </s-section>
  );
}

function CodeBanner({ context, redeemed, onDismiss }: { context: Context; redeemed: Redeemed; onDismiss: () => void }) {
  const { t } = context;
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <s-banner
      tone="success"
      heading={t("redeemed.heading", { reward: redeemed.reward.name })}
      dismissible
      onDismiss={onDismiss}
    >
      <s-stack gap="base">
        <s-text type="strong">{redeemed.code}</s-text>
        <s-paragraph>{t("redeemed.instructions")}</s-paragraph>
        <s-clipboard-item
          id="perennial-reward-code"
          text={redeemed.code}
          onCopy={() => setCopy("copied")}
          onCopyError={() => setCopy("failed")}
        />
        <s-stack direction="inline" gap="base" alignItems="center">
          <s-button variant="secondary" commandFor="perennial-reward-code" command="--copy">
            {t("redeemed.copy")}
          </s-button>
          {copy === "copied" && <s-text tone="success">{t("redeemed.copied")}</s-text>}
          {copy === "failed" && <s-text tone="critical">{t("redeemed.copyFailed")}</s-text>}
        </s-stack>
      </s-stack>
    </s-banner>
  );
}

function RewardsSection(props: {
  context: Context;
  rewards: Rewards;
  pointsBalance: number;
  currencyCode: string;
  onRedeemed: (redeemed: Redeemed) => void;
}) {
  const { t, locale, client } = props.context;
  const [confirming, setConfirming] = useState<string | null>(null);
  const [redeeming, setRedeeming] = useState<string | null>(null);
  const [error, setError] = useState<LoyaltyApiError | null>(null);
  const views = props.rewards.rewards.map((reward) =>
    describeReward(reward, props.pointsBalance, props.currencyCode, locale, t),
  );

  const redeem = async (rewardId: string) => {
    setRedeeming(rewardId);
    setError(null);
    try {
      props.onRedeemed(await client.redeem(rewardId));
      setConfirming(null);
    } catch (thrown) {
      setError(asApiError(thrown));
    } finally {
      setRedeeming(null);
    }
  };

  return (
    <s-section heading={t("rewards.heading")}>
      <s-stack gap="base">
        {error && (
          <s-banner tone="critical" dismissible onDismiss={() => setError(null)}>
            {errorText(props.context, error)}
          </s-banner>
        )}
        {views.length === 0 && <s-paragraph>{t("rewards.empty")}</s-paragraph>}
        {views.map((view) => (
          <s-box key={view.id} padding="base" border="base" borderRadius="base">
            <s-stack gap="small">
              <s-stack direction="inline" gap="base" justifyContent="space-between" alignItems="center">
                <s-stack gap="small-200">
                  <s-text type="strong">{view.name}</s-text>
                  <s-text>{view.discount}</s-text>
                  {view.minimum && <s-text color="subdued">{view.minimum}</s-text>}
                </s-stack>
                <s-text type="strong">{view.cost}</s-text>
              </s-stack>
              {confirming === view.id ? (
                <s-stack gap="small">
                  <s-text>{t("rewards.confirm", { reward: view.name, cost: view.cost })}</s-text>
                  <s-stack direction="inline" gap="small">
                    <s-button
                      variant="primary"
                      loading={redeeming === view.id}
                      disabled={redeeming !== null && redeeming !== view.id}
                      onClick={() => redeem(view.id)}
                    >
                      {t("rewards.confirmButton")}
                    </s-button>
                    <s-button variant="secondary" disabled={redeeming !== null} onClick={() => setConfirming(null)}>
                      {t("rewards.cancel")}
                    </s-button>
                  </s-stack>
                </s-stack>
              ) : (
                <s-stack direction="inline" gap="base" alignItems="center">
                  <s-button
                    variant="secondary"
                    disabled={!view.affordable || redeeming !== null}
                    accessibilityLabel={t("rewards.redeemLabel", { reward: view.name })}
                    onClick={() => setConfirming(view.id)}
                  >
                    {t("rewards.redeem")}
                  </s-button>
                  {view.shortfall && <s-text color="subdued">{view.shortfall}</s-text>}
                </s-stack>
              )}
            </s-stack>
          </s-box>
        ))}
      </s-stack>
    </s-section>
  );
}

type HistoryState =
  | { status: "loading" }
  | { status: "error"; error: LoyaltyApiError }
  | { status: "ready"; page: HistoryPage; more: "idle" | "loading" | LoyaltyApiError };

function HistorySection({ context, version }: { context: Context; version: number }) {
  const { t, locale, client } = context;
  const [state, setState] = useState<HistoryState>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    setState({ status: "loading" });
    client.history().then(
      (page) => current && setState({ status: "ready", page, more: "idle" }),
      (error: unknown) => current && setState({ status: "error", error: asApiError(error) }),
    );
    return () => {
      current = false;
    };
  }, [client, version, attempt]);

  const loadMore = async () => {
    if (state.status !== "ready" || !state.page.nextCursor) return;
    const shown = state.page;
    setState({ status: "ready", page: shown, more: "loading" });
    try {
      const next = await client.history(shown.nextCursor);
      setState({ status: "ready", page: appendHistory(shown, next), more: "idle" });
    } catch (error) {
      setState({ status: "ready", page: shown, more: asApiError(error) });
    }
  };

  return (
    <s-section heading={t("history.heading")}>
      {state.status === "loading" && <Loading label={t("history.loading")} />}
      {state.status === "error" && (
        <s-stack gap="base">
          <s-banner tone="critical">{errorText(context, state.error)}</s-banner>
          <s-button variant="secondary" onClick={() => setAttempt((value) => value + 1)}>
            {t("errors.retry")}
          </s-button>
        </s-stack>
      )}
      {state.status === "ready" && state.page.entries.length === 0 && <s-paragraph>{t("history.empty")}</s-paragraph>}
      {state.status === "ready" && state.page.entries.length > 0 && (
        <s-stack gap="base">
          {state.page.entries.map((entry) => {
            const view = describeEntry(entry, locale, t);
            return (
              <s-stack key={view.id} direction="inline" gap="base" justifyContent="space-between" alignItems="center">
                <s-stack gap="small-300">
                  <s-text>{view.title}</s-text>
                  <s-text color="subdued">{view.detail ? `${view.date} · ${view.detail}` : view.date}</s-text>
                </s-stack>
                <s-stack gap="small-300" alignItems="end">
                  {view.points && <s-text tone={view.tone === "neutral" ? "auto" : view.tone}>{view.points}</s-text>}
                  {view.pending && <s-text color="subdued">{view.pending}</s-text>}
                </s-stack>
              </s-stack>
            );
          })}
          {state.more instanceof LoyaltyApiError && (
            <s-banner tone="critical">{errorText(context, state.more)}</s-banner>
          )}
          {state.page.nextCursor && (
            <s-button variant="secondary" loading={state.more === "loading"} onClick={loadMore}>
              {t("history.loadMore")}
            </s-button>
          )}
        </s-stack>
      )}
    </s-section>
  );
}

function BirthdaySection(props: { context: Context; saved: string | null; onSaved: (birthday: string) => void }) {
  const { t, locale, client } = props.context;
  const [month, setMonth] = useState("");
  const [day, setDay] = useState("");
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [justSaved, setJustSaved] = useState(false);
  const months = monthNames(locale);
  const days = Array.from({ length: month ? daysInMonth(Number(month)) : 31 }, (_, index) => index + 1);

  if (props.saved)
    return (
      <s-section heading={t("birthday.heading")}>
        <s-stack gap="small">
          {justSaved && <s-banner tone="success">{t("birthday.saved")}</s-banner>}
          <s-text>{t("birthday.current", { date: formatBirthday(props.saved, locale) })}</s-text>
          <s-text color="subdued">{t("birthday.locked")}</s-text>
        </s-stack>
      </s-section>
    );

  const save = async () => {
    const birthday = birthdayValue(Number(month), Number(day));
    if (!birthday) {
      setProblem(t("birthday.invalid"));
      return;
    }
    setSaving(true);
    setProblem(null);
    try {
      const answer = await client.saveBirthday(birthday);
      setJustSaved(true);
      props.onSaved(answer.birthday);
    } catch (error) {
      setProblem(errorText(props.context, asApiError(error)));
    } finally {
      setSaving(false);
    }
  };

  const selected = (event: Event) => (event.currentTarget as HTMLElementTagNameMap["s-select"]).value ?? "";

  return (
    <s-section heading={t("birthday.heading")}>
      <s-stack gap="base">
        <s-paragraph>{t("birthday.intro")}</s-paragraph>
        <s-stack direction="inline" gap="base">
          <s-select
            label={t("birthday.month")}
            placeholder={t("birthday.choose")}
            value={month}
            onChange={(event) => {
              const chosen = selected(event);
              setMonth(chosen);
              if (chosen && Number(day) > daysInMonth(Number(chosen))) setDay("");
            }}
          >
            {months.map((name, index) => (
              <s-option key={name} value={String(index + 1)}>
                {name}
              </s-option>
            ))}
          </s-select>
          <s-select
            label={t("birthday.day")}
            placeholder={t("birthday.choose")}
            value={day}
            onChange={(event) => setDay(selected(event))}
          >
            {days.map((value) => (
              <s-option key={value} value={String(value)}>
                {formatNumber(value, locale)}
              </s-option>
            ))}
          </s-select>
        </s-stack>
        {problem && <s-text tone="critical">{problem}</s-text>}
        <s-button variant="primary" loading={saving} disabled={!month || !day} onClick={save}>
          {t("birthday.save")}
        </s-button>
      </s-stack>
    </s-section>
  );
}
