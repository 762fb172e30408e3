// What shoppers will read, as the preview (app/core/loyalty/preview.ts) words it. Announced
// politely to screen readers as it changes, so a merchant hears the effect of what they type.
import { Badge, BlockStack, Box, Card, InlineStack, List, Text } from "@shopify/polaris";

import type { LoyaltyPreview } from "~/core/loyalty/preview";
import { loyaltyStrings } from "~/strings/loyalty";

const text = loyaltyStrings.program;

function Heading({ children }: { children: string }) {
  return (
    <Text as="h3" variant="headingSm">
      {children}
    </Text>
  );
}

export function ProgramPreview({ preview, stale }: { preview: LoyaltyPreview; stale: boolean }) {
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {text.previewHeading}
          </Text>
          <Text as="p" tone={stale ? "caution" : "subdued"}>
            <span data-preview="state">{stale ? text.previewStale : text.previewHelp}</span>
          </Text>
        </BlockStack>
        <div aria-live="polite" data-preview="body">
          <BlockStack gap="400">
            {preview.offNotice ? (
              <Box background="bg-surface-secondary" padding="200" borderRadius="200">
                <Text as="p" tone="subdued">
                  <span data-preview="off">{preview.offNotice}</span>
                </Text>
              </Box>
            ) : null}
            <BlockStack gap="200">
              <Heading>{text.previewSections.earning}</Heading>
              <Text as="p" variant="headingLg">
                <span data-preview="earn">{preview.earn}</span>
              </Text>
              <Text as="p">{preview.spendBasis}</Text>
              <Text as="p">
                <span data-preview="availability">{preview.availability}</span>
              </Text>
              {preview.expiry.map((line) => (
                <Text as="p" key={line}>
                  <span data-preview="expiry">{line}</span>
                </Text>
              ))}
            </BlockStack>
            {preview.bonuses.length ? (
              <BlockStack gap="200">
                <Heading>{text.previewSections.bonuses}</Heading>
                <List>
                  {preview.bonuses.map((bonus) => (
                    <List.Item key={bonus}>
                      <span data-preview="bonus">{bonus}</span>
                    </List.Item>
                  ))}
                </List>
              </BlockStack>
            ) : null}
            <BlockStack gap="200">
              <Heading>{text.previewSections.rewards}</Heading>
              {preview.rewards.map((reward) => (
                <Box key={reward.id} padding="200" background="bg-surface-secondary" borderRadius="200">
                  <div data-preview-reward={reward.id}>
                    <InlineStack align="space-between" blockAlign="start" gap="200" wrap={false}>
                      <BlockStack gap="050">
                        <Text as="p" fontWeight="semibold">
                          {reward.name}
                        </Text>
                        {reward.details.map((detail) => (
                          <Text as="p" variant="bodySm" tone="subdued" key={detail}>
                            {detail}
                          </Text>
                        ))}
                      </BlockStack>
                      <Badge>{reward.cost}</Badge>
                    </InlineStack>
                  </div>
                </Box>
              ))}
              {preview.rewardRules.map((rule) => (
                <Text as="p" variant="bodySm" tone="subdued" key={rule}>
                  {rule}
                </Text>
              ))}
            </BlockStack>
            {preview.tiers ? (
              <BlockStack gap="200">
                <Heading>{text.previewSections.tiers}</Heading>
                <ol style={{ margin: 0, paddingInlineStart: 20 }}>
                  {preview.tiers.map((tier) => (
                    <li key={tier.id} data-preview-tier={tier.id}>
                      <Text as="span" fontWeight="semibold">
                        {tier.name}
                      </Text>
                      <Text as="span" tone="subdued">
                        {" "}
                        · {tier.requirement} · {tier.perk}
                      </Text>
                    </li>
                  ))}
                </ol>
                {preview.tierRules.map((rule) => (
                  <Text as="p" variant="bodySm" tone="subdued" key={rule}>
                    {rule}
                  </Text>
                ))}
              </BlockStack>
            ) : null}
          </BlockStack>
        </div>
      </BlockStack>
    </Card>
  );
}
