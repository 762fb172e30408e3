// Home: the headline figures with their change against the previous period, customer lifetime
// value, the retention and value charts, and the sync status. Everything comes from the stored
// insight of the last analysis, read once (insight/home.server.ts, about 10 ms at a million
// customers), so the loader answers with the figures themselves; the charts draw after hydration.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link as RemixLink, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineGrid, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";

import { ClvDistributionCard } from "~/components/insight/ClvDistributionCard";
import { CohortCard } from "~/components/insight/CohortCard";
import { DaysToSecondOrderCard } from "~/components/insight/DaysToSecondOrderCard";
import { OutdatedInsight } from "~/components/insight/insight-states";
import { EmptyCard, RouteError } from "~/components/ui/page-states";
import { Figure, type FigureProps } from "~/components/ui/Figure";
import { formatCount, formatDateTime, formatMoney, formatPercent, formatShortDate } from "~/components/ui/format";
import { requestClvRefresh } from "~/insight/clv-jobs.server";
import type { ClvSummary } from "~/insight/clv-summary.server";
import { loadHome, type HeadlineChange, type HomeData } from "~/insight/home.server";
import type { HomeInsight } from "~/insight/shop-insight.server";
import type { SyncStatus } from "~/insight/sync-status.server";
import { authenticate } from "~/shopify.server";
import { homeStrings } from "~/strings/home";

const text = homeStrings;

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadHome(session.shop);
};

// "Analyse now": the refresh runs in the background; a request while one waits joins it.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  await requestClvRefresh(session.shop, "on demand");
  return { refreshRequested: true };
};

type ChangeKind = "count" | "money" | "share";

// "Up $2.10 (3.4%) since Oct 2, 2026". Shares change in percentage points, without a relative
// figure (a percentage of a percentage misleads). Below what the figure shows, it is no change.
function describeChange(
  change: HeadlineChange,
  kind: ChangeKind,
  currencyCode: string,
): { direction: -1 | 0 | 1; description: string } {
  const since = formatShortDate(change.since);
  const size = Math.abs(change.difference);
  const visible = kind === "share" ? size * 100 >= 0.05 : kind === "money" ? size >= 0.005 : size >= 0.5;
  if (!visible) return { direction: 0, description: text.change.none(since) };
  const amount =
    kind === "share"
      ? text.change.points((size * 100).toFixed(1))
      : kind === "money"
        ? formatMoney(size, currencyCode)
        : formatCount(size);
  const relative = kind !== "share" && change.relative !== null ? formatPercent(Math.abs(change.relative)) : null;
  return change.difference > 0
    ? { direction: 1, description: text.change.up(amount, relative, since) }
    : { direction: -1, description: text.change.down(amount, relative, since) };
}

// A change in words (the arrow is decoration), green when it is good news and red when bad:
// more customers at risk is bad news.
function Change({
  change,
  kind,
  figure,
  currencyCode,
  upIsGood = true,
}: {
  change: HeadlineChange | null;
  kind: ChangeKind;
  figure: string;
  currencyCode: string;
  upIsGood?: boolean;
}) {
  if (!change) return null;
  const { direction, description } = describeChange(change, kind, currencyCode);
  const tone = direction === 0 ? "subdued" : direction > 0 === upIsGood ? "success" : "critical";
  return (
    <Text as="p" variant="bodySm" tone={tone}>
      {direction !== 0 ? <span aria-hidden="true">{direction > 0 ? "▲ " : "▼ "}</span> : null}
      <span data-change={figure}>{description}</span>
    </Text>
  );
}

// The figures at the top of the page: each in a card of its own, headed by its label.
const HeadlineFigure = (props: Omit<FigureProps, "card" | "heading" | "size">) => (
  <Figure card heading="h2" size="xxLarge" {...props} />
);

