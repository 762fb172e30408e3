// Loyalty results: points issued, redeemed, expired and taken back in a period and all time; the
// outstanding points as a liability in shop currency with an expected-breakage estimate; members
// against non-members. One service call (loyalty/results.server.ts) reads precomputed
// sums plus the few ledger entries since they were computed; docs/loyalty-results.md explains
// the estimates.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useNavigation, useRevalidator } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Card,
  DataTable,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Select,
  Spinner,
  Text,
} from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { useEffect, type ReactNode } from "react";

import { PointsByMonthChart } from "~/components/loyalty/PointsByMonthChart";
import { EmptyCard, RouteError } from "~/components/ui/page-states";
import { ChartCard } from "~/components/ui/ChartCard";
import { Figure } from "~/components/ui/Figure";
import { formatCount, formatDateTime, formatMoney, formatPercent, formatSmallMoney } from "~/components/ui/format";
import { PageNote } from "~/components/ui/PageNote";
import { SectionCard } from "~/components/ui/SectionCard";
import {
  loadLoyaltyResults,
  parseResultsPeriod,
  RESULTS_PERIODS,
  type GroupFigures,
  type LoyaltyResults,
  type PointsFlows,
} from "~/loyalty/results.server";
import { authenticate } from "~/shopify.server";
import { loyaltyStrings } from "~/strings/loyalty";

const text = loyaltyStrings.results;

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const period = parseResultsPeriod(new URL(request.url).searchParams.get("period"));
  return { periods: RESULTS_PERIODS, page: await loadLoyaltyResults(session.shop, period) };
};

// What the page's cards are given: the results, the periods to choose from, and whether another
// period is loading.
interface ResultsProps {
  results: LoyaltyResults;
  periods: readonly number[];
  loading: boolean;
}

const FLOWS = ["issued", "redeemed", "expired", "takenBack"] as const satisfies readonly (keyof PointsFlows)[];

function FlowsCard({ results, periods, loading }: ResultsProps) {
  const navigate = useNavigate();
  const flowCell = (flow: keyof PointsFlows, scope: "period" | "allTime") => (
    <span data-flow={flow} data-scope={scope}>
      {formatCount(results[scope][flow])}
    </span>
  );
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="end" gap="300">
          <Text as="h2" variant="headingMd">
            {text.pointsHeading}
          </Text>
          <InlineStack gap="200" blockAlign="center">
            {loading ? <Spinner size="small" accessibilityLabel={loyaltyStrings.loading} /> : null}
            <Select
              id="period"
              label={text.period}
              labelInline
              value={String(results.periodDays)}
              options={periods.map((days) => ({ value: String(days), label: text.periods[days] }))}
              onChange={(value) => navigate(`?period=${value}`, { preventScrollReset: true, replace: true })}
            />
          </InlineStack>
        </InlineStack>
        <div aria-busy={loading}>
          <DataTable
            columnContentTypes={["text", "numeric", "numeric"]}
            headings={[text.columns.figure, text.periods[results.periodDays], text.columns.allTime]}
            rows={FLOWS.map((flow) => [
              <BlockStack key="label" gap="050">
                <Text as="span" fontWeight="semibold">
                  {text.flows[flow].label}
                </Text>
                <Text as="span" variant="bodySm" tone="subdued">
                  {text.flows[flow].help}
                </Text>
              </BlockStack>,
              flowCell(flow, "period"),
              flowCell(flow, "allTime"),
            ])}
          />
        </div>
        <Text as="p" variant="bodySm" tone="subdued">
          {text.methodLink}
        </Text>
      </BlockStack>
    </Card>
  );
}

