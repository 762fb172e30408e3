// How predicted 12-month value is spread over customers: usually many small and a few large,
// which is why the average alone misleads.
import { Chart, ChartCard } from "~/components/ui/ChartCard";
import { formatCount, formatMoney, formatPercent, formatRoundMoney } from "~/components/ui/format";
import type { HistogramBin, SegmentsPage } from "~/insight/shop-insight.server";
import { insightStrings } from "~/strings/insight";

const text = insightStrings.segments;

function rangeLabel(bin: HistogramBin, currencyCode: string): string {
  // Without cents when the edges are round ("$0–$50"), so the axis stays readable.
  return bin.to === null
    ? `${formatRoundMoney(bin.from, currencyCode)}+`
    : `${formatRoundMoney(bin.from, currencyCode)}–${formatRoundMoney(bin.to, currencyCode)}`;
}

export function ClvDistributionCard({
  distribution,
  currencyCode,
}: {
  distribution: SegmentsPage["clvDistribution"];
  currencyCode: string;
}) {
  return (
    <ChartCard title={text.distributionHeading}>
      <Chart
        label={text.distributionHeading}
        empty={!distribution || distribution.customers === 0 ? text.distributionUnavailable : null}
        summary={
          distribution ? (
            <span data-figure="clvDistributionSummary">
              {text.distributionHelp(
                formatMoney(distribution.mean, currencyCode),
                formatMoney(distribution.median, currencyCode),
              )}
            </span>
          ) : null
        }
        rows={distribution?.bins ?? []}
        x={(bin) => rangeLabel(bin, currencyCode)}
        series={[{ name: text.distributionSeries, value: (bin) => bin.customers }]}
        format={(value) => formatCount(Number(value ?? 0))}
        wholeNumbers
        headings={[text.distributionColumns.range, text.distributionColumns.customers, text.distributionColumns.share]}
        cells={(bin) => [rangeLabel(bin, currencyCode), formatCount(bin.customers), formatPercent(bin.share)]}
      />
    </ChartCard>
  );
}
