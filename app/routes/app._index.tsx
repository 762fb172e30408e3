import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link as RemixLink, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  InlineGrid,
  Layout,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";

import { formatMoney, formatPercent } from "~/lib/format";
import { requestClvRefresh } from "~/services/clv-jobs.server";
import { loadHome } from "~/services/home.server";
import type { ClvSummary } from "~/services/clv-summary.server";
import type { SyncStatus } from "~/services/sync-status.server";
import { authenticate } from "~/shopify.server";

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

function Figure({ label, value, metric, help }: { label: string; value: string; metric: string; help: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          <span data-metric={metric}>{value}</span>
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {help}
        </Text>
      </BlockStack>
    </Card>
  );
}

const BACKFILL_STATUS: Record<string, string> = {
  requested: "Waiting to start",
  running: "Shopify is preparing your order history",
  importing: "Importing your order history",
  completed: "Order history imported",
  failed: "The import stopped",
};

function SyncCard({ sync }: { sync: SyncStatus }) {
  const { backfill } = sync;
  const progress = backfill?.objectCount ? Math.min(100, (100 * backfill.linesImported) / backfill.objectCount) : 0;
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm">
          Sync
        </Text>
        {backfill ? (
          <BlockStack gap="100">
            <Text as="p" variant="bodyMd">
              <span data-sync="backfill-status">{BACKFILL_STATUS[backfill.status] ?? backfill.status}</span>
              {backfill.objectCount > 0
                ? ` · ${backfill.linesImported.toLocaleString("en-US")} of ${backfill.objectCount.toLocaleString("en-US")} orders`
                : null}
            </Text>
            {backfill.status === "importing" || backfill.status === "completed" ? (
              <ProgressBar progress={backfill.status === "completed" ? 100 : progress} size="small" animated={false} />
            ) : null}
            {backfill.error ? (
              <Text as="p" tone="critical">
                {backfill.error}
              </Text>
            ) : null}
          </BlockStack>
        ) : (
          <Text as="p">The order history import has not started.</Text>
        )}
        <Text as="p" variant="bodySm" tone="subdued">
          <span data-sync="last-webhook">
            {sync.lastWebhookAt
              ? `Last update from Shopify: ${new Date(sync.lastWebhookAt).toLocaleString("en-US", { timeZone: "UTC" })} UTC`
              : "No update from Shopify received yet"}
          </span>
        </Text>
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
          Analyse now
        </Button>
      </Form>
      {actionData?.refreshRequested ? (
        <Banner tone="info">The analysis is running; the figures update when it finishes.</Banner>
      ) : null}
    </BlockStack>
  );
}

