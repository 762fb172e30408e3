// Segments: who the shop's customers are (RFM segments, with what to do about each) and how
// often they come back (repeat rate and its trend, return windows, cohorts, time to a second
// order, the spread of predicted value). Everything comes from the stored insight of the last
// refresh; the loader streams it in so the page frame shows at once.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Box, Card, DataTable, InlineGrid, Layout, Text } from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";

import { RouteError } from "~/components/ui/page-states";

import { ClvDistributionCard } from "~/components/insight/ClvDistributionCard";
import { CohortCard } from "~/components/insight/CohortCard";
import { DaysToSecondOrderCard } from "~/components/insight/DaysToSecondOrderCard";
import { DeferredInsightPage } from "~/components/insight/insight-states";
import { RepeatRateTrendChart } from "~/components/insight/RepeatRateTrendChart";
import { ChartCard } from "~/components/ui/ChartCard";
import { Figure } from "~/components/ui/Figure";
import { SectionCard, SubSection } from "~/components/ui/SectionCard";
import { formatCount, formatMoney, formatPercent } from "~/components/ui/format";
import type { SegmentsPage } from "~/insight/shop-insight.server";
import { loadSegmentsPage } from "~/insight/shop-insight.server";
import { authenticate } from "~/shopify.server";
import { insightStrings } from "~/strings/insight";

const text = insightStrings.segments;

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // Not awaited: the page renders its loading state and the insight streams in.
  return { page: loadSegmentsPage(session.shop) };
};

function SegmentTable({ page }: { page: SegmentsPage }) {
  const money = (amount: number | null) => formatMoney(amount, page.currencyCode);
  const figure = (id: string, name: string, value: string) => (
    <span data-segment={id} data-figure={name}>
      {value}
    </span>
  );
  const columns = text.columns;
  const totalCustomers = page.segments.reduce((sum, segment) => sum + segment.customers, 0);
  const totalRevenue = page.segments.reduce((sum, segment) => sum + segment.netRevenue, 0);
  return (
    <DataTable
      columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
      headings={[
        columns.segment,
        columns.customers,
        columns.shareOfCustomers,
        columns.netRevenue,
        columns.shareOfNetRevenue,
        columns.predictedClv,
      ]}
      rows={page.segments.map((segment) => [
        figure(segment.id, "name", segment.name),
        figure(segment.id, "customers", formatCount(segment.customers)),
        figure(segment.id, "shareOfCustomers", formatPercent(segment.shareOfCustomers)),
        figure(segment.id, "netRevenue", money(segment.netRevenue)),
        figure(segment.id, "shareOfNetRevenue", formatPercent(segment.shareOfNetRevenue)),
        figure(segment.id, "predictedClv", money(segment.predictedClvPerCustomer)),
      ])}
      totals={["", formatCount(totalCustomers), formatPercent(1), money(totalRevenue), formatPercent(1), ""]}
      totalsName={{ singular: text.totals, plural: text.totals }}
      showTotalsInFooter
      truncate={false}
    />
  );
}

function SegmentAdvice({ page }: { page: SegmentsPage }) {
  // Only segments with customers: advice about an empty group is noise.
  const populated = page.segments.filter((segment) => segment.customers > 0);
  return (
    <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
      {populated.map((segment) => (
        <Card key={segment.id}>
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              {segment.name}
            </Text>
            <Text as="p" tone="subdued" variant="bodySm">
              {text.segmentSummary(formatCount(segment.customers), formatPercent(segment.shareOfNetRevenue))}
            </Text>
            <Text as="p">{segment.description}</Text>
            <Box background="bg-surface-secondary" padding="200" borderRadius="200">
              <Text as="p">
                <Text as="span" fontWeight="semibold">
                  {text.whatToDo}:
                </Text>{" "}
                <span data-segment={segment.id} data-figure="whatToDo">
                  {segment.whatToDo}
                </span>
              </Text>
            </Box>
          </BlockStack>
        </Card>
      ))}
    </InlineGrid>
  );
}

function ReturnWindows({ page }: { page: SegmentsPage }) {
  return (
    <SubSection title={text.returnHeading} help={text.returnHelp}>
      <InlineGrid columns={{ xs: 2, sm: 3, md: 5 }} gap="300">
        {page.returnWithinDays.map((window) => (
          <Box key={window.days} background="bg-surface-secondary" padding="300" borderRadius="200">
            <BlockStack gap="100">
              <Text as="p" tone="subdued" variant="bodySm">
                {text.returnWindow(formatCount(window.days))}
              </Text>
              <Text as="p" variant="headingLg">
                <span data-return-days={window.days}>{formatPercent(window.share)}</span>
              </Text>
              <Text as="p" tone="subdued" variant="bodySm">
                {window.share === null
                  ? text.returnNotYet
                  : text.returnOf(formatCount(window.returnedCustomers), formatCount(window.eligibleCustomers))}
              </Text>
            </BlockStack>
          </Box>
        ))}
      </InlineGrid>
    </SubSection>
  );
}

function SegmentsContent({ page }: { page: SegmentsPage }) {
  const rate = page.repeatPurchaseRate;
  return (
    <>
      {page.insufficientReason ? (
        <Layout.Section>
          <Banner tone="info" title={insightStrings.common.insufficientHeading}>
            <BlockStack gap="100">
              <p data-state="insufficient">{page.insufficientReason}</p>
              <p>{text.predictionUnavailable}</p>
            </BlockStack>
          </Banner>
        </Layout.Section>
      ) : null}
      <Layout.Section>
        <ChartCard title={text.segmentsHeading}>
          <Text as="p" tone="subdued">
            {text.segmentsIntro}
          </Text>
          <SegmentTable page={page} />
        </ChartCard>
      </Layout.Section>
      <Layout.Section>
        <SegmentAdvice page={page} />
      </Layout.Section>
      <Layout.Section>
        <SectionCard title={text.retentionHeading}>
          <Figure
            label={text.repeatPurchaseRate}
            figure="repeatPurchaseRate"
            size="xxLarge"
            value={formatPercent(rate.repeatPurchaseRate)}
            help={text.repeatPurchaseRateHelp(formatCount(rate.repeatCustomers), formatCount(rate.customers))}
          />
          <SubSection title={text.trendHeading} help={text.trendHelp}>
            <RepeatRateTrendChart trend={page.repeatPurchaseRateTrend} />
          </SubSection>
          <ReturnWindows page={page} />
        </SectionCard>
      </Layout.Section>
      <Layout.Section>
        <CohortCard cohorts={page.cohorts} />
      </Layout.Section>
      <Layout.Section variant="oneHalf">
        <DaysToSecondOrderCard days={page.daysToSecondOrder} />
      </Layout.Section>
      <Layout.Section variant="oneHalf">
        <ClvDistributionCard distribution={page.clvDistribution} currencyCode={page.currencyCode} />
      </Layout.Section>
    </>
  );
}

export default function Segments() {
  const { page } = useLoaderData<typeof loader>();
  return (
    <DeferredInsightPage page={page} title={text.title} subtitle={text.subtitle}>
      {(data) => <SegmentsContent page={data} />}
    </DeferredInsightPage>
  );
}

// The library's auth responses pass through its boundary; any other error is a page with a message.
export function ErrorBoundary() {
  return <RouteError title={text.title} />;
}
