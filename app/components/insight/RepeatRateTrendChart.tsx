// The repeat-purchase rate at the end of each month: a line a merchant reads as "going up or down".
import { Chart } from "~/components/ui/ChartCard";
import { formatCount, formatMonth, formatPercent } from "~/components/ui/format";
import type { SegmentsPage } from "~/insight/shop-insight.server";
import { insightStrings } from "~/strings/insight";

const text = insightStrings.segments;

export function RepeatRateTrendChart({ trend }: { trend: SegmentsPage["repeatPurchaseRateTrend"] }) {
  return (
    <Chart
      label={text.trendHeading}
      kind="line"
      rows={trend}
      x={(point) => formatMonth(point.month)}
      series={[{ name: text.trendSeries, value: (point) => point.repeatPurchaseRate }]}
      format={(value) => formatPercent(typeof value === "number" ? value : null)}
      headings={[text.trendColumns.month, text.trendColumns.rate, text.trendColumns.customers]}
      cells={(point) => [
        formatMonth(point.month),
        formatPercent(point.repeatPurchaseRate),
        formatCount(point.customers),
      ]}
    />
  );
}
