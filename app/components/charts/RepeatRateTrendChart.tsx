// The repeat-purchase rate at the end of each month: a line a merchant reads as "going up or down".
import { LineChart } from "@shopify/polaris-viz";
import { BlockStack } from "@shopify/polaris";

import { formatCount, formatMonth, formatPercent } from "~/components/ui/format";
import type { SegmentsPage } from "~/insight/shop-insight.server";
import { insightStrings } from "~/strings/insight";

import { ClientChart, FiguresTable } from "./chart-kit";

const text = insightStrings.segments;

export function RepeatRateTrendChart({ trend }: { trend: SegmentsPage["repeatPurchaseRateTrend"] }) {
  const data = [
    {
      name: text.trendSeries,
      data: trend.map((point) => ({ key: formatMonth(point.month), value: point.repeatPurchaseRate })),
    },
  ];
  return (
    <BlockStack gap="200">
      <ClientChart
        label={text.trendHeading}
        chart={() => (
          <LineChart
            data={data}
            showLegend={false}
            isAnimated={false}
            yAxisOptions={{ labelFormatter: (value) => formatPercent(typeof value === "number" ? value : null) }}
            tooltipOptions={{ valueFormatter: (value) => formatPercent(typeof value === "number" ? value : null) }}
          />
        )}
      />
      <FiguresTable
        caption={text.trendHeading}
        headings={[text.trendColumns.month, text.trendColumns.rate, text.trendColumns.customers]}
        rows={trend.map((point) => [
          formatMonth(point.month),
          formatPercent(point.repeatPurchaseRate),
          formatCount(point.customers),
        ])}
      />
    </BlockStack>
  );
}
