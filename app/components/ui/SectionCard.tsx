// A part of a page in a card under its title, and a titled part within a card.
import { BlockStack, Card, InlineStack, Text, type BlockStackProps } from "@shopify/polaris";
import type { ReactNode } from "react";

export interface SectionCardProps {
  title: string;
  /** A line under the title, about the whole card. */
  help?: string;
  /** At the title's end: a link elsewhere, a note. */
  action?: ReactNode;
  /** Between the card's parts: forms and details breathe more than a chart and its table. */
  gap?: BlockStackProps["gap"];
  children: ReactNode;
}

export function SectionCard({ title, help, action, gap = "400", children }: SectionCardProps) {
  const heading = (
    <Text as="h2" variant="headingMd">
      {title}
    </Text>
  );
  const titleRow = action ? (
    <InlineStack align="space-between" blockAlign="center">
      {heading}
      {action}
    </InlineStack>
  ) : (
    heading
  );
  return (
    <Card>
      <BlockStack gap={gap}>
        {help ? (
          <BlockStack gap="100">
            {titleRow}
            <Text as="p" tone="subdued">
              {help}
            </Text>
          </BlockStack>
        ) : (
          titleRow
        )}
        {children}
      </BlockStack>
    </Card>
  );
}

/** A titled part of a card: its heading, a line of help, then what it shows. */
export function SubSection({ title, help, children }: { title: string; help?: string; children: ReactNode }) {
  return (
    <BlockStack gap="200">
      <Text as="h3" variant="headingSm">
        {title}
      </Text>
      {help ? (
        <Text as="p" tone="subdued" variant="bodySm">
          {help}
        </Text>
      ) : null}
      {children}
    </BlockStack>
  );
}
