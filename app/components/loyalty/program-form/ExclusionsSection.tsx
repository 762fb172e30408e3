// Customer tags that leave a customer out of the program, added with Enter or the button.
import { Box, Button, InlineStack, Tag, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

import { SectionCard } from "~/components/ui/SectionCard";

import { type SectionProps, text } from "./fields";

export function ExclusionsSection({ draft, update, errors }: SectionProps) {
  const [tag, setTag] = useState("");
  const tagErrors = draft.excludedCustomerTags
    .map((_, index) => errors.get(`excludedCustomerTags.${index}`))
    .filter((message): message is string => Boolean(message));
  const add = () => {
    const value = tag.trim();
    if (!value) return;
    update((current) =>
      current.excludedCustomerTags.some((existing) => existing.toLowerCase() === value.toLowerCase())
        ? current
        : { ...current, excludedCustomerTags: [...current.excludedCustomerTags, value] },
    );
    setTag("");
  };
  return (
    <SectionCard title={text.exclusions.heading} help={text.exclusions.help}>
      {/* Enter adds the tag rather than saving the whole form. */}
      <div
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            add();
          }
        }}
      >
        <Box maxWidth="420px">
          <TextField
            id="excludedCustomerTags"
            label={text.exclusions.tag}
            value={tag}
            onChange={setTag}
            error={errors.get("excludedCustomerTags") ?? (tagErrors.length ? tagErrors.join(" ") : undefined)}
            autoComplete="off"
            connectedRight={<Button onClick={add}>{text.exclusions.add}</Button>}
          />
        </Box>
      </div>
      {draft.excludedCustomerTags.length ? (
        <InlineStack gap="200">
          {draft.excludedCustomerTags.map((excluded) => (
            <span key={excluded} data-excluded-tag={excluded}>
              <Tag
                onRemove={() =>
                  update((current) => ({
                    ...current,
                    excludedCustomerTags: current.excludedCustomerTags.filter((item) => item !== excluded),
                  }))
                }
              >
                {excluded}
              </Tag>
            </span>
          ))}
        </InlineStack>
      ) : (
        <Text as="p" tone="subdued">
          {text.exclusions.empty}
        </Text>
      )}
    </SectionCard>
  );
}