function LiabilityCard({ results }: { results: LoyaltyResults }) {
  const money = (amount: number | null) => formatMoney(amount, results.currencyCode);
  const { value, breakage } = results;
  const breakageHelp =
    breakage.method === "history"
      ? text.breakageMethod(formatCount(breakage.expired), formatCount(breakage.closed))
      : breakage.method === "noExpiry"
        ? text.breakageNoExpiry
        : text.breakageNoHistory;
  const perPoint = value.perPoint === null ? null : formatSmallMoney(value.perPoint, results.currencyCode);
  return (
    <SectionCard title={text.liabilityHeading}>
      <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
        <Figure
          heading="h3"
          label={text.outstanding}
          figure="outstanding"
          value={formatCount(results.outstanding.points)}
          help={
            <span data-figure="outstandingHelp">
              {text.outstandingHelp(
                formatCount(results.members),
                formatCount(results.outstanding.pendingPoints),
                formatCount(results.outstanding.owedPoints),
              )}
            </span>
          }
        />
        <Figure
          heading="h3"
          label={text.liability}
          figure="liability"
          value={money(results.liability)}
          help={text.liabilityHelp}
        />
        <Figure
          heading="h3"
          label={text.breakage}
          figure="breakage"
          value={formatPercent(breakage.share)}
          help={<span data-method="breakage">{breakageHelp}</span>}
        />
        <Figure
          heading="h3"
          label={text.expectedCost}
          figure="expectedCost"
          value={money(results.expectedCost)}
          help={text.expectedCostHelp}
        />
      </InlineGrid>
      <Box background="bg-surface-secondary" padding="300" borderRadius="200">
        <Text as="p">
          <span data-method="value">
            {perPoint === null
              ? text.noValue(results.currencyCode)
              : text.valuePerPoint(
                  perPoint,
                  value.rewards
                    .map((reward) =>
                      text.rewardValue(
                        reward.name,
                        formatMoney(Number(reward.amount), results.currencyCode),
                        formatCount(reward.pointsCost),
                      ),
                    )
                    .join("; "),
                )}
          </span>
        </Text>
      </Box>
    </SectionCard>
  );
}

function ComparisonCard({ results }: { results: LoyaltyResults }) {
  const money = (amount: number | null) => formatMoney(amount, results.currencyCode);
  const columns = text.comparisonColumns;
  const row = (group: "members" | "nonMembers", figures: GroupFigures) => {
    const cell = (name: string, value: string) => (
      <span key={name} data-group={group} data-figure={name}>
        {value}
      </span>
    );
    return [
      text.groups[group],
      cell("customers", formatCount(figures.customers)),
      cell("repeatRate", formatPercent(figures.repeatRate)),
      cell("netRevenue", money(figures.averageNetRevenue)),
      cell("predictedClv", money(figures.averagePredictedClv)),
    ];
  };
  return (
    <ChartCard title={text.comparisonHeading} help={text.comparisonHelp}>
      <DataTable
        columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
        headings={[columns.group, columns.customers, columns.repeatRate, columns.netRevenue, columns.predictedClv]}
        rows={[row("members", results.comparison.members), row("nonMembers", results.comparison.nonMembers)]}
      />
      <Banner tone="warning">
        <p data-state="self-selection">{text.caveat}</p>
      </Banner>
    </ChartCard>
  );
}

function ResultsContent({ results, periods, loading }: ResultsProps) {
  return (
    <Layout>
      {results.enabled ? null : (
        <Layout.Section>
          <Banner tone="info">
            <p data-state="program-off">{text.programOff}</p>
          </Banner>
        </Layout.Section>
      )}
      <Layout.Section>
        <FlowsCard results={results} periods={periods} loading={loading} />
      </Layout.Section>
      <Layout.Section>
        <LiabilityCard results={results} />
      </Layout.Section>
      <Layout.Section>
        <ComparisonCard results={results} />
      </Layout.Section>
      <Layout.Section>
        <ChartCard title={text.chartHeading} help={text.chartHelp}>
          <PointsByMonthChart months={results.months} />
        </ChartCard>
      </Layout.Section>
      <PageNote>{text.asOf(formatDateTime(results.computedAt))}</PageNote>
    </Layout>
  );
}

// The first results of a shop are being worked out in the background: look again every 2 seconds.
function Computing() {
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 2000);
    return () => clearInterval(timer);
  }, [revalidator]);
  return (
    <Card>
      <BlockStack gap="200" inlineAlign="start">
        <InlineStack gap="200" blockAlign="center">
          <Spinner size="small" accessibilityLabel={loyaltyStrings.loading} />
          <Text as="h2" variant="headingMd">
            {text.computingHeading}
          </Text>
        </InlineStack>
        <p role="status" data-state="computing">
          {text.computingBody}
        </p>
      </BlockStack>
    </Card>
  );
}

export default function LoyaltyResultsPage() {
  const { page, periods } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location.pathname === "/app/loyalty/results";
  let body: ReactNode;
  if (page.state === "noProgram") {
    body = (
      <EmptyCard
        heading={text.noProgramHeading}
        state="no-program"
        action={{ content: text.setUp, url: "/app/loyalty" }}
      >
        {text.noProgramBody}
      </EmptyCard>
    );
  } else if (page.state === "computing") {
    body = <Computing />;
  } else if (page.state === "noMembers") {
    body = (
      <EmptyCard heading={text.noMembersHeading} state="no-members">
        {text.noMembersBody}
      </EmptyCard>
    );
  } else {
    body = <ResultsContent results={page} periods={periods} loading={loading} />;
  }
  return (
    <Page title={text.title} subtitle={text.subtitle}>
      {body}
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title={text.title} />;
}
