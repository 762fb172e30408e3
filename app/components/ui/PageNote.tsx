// A small line at the foot of a page's layout: when its figures were worked out, what they cover.
import { Layout, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

export function PageNote({ children }: { children: ReactNode }) {
  return (
    <Layout.Section>
      <Text as="p" tone="subdued" variant="bodySm">
        {children}
      </Text>
    </Layout.Section>
  );
}
