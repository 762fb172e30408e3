// What every insight chart shares: polaris-viz drawn in the browser only, and the same figures
// as a table for screen readers, keyboard users and anyone who wants exact numbers.
//
// polaris-viz reads `window` while rendering (ChartContainer's touch detection), so it cannot
// render on the server: the chart mounts after hydration, in a box of its final height so the
// page does not jump, and the table is in the server's HTML from the start.
import { BarChart, PolarisVizProvider, type DataSeries } from "@shopify/polaris-viz";
import { BlockStack, DataTable, Text } from "@shopify/polaris";
import { useEffect, useState, type ReactNode } from "react";

import { formatCount } from "~/components/ui/format";
import { insightStrings } from "~/strings/insight";

export function useMounted(): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

export function ClientChart({
  label,
  height = 260,
  chart,
}: {
  label: string;
  height?: number;
  chart: () => ReactNode;
}) {
  const mounted = useMounted();
  return (
    <div style={{ height }} aria-label={label} role="group">
      {mounted ? (
        <PolarisVizProvider>{chart()}</PolarisVizProvider>
      ) : (
        <Text as="p" tone="subdued">
          {insightStrings.common.chartLoading}
        </Text>
      )}
    </div>
  );
}

export interface FiguresTableProps {
  caption: string;
  headings: string[];
  /** The first column is text, the others numbers. */
  rows: (string | ReactNode)[][];
}

// A native <details>: opens with Enter or Space, and works before the page's JavaScript runs.
export function FiguresTable({ caption, headings, rows }: FiguresTableProps) {
  return (
    <details>
      <summary style={{ cursor: "pointer" }}>
        <Text as="span" variant="bodySm">
          {insightStrings.common.showTable}
        </Text>
      </summary>
      <BlockStack gap="100">
        <Text as="p" visuallyHidden>
          {caption}
        </Text>
        <DataTable
          columnContentTypes={headings.map((_, i) => (i === 0 ? "text" : "numeric"))}
          headings={headings}
          rows={rows}
          increasedTableDensity
          hoverable={false}
        />
      </BlockStack>
    </details>
  );
}

// A bar chart of customer counts (one series, whole numbers), drawn after hydration.
export function CountBarChart({ label, data }: { label: string; data: DataSeries[] }) {
  return (
    <ClientChart
      label={label}
      chart={() => (
        <BarChart
          data={data}
          showLegend={false}
          isAnimated={false}
          yAxisOptions={{ integersOnly: true }}
          tooltipOptions={{ valueFormatter: (value) => formatCount(Number(value ?? 0)) }}
        />
      )}
    />
  );
}