function SyncCard({ sync }: { sync: SyncStatus }) {
  const { backfill } = sync;
  const progress = backfill?.objectCount ? Math.min(100, (100 * backfill.linesImported) / backfill.objectCount) : 0;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm">
          {text.sync.heading}
        </Text>
        {backfill ? (
          <BlockStack gap="100">
            <Text as="p" variant="bodyMd">
              <span data-sync="backfill-status">{text.sync.status[backfill.status] ?? backfill.status}</span>
              {backfill.objectCount > 0
                ? ` · ${text.sync.progress(formatCount(backfill.linesImported), formatCount(backfill.objectCount))}`
                : null}
            </Text>
            {backfill.status === "importing" || backfill.status === "completed" ? (
              <ProgressBar
                progress={backfill.status === "completed" ? 100 : progress}
                size="small"
                animated={false}
                ariaLabelledBy="sync-progress-label"
              />
            ) : null}
            <Text as="span" visuallyHidden>
              <span id="sync-progress-label">{text.sync.progressLabel}</span>
            </Text>
            {backfill.error ? (
              <Text as="p" tone="critical">
                {backfill.error}
              </Text>
            ) : null}
          </BlockStack>
        ) : (
          <Text as="p">{text.sync.notStarted}</Text>
        )}
        <Text as="p" variant="bodySm" tone="subdued">
          <span data-sync="last-webhook">
            {sync.lastWebhookAt ? text.sync.lastWebhook(formatDateTime(sync.lastWebhookAt)) : text.sync.noWebhook}
          </span>
        </Text>
        {sync.quarantined > 0 ? (
          <Text as="p" variant="bodySm" tone="caution">
            <span data-sync="quarantined">
              {text.sync.quarantined(formatCount(sync.quarantined), sync.quarantined === 1)}
            </span>
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function RefreshButton() {
  const navigation = useNavigation();
  const actionData = useActionData<typeof action>();
  return (
    <BlockStack gap="200">
      <Form method="post">
        <Button submit loading={navigation.state === "submitting"}>
          {text.analyse.button}
        </Button>
      </Form>
      {actionData?.refreshRequested ? (
        <Banner tone="info">
          <p role="status">{text.analyse.running}</p>
        </Banner>
      ) : null}
    </BlockStack>
  );
}

function ClvCard({ clv, changes }: { clv: ClvSummary | null; changes: HomeData["changes"] }) {
  if (!clv) {
    return (
      <Card>
        <BlockStack gap="200">
          <Text as="p">{text.clv.before}</Text>
          <RefreshButton />
        </BlockStack>
      </Card>
    );
  }
  const currencyCode = clv.currencyCode;
  const money = (amount: number | null) => formatMoney(amount, currencyCode);
  const formula = clv.simpleFormula;
  const clvFigure = (figure: "averageHistoricalClv" | "averagePredictedClv", label: string, help: string) => (
    <Figure
      label={label}
      figure={figure}
      value={money(clv[figure])}
      change={<Change change={changes[figure]} kind="money" figure={figure} currencyCode={currencyCode} />}
      help={help}
    />
  );
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingSm">
          {text.clv.heading}
        </Text>
        <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
          {clvFigure("averageHistoricalClv", text.clv.averageToDate, text.clv.averageToDateHelp)}
          {clvFigure("averagePredictedClv", text.clv.predicted, clv.predictionReason ?? text.clv.predictedHelp)}
        </InlineGrid>
        {clv.atRisk ? (
          <BlockStack gap="100">
            <Text as="p" variant="bodyMd">
              <span data-figure="atRisk">
                {text.clv.atRisk(formatCount(clv.atRisk.customers), money(clv.atRisk.predictedClv))}
              </span>{" "}
              <RemixLink to="/app/customers?atRisk=1">{text.clv.atRiskLink}</RemixLink>
            </Text>
            <Change
              change={changes.atRiskCustomers}
              kind="count"
              figure="atRisk"
              currencyCode={currencyCode}
              upIsGood={false}
            />
          </BlockStack>
        ) : null}
        {formula?.customerValue != null ? (
          <Text as="p" variant="bodySm">
            <span data-figure="simpleFormula">
              {text.clv.formula(
                money(formula.averagePurchaseValue),
                formula.purchaseFrequency?.toFixed(2) ?? "",
                formula.customerLifespanYears?.toFixed(1) ?? "",
                money(formula.customerValue),
              )}
            </span>
          </Text>
        ) : null}
        {clv.accuracy ? (
          <Text as="p" variant="bodySm">
            <span data-figure="modelAccuracy">{text.clv.accuracy(clv.accuracy.summary)}</span>
          </Text>
        ) : null}
        <Text as="p" variant="bodySm" tone="subdued">
          {text.clv.lastAnalysed(formatDateTime(clv.computedAt))}
        </Text>
        <RefreshButton />
      </BlockStack>
    </Card>
  );
}

// The retention and value charts of the Segments page, from the same stored insight.
function Charts({ insight }: { insight: HomeInsight }) {
  return (
    <Layout>
      <Layout.Section>
        <CohortCard
          cohorts={insight.cohorts}
          action={<RemixLink to="/app/segments">{text.charts.seeSegments}</RemixLink>}
        />
      </Layout.Section>
      <Layout.Section variant="oneHalf">
        <ClvDistributionCard distribution={insight.clvDistribution} currencyCode={insight.currencyCode} />
      </Layout.Section>
      <Layout.Section variant="oneHalf">
        <DaysToSecondOrderCard days={insight.daysToSecondOrder} />
      </Layout.Section>
    </Layout>
  );
}

function ChartsSection({ insight }: { insight: HomeData["insight"] }) {
  if (insight.state === "ready") return <Charts insight={insight} />;
  if (insight.state === "outdated") return <OutdatedInsight linkHome={false} />;
  return (
    <Card>
      <Text as="p" tone="subdued">
        <span data-state="charts-empty">{text.charts.before}</span>
      </Text>
    </Card>
  );
}

function HomeContent({ data }: { data: HomeData }) {
  const { overview, sync, clv, changes, insight, loyalty } = data;
  if (!overview || overview.orders === 0) {
    return (
      <Page title={text.title}>
        <BlockStack gap="400">
          <EmptyCard heading={text.empty.heading} state="empty">
            {text.empty.body}
          </EmptyCard>
          <SyncCard sync={sync} />
        </BlockStack>
      </Page>
    );
  }
  const currencyCode = overview.currencyCode;
  const money = (amount: number | null) => formatMoney(amount, currencyCode);
  const figures = text.figures;
  // A headline figure, with its change where the page keeps one.
  const headline = (
    figure: Exclude<keyof typeof figures, "loyalty">,
    value: string,
    change?: { change: HeadlineChange | null; kind: ChangeKind },
  ) => (
    <HeadlineFigure
      label={figures[figure].label}
      figure={figure}
      value={value}
      help={figures[figure].help}
      change={change ? <Change {...change} figure={figure} currencyCode={currencyCode} /> : undefined}
    />
  );
  return (
    <Page
      title={text.title}
      subtitle={overview.countedAt ? text.subtitle(formatDateTime(overview.countedAt)) : undefined}
    >
      <BlockStack gap="400">
        <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
          {headline("customers", formatCount(overview.customers), { change: changes.customers, kind: "count" })}
          {headline("orders", formatCount(overview.orders))}
          {headline("repeatPurchaseRate", formatPercent(overview.repeatPurchaseRate), {
            change: changes.repeatPurchaseRate,
            kind: "share",
          })}
          {headline("averageOrderValue", money(overview.averageOrderValue))}
          {headline("averageNetRevenuePerCustomer", money(overview.averageNetRevenuePerCustomer), {
            change: changes.averageNetRevenuePerCustomer,
            kind: "money",
          })}
          {loyalty ? (
            <HeadlineFigure
              label={figures.loyalty.label}
              figure="memberRepeatRates"
              value={figures.loyalty.value(formatPercent(loyalty.members), formatPercent(loyalty.nonMembers))}
              help={figures.loyalty.help(formatDateTime(loyalty.computedAt))}
            />
          ) : null}
        </InlineGrid>
        <ClvCard clv={clv} changes={changes} />
        <Text as="h2" variant="headingLg">
          {text.charts.heading}
        </Text>
        <ChartsSection insight={insight} />
        <SyncCard sync={sync} />
      </BlockStack>
    </Page>
  );
}

export default function Home() {
  return <HomeContent data={useLoaderData<typeof loader>()} />;
}

export function ErrorBoundary() {
  return <RouteError title={text.title} />;
}
