// How predicted 12-month value is spread over customers: usually many small and a few large,
// which is why the average alone misleads.
import { BlockStack, Text } from "@shopify/polaris";

import { formatCount, formatMoney, formatPercent, formatRoundMoney } from "~/components/ui/format";
import type { HistogramBin, SegmentsPage } from "~/insight/shop-insight.server";
import { insightStrings } from "~/strings/insight";

import { CountBarChart, FiguresTable } from "./chart-kit";

const text = insightStrings.segments;

function rangeLabel(bin: HistogramBin, currencyCode: string): string {
  // Without cents when the edges are round ("$0–$50"), so the axis stays readable.
  return bin.to === null
    ? `${formatRoundMoney(bin.from, currencyCode)}+`
    : `${formatRoundMoney(bin.from, currencyCode)}–${formatRoundMoney(bin.to, currencyCode)}`;
}

export function ClvDistributionChart({
  distribution,
  currencyCode,
}: {
  distribution: SegmentsPage["clvDistribution"];
  currencyCode: string;
}) {
  if (!distribution || distribution.customers === 0) {
    return (
      <Text as="p" tone="subdued">
        {text.distributionUnavailable}
      </Text>
    );
  }
  const data = [
    {
      name: text.distributionSeries,
      data: distribution.bins.map((bin) => ({ key: rangeLabel(bin, currencyCode), value: bin.customers })),
    },
  ];
  return (
    <BlockStack gap="200">
      <Text as="p" tone="subdued">
        <span data-figure="clvDistributionSummary">
          {text.distributionHelp(
            formatMoney(distribution.mean, currencyCode),
            formatMoney(distribution.median, currencyCode),
          )}
        </span>
      </Text>
      <CountBarChart label={text.distributionHeading} data={data} />
      <FiguresTable
        caption={text.distributionHeading}
        headings={[text.distributionColumns.range, text.distributionColumns.customers, text.distributionColumns.share]}
        rows={distribution.bins.map((bin) => [
          rangeLabel(bin, currencyCode),
          formatCount(bin.customers),
          formatPercent(bin.share),
        ])}
      />
    </BlockStack>
  );
}
