// Predicted against actual repeat orders per customer in the holdout period, for customers
// grouped by their repeat orders before it: the usual check of a purchase model, as two bars
// side by side per group. Per customer rather than totals, so small and large groups compare.
import { Chart } from "~/components/ui/ChartCard";
import { formatCount, formatDecimal, formatPercent } from "~/components/ui/format";
import type { BacktestBin } from "~/insight/shop-insight.server";
import { insightStrings } from "~/strings/insight";

const text = insightStrings.modelAccuracy;

export function BacktestChart({ bins }: { bins: BacktestBin[] }) {
  const columns = text.binColumns;
  return (
    <Chart
      label={text.chartHeading}
      height={280}
      legend
      rows={bins.filter((bin) => bin.customers > 0)}
      x={(bin) => text.binLabel(bin.label)}
      series={[
        { name: text.predictedSeries, value: (bin) => bin.predictedPerCustomer },
        { name: text.actualSeries, value: (bin) => bin.actualPerCustomer },
      ]}
      format={(value) => formatDecimal(typeof value === "number" ? value : null)}
      headings={[
        columns.group,
        columns.customers,
        columns.predicted,
        columns.actual,
        columns.predictedTotal,
        columns.actualTotal,
        columns.error,
      ]}
      cells={(bin) => [
        bin.label,
        formatCount(bin.customers),
        formatDecimal(bin.predictedPerCustomer),
        formatDecimal(bin.actualPerCustomer),
        formatDecimal(bin.predicted, 1),
        formatCount(bin.actual),
        formatPercent(bin.absolutePercentageError),
      ]}
    />
  );
}
