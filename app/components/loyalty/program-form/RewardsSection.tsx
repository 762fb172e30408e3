// The rewards points buy, one box of fields each, added and removed by button.
import { BlockStack, Box, Button, Checkbox, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";

import { SectionCard } from "~/components/ui/SectionCard";

import { FieldGroup, type SectionProps, type UpdateDraft, text } from "./fields";
import { newItemId, type RewardDraft, type RewardType } from "./program-draft";

function RewardFields({
  reward,
  index,
  update,
  errors,
  currencyCode,
}: {
  reward: RewardDraft;
  index: number;
  update: UpdateDraft;
  errors: ReadonlyMap<string, string>;
  currencyCode: string;
}) {
  const path = `rewards.${index}`;
  const change = (patch: Partial<RewardDraft>) =>
    update((current) => ({
      ...current,
      rewards: current.rewards.map((item, position) => (position === index ? { ...item, ...patch } : item)),
    }));
  const label = reward.name.trim() || text.rewards.untitled(index + 1);
  const discountError = errors.get(`${path}.discount`);
  return (
    <Box padding="400" borderWidth="025" borderColor="border" borderRadius="200">
      <div data-reward={reward.id}>
        <BlockStack gap="300">
          <FormLayout>
            <FormLayout.Group>
              <TextField
                id={`${path}.name`}
                label={text.rewards.name}
                value={reward.name}
                onChange={(name) => change({ name })}
                error={errors.get(`${path}.name`) ?? errors.get(`${path}.id`)}
                autoComplete="off"
              />
              <Select
                id={`${path}.discount.type`}
                label={text.rewards.type}
                value={reward.type}
                onChange={(type) => change({ type: type as RewardType })}
                error={reward.type === "freeShipping" ? discountError : undefined}
                options={(["fixedAmount", "percentage", "freeShipping"] as const).map((type) => ({
                  value: type,
                  label: text.rewards.types[type],
                }))}
              />
            </FormLayout.Group>
            <FormLayout.Group condensed>
              {reward.type === "fixedAmount" ? (
                <TextField
                  id={`${path}.discount.amount`}
                  label={text.rewards.amount}
                  value={reward.amount}
                  onChange={(amount) => change({ amount })}
                  error={errors.get(`${path}.discount.amount`) ?? discountError}
                  inputMode="decimal"
                  suffix={currencyCode}
                  autoComplete="off"
                />
              ) : reward.type === "percentage" ? (
                <TextField
                  id={`${path}.discount.percent`}
                  label={text.rewards.percent}
                  value={reward.percent}
                  onChange={(percent) => change({ percent })}
                  error={errors.get(`${path}.discount.percent`) ?? discountError}
                  inputMode="numeric"
                  suffix="%"
                  autoComplete="off"
                />
              ) : null}
              <TextField
                id={`${path}.pointsCost`}
                label={text.rewards.pointsCost}
                value={reward.pointsCost}
                onChange={(pointsCost) => change({ pointsCost })}
                error={errors.get(`${path}.pointsCost`)}
                inputMode="numeric"
                autoComplete="off"
              />
              <TextField
                id={`${path}.minimumOrder`}
                label={text.rewards.minimumOrder}
                helpText={text.rewards.minimumOrderHelp}
                value={reward.minimumOrder}
                onChange={(minimumOrder) => change({ minimumOrder })}
                error={errors.get(`${path}.minimumOrder`)}
                inputMode="decimal"
                suffix={currencyCode}
                autoComplete="off"
              />
            </FormLayout.Group>
          </FormLayout>
          <InlineStack align="end">
            <Button
              tone="critical"
              variant="plain"
              accessibilityLabel={text.rewards.removeLabel(label)}
              onClick={() =>
                update((current) => ({
                  ...current,
                  rewards: current.rewards.filter((_, position) => position !== index),
                }))
              }
            >
              {text.rewards.remove}
            </Button>
          </InlineStack>
        </BlockStack>
      </div>
    </Box>
  );
}

export function RewardsSection({ draft, update, errors, currencyCode }: SectionProps) {
  const add = () => {
    update((current) => ({
      ...current,
      rewards: [
        ...current.rewards,
        {
          id: newItemId("reward", current.rewards),
          name: text.rewards.newName,
          type: "fixedAmount",
          amount: "5.00",
          percent: "10",
          pointsCost: "500",
          minimumOrder: "0.00",
        },
      ],
    }));
    // Focus the new reward's name, so a keyboard user can type it at once.
    requestAnimationFrame(() => document.getElementById(`rewards.${draft.rewards.length}.name`)?.focus());
  };
  return (
    <SectionCard title={text.rewards.heading} help={text.rewards.help}>
      <FieldGroup id="rewards" error={errors.get("rewards")}>
        {draft.rewards.length ? (
          <BlockStack gap="300">
            {draft.rewards.map((reward, index) => (
              <RewardFields
                key={reward.id}
                reward={reward}
                index={index}
                update={update}
                errors={errors}
                currencyCode={currencyCode}
              />
            ))}
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            {text.rewards.empty}
          </Text>
        )}
      </FieldGroup>
      <InlineStack>
        <Button onClick={add}>{text.rewards.add}</Button>
      </InlineStack>
      <Checkbox
        id="returnRedeemedPointsOnCancel"
        label={text.rewards.returnOnCancel}
        checked={draft.returnRedeemedPointsOnCancel}
        onChange={(returnRedeemedPointsOnCancel) => update((current) => ({ ...current, returnRedeemedPointsOnCancel }))}
        error={errors.get("returnRedeemedPointsOnCancel")}
      />
    </SectionCard>
  );
}