function ClvCard({ clv }: { clv: ClvSummary | null }) {
  if (!clv) {
    return (
      <Card>
        <BlockStack gap="200">
          <Text as="p">Customer lifetime value appears here after the first analysis of your orders.</Text>
          <RefreshButton />
        </BlockStack>
      </Card>
    );
  }
  const money = (amount: number | null) => formatMoney(amount, clv.currencyCode);
  const formula = clv.simpleFormula;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingSm">
          Customer lifetime value
        </Text>
        <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
          <BlockStack gap="100">
            <Text as="p" tone="subdued">
              Average to date
            </Text>
            <Text as="p" variant="headingXl">
              <span data-metric="averageHistoricalClv">{money(clv.averageHistoricalClv)}</span>
            </Text>
            <Text as="p" variant="bodySm" tone="subdued">
              Net revenue per customer so far
            </Text>
          </BlockStack>
          <BlockStack gap="100">
            <Text as="p" tone="subdued">
              Predicted, next 12 months
            </Text>
            <Text as="p" variant="headingXl">
              <span data-metric="averagePredictedClv">{money(clv.averagePredictedClv)}</span>
            </Text>
            <Text as="p" variant="bodySm" tone="subdued">
              {clv.predictionReason ?? "Expected orders × spend per order × your gross margin, discounted"}
            </Text>
          </BlockStack>
        </InlineGrid>
        {clv.atRisk ? (
          <Text as="p" variant="bodyMd">
            <span data-metric="atRisk">
              {clv.atRisk.customers.toLocaleString("en-US")} valuable customers are slipping away, worth{" "}
              {money(clv.atRisk.predictedClv)} over the next 12 months.
            </span>{" "}
            <RemixLink to="/app/customers?atRisk=1">See customers at risk</RemixLink>
          </Text>
        ) : null}
        {formula?.customerValue != null ? (
          <Text as="p" variant="bodySm">
            <span data-metric="simpleFormula">
              The textbook formula: {money(formula.averagePurchaseValue)} per order ×{" "}
              {formula.purchaseFrequency?.toFixed(2)} orders a year × {formula.customerLifespanYears?.toFixed(1)} years
              = {money(formula.customerValue)} of revenue over a customer&apos;s lifetime.
            </span>
          </Text>
        ) : null}
        {clv.accuracy ? (
          <Text as="p" variant="bodySm">
            <span data-metric="modelAccuracy">Model accuracy: {clv.accuracy.summary}</span>
          </Text>
        ) : null}
        <Text as="p" variant="bodySm" tone="subdued">
          Last analysed {new Date(clv.computedAt).toLocaleString("en-US", { timeZone: "UTC" })} UTC.
        </Text>
        <RefreshButton />
      </BlockStack>
    </Card>
  );
}

// "▲ 1.2 points since last month": the change of a share, in percentage points.
function pointsChange(change: { now: number; monthAgo: number } | null): string | null {
  if (!change) return null;
  const points = (change.now - change.monthAgo) * 100;
  if (Math.abs(points) < 0.05) return "No change since last month";
  return `${points > 0 ? "▲" : "▼"} ${Math.abs(points).toFixed(1)} points since last month`;
}

export default function Home() {
  const { overview, sync, clv } = useLoaderData<typeof loader>();
  if (!overview || overview.orders === 0) {
    return (
      <Page title="Perennial">
        <BlockStack gap="400">
          <Card>
            <EmptyState heading="No orders yet" image="">
              <p>Perennial shows what your customers are worth once your store&apos;s orders are imported.</p>
            </EmptyState>
          </Card>
          <SyncCard sync={sync} />
        </BlockStack>
      </Page>
    );
  }
  const money = (amount: number | null) => formatMoney(amount, overview.currencyCode);
  return (
    <Page
      title="Perennial"
      subtitle={
        overview.countedAt
          ? `Figures as of the last analysis, ${new Date(overview.countedAt).toLocaleString("en-US", { timeZone: "UTC" })} UTC`
          : undefined
      }
    >
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
            <Figure
              label="Customers"
              metric="customers"
              value={overview.customers.toLocaleString("en-US")}
              help="Customers with at least one order"
            />
            <Figure
              label="Orders"
              metric="orders"
              value={overview.orders.toLocaleString("en-US")}
              help="Excluding cancelled and test orders; guest orders included"
            />
            <Figure
              label="Repeat-purchase rate"
              metric="repeatPurchaseRate"
              value={formatPercent(overview.repeatPurchaseRate)}
              help={["Share of customers who ordered twice or more", pointsChange(clv?.repeatRateChange ?? null)]
                .filter(Boolean)
                .join(" · ")}
            />
            <Figure
              label="Average order value"
              metric="averageOrderValue"
              value={money(overview.averageOrderValue)}
              help="Net revenue per order: after discounts and refunds, before tax and shipping"
            />
            <Figure
              label="Net revenue per customer"
              metric="averageNetRevenuePerCustomer"
              value={money(overview.averageNetRevenuePerCustomer)}
              help="Average net revenue to date of customers with an order"
            />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <ClvCard clv={clv} />
        </Layout.Section>
        <Layout.Section>
          <SyncCard sync={sync} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
