// The cohort retention table: one row per first-order month, one cell per month since, coloured
// by the share who had ordered again. Every cell also shows its value as text, and the headers
// are real table headers, so nothing depends on seeing the colour.
import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

import { ChartCard } from "~/components/ui/ChartCard";
import { formatCount, formatMonth, formatPercent } from "~/components/ui/format";
import type { SegmentsPage } from "~/insight/shop-insight.server";
import { insightStrings } from "~/strings/insight";

const text = insightStrings.segments;

// One hue from pale to mid green, relative to the table's largest value so a shop with low
// repeat rates still sees its differences. It stops at 38% lightness so dark text keeps a
// contrast of at least 4.7:1 on every cell (WCAG AA).
function cellColours(value: number, max: number): { background: string; color: string } {
  const strength = max > 0 ? Math.min(1, value / max) : 0;
  return { background: `hsl(160, 55%, ${(97 - strength * 59).toFixed(1)}%)`, color: "#1a1a1a" };
}

const cell = { padding: "6px 8px", textAlign: "right" as const, whiteSpace: "nowrap" as const, fontSize: 13 };
const headerCell = { ...cell, fontWeight: 600, background: "var(--p-color-bg-surface-secondary, #f7f7f7)" };

function CohortHeatmap({ cohorts }: { cohorts: SegmentsPage["cohorts"] }) {
  const withCustomers = cohorts.filter((cohort) => cohort.customers > 0);
  if (withCustomers.length === 0) {
    return (
      <Text as="p" tone="subdued">
        {text.cohortEmpty}
      </Text>
    );
  }
  const offsets = Math.max(...cohorts.map((cohort) => cohort.returnedShare.length));
  const max = Math.max(0, ...cohorts.flatMap((cohort) => cohort.returnedShare));
  return (
    <BlockStack gap="200">
      {/* Focusable so keyboard users can scroll a table wider than the screen. */}
      <div role="region" aria-label={text.cohortCaption} tabIndex={0} style={{ overflowX: "auto" }}>
        <table style={{ borderCollapse: "collapse", width: "100%" }} data-chart="cohort-heatmap">
          <caption style={{ textAlign: "left", paddingBottom: 8 }}>
            <Text as="span" variant="bodySm" tone="subdued">
              {text.cohortCaption}
            </Text>
          </caption>
          <thead>
            <tr>
              <th scope="col" style={{ ...headerCell, textAlign: "left" }}>
                {text.cohortFirstOrderMonth}
              </th>
              <th scope="col" style={headerCell}>
                {text.cohortCustomers}
              </th>
              {Array.from({ length: offsets }, (_, k) => (
                <th scope="col" key={k} style={headerCell}>
                  <span aria-hidden="true">{text.cohortOffset(k)}</span>
                  <Text as="span" visuallyHidden>
                    {text.cohortOffsetLong(k)}
                  </Text>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {cohorts.map((cohort) => (
              <tr key={cohort.month}>
                <th scope="row" style={{ ...cell, textAlign: "left", fontWeight: 600 }}>
                  {formatMonth(cohort.month)}
                </th>
                <td style={cell}>{formatCount(cohort.customers)}</td>
                {cohort.customers === 0 ? (
                  <td colSpan={offsets} style={{ ...cell, textAlign: "left", color: "#616161" }}>
                    {text.cohortNoCustomers}
                  </td>
                ) : (
                  Array.from({ length: offsets }, (_, k) => {
                    const value = cohort.returnedShare[k];
                    // Cells after this month are in the future: blank, not 0%.
                    if (value === undefined) return <td key={k} style={cell} />;
                    return (
                      <td key={k} style={{ ...cell, ...cellColours(value, max) }}>
                        {formatPercent(value)}
                      </td>
                    );
                  })
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <InlineStack gap="200" blockAlign="center">
        <Text as="span" variant="bodySm" tone="subdued">
          {formatPercent(0)}
        </Text>
        <span
          aria-hidden="true"
          style={{
            display: "inline-block",
            width: 120,
            height: 10,
            borderRadius: 4,
            background: `linear-gradient(to right, ${cellColours(0, max).background}, ${cellColours(max, max).background})`,
          }}
        />
        <Text as="span" variant="bodySm" tone="subdued">
          {formatPercent(max)}
        </Text>
      </InlineStack>
    </BlockStack>
  );
}

// The heatmap in its card, under what it shows; `action` at the title's end.
export function CohortCard({ cohorts, action }: { cohorts: SegmentsPage["cohorts"]; action?: ReactNode }) {
  return (
    <ChartCard title={text.cohortHeading} action={action}>
      <Text as="p" tone="subdued">
        {text.cohortHelp}
      </Text>
      <CohortHeatmap cohorts={cohorts} />
    </ChartCard>
  );
}
