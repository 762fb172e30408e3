// Tiers: the basis, window and review of membership, and the levels in order, moved by button.
import {
  BlockStack,
  Box,
  Button,
  Checkbox,
  FormLayout,
  InlineError,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";

import { SectionCard } from "~/components/ui/SectionCard";

import { type SectionProps, type UpdateDraft, text } from "./fields";
import { newItemId, type ProgramDraft, type TierDraft } from "./program-draft";

function moveItem<Item>(items: readonly Item[], from: number, to: number): Item[] {
  const moved = [...items];
  const [item] = moved.splice(from, 1);
  moved.splice(to, 0, item);
  return moved;
}

function TierFields({
  tier,
  index,
  count,
  draft,
  update,
  errors,
  currencyCode,
}: {
  tier: TierDraft;
  index: number;
  count: number;
  draft: ProgramDraft;
  update: UpdateDraft;
  errors: ReadonlyMap<string, string>;
  currencyCode: string;
}) {
  const path = `tiers.levels.${index}`;
  const change = (patch: Partial<TierDraft>) =>
    update((current) => ({
      ...current,
      tiers: current.tiers.map((item, position) => (position === index ? { ...item, ...patch } : item)),
    }));
  const move = (to: number) => {
    update((current) => ({ ...current, tiers: moveItem(current.tiers, index, to) }));
    // Keep focus on the moved tier's button, so it can be moved again; at the top or bottom that
    // button is disabled, and its other move button takes the focus.
    const [same, other] = to < index ? ["up", "down"] : ["down", "up"];
    requestAnimationFrame(() => {
      const button = document.getElementById(`tier-${tier.id}-${same}`) as HTMLButtonElement | null;
      (button && !button.disabled ? button : document.getElementById(`tier-${tier.id}-${other}`))?.focus();
    });
  };
  const label = tier.name.trim() || text.tiers.untitled(index + 1);
  return (
    <Box padding="400" borderWidth="025" borderColor="border" borderRadius="200">
      <div data-tier={tier.id}>
        <BlockStack gap="300">
          <FormLayout>
            <FormLayout.Group condensed>
              <TextField
                id={`${path}.name`}
                label={text.tiers.name}
                value={tier.name}
                onChange={(name) => change({ name })}
                error={errors.get(`${path}.name`) ?? errors.get(`${path}.id`)}
                autoComplete="off"
              />
              <TextField
                id={`${path}.threshold`}
                label={
                  draft.tierBasis === "netSpend" ? text.tiers.thresholdSpend(currencyCode) : text.tiers.thresholdPoints
                }
                value={tier.threshold}
                onChange={(threshold) => change({ threshold })}
                error={errors.get(`${path}.threshold`)}
                inputMode="decimal"
                autoComplete="off"
              />
              <TextField
                id={`${path}.earnMultiplier`}
                label={text.tiers.multiplier}
                helpText={text.tiers.multiplierHelp}
                value={tier.earnMultiplier}
                onChange={(earnMultiplier) => change({ earnMultiplier })}
                error={errors.get(`${path}.earnMultiplier`)}
                inputMode="decimal"
                suffix="×"
                autoComplete="off"
              />
            </FormLayout.Group>
          </FormLayout>
          <InlineStack gap="300" align="end">
            <Button
              id={`tier-${tier.id}-up`}
              variant="plain"
              disabled={index === 0}
              accessibilityLabel={text.tiers.moveUpLabel(label)}
              onClick={() => move(index - 1)}
            >
              {text.tiers.moveUp}
            </Button>
            <Button
              id={`tier-${tier.id}-down`}
              variant="plain"
              disabled={index === count - 1}
              accessibilityLabel={text.tiers.moveDownLabel(label)}
              onClick={() => move(index + 1)}
            >
              {text.tiers.moveDown}
            </Button>
            <Button
              tone="critical"
              variant="plain"
              accessibilityLabel={text.tiers.removeLabel(label)}
              onClick={() =>
                update((current) => ({ ...current, tiers: current.tiers.filter((_, position) => position !== index) }))
              }
            >
              {text.tiers.remove}
            </Button>
          </InlineStack>
        </BlockStack>
      </div>
    </Box>
  );
}

export function TiersSection({ draft, update, errors, currencyCode }: SectionProps) {
  const add = () => {
    update((current) => ({
      ...current,
      tiers: [
        ...current.tiers,
        { id: newItemId("tier", current.tiers), name: text.tiers.newName, threshold: "", earnMultiplier: "1" },
      ],
    }));
    requestAnimationFrame(() => document.getElementById(`tiers.levels.${draft.tiers.length}.name`)?.focus());
  };
  // How tiers work, each chosen from a list; its field id is its settings path (tiers.basis…).
  const setting = <Key extends "tierBasis" | "tierWindow" | "tierReview">(
    key: Key,
    name: "basis" | "window" | "review",
    values: readonly ProgramDraft[Key][],
    labels: Record<ProgramDraft[Key], string>,
  ) => (
    <Select
      id={`tiers.${name}`}
      label={text.tiers[name]}
      value={draft[key]}
      onChange={(value) => update((current) => ({ ...current, [key]: value as ProgramDraft[Key] }))}
      error={errors.get(`tiers.${name}`)}
      options={values.map((value) => ({ value, label: labels[value] }))}
    />
  );
  return (
    <SectionCard title={text.tiers.heading} help={text.tiers.help}>
      <Checkbox
        id="tiers.on"
        label={text.tiers.label}
        checked={draft.tiersOn}
        onChange={(tiersOn) => update((current) => ({ ...current, tiersOn }))}
      />
      {draft.tiersOn ? (
        <BlockStack gap="400">
          <FormLayout>
            <FormLayout.Group condensed>
              {setting("tierBasis", "basis", ["netSpend", "pointsEarned"], text.tiers.bases)}
              {setting("tierWindow", "window", ["rolling12Months", "lifetime"], text.tiers.windows)}
              {setting("tierReview", "review", ["monthly", "quarterly", "yearly", "never"], text.tiers.reviews)}
            </FormLayout.Group>
          </FormLayout>
          <Text as="p" tone="subdued">
            {text.tiers.levelsHelp}
          </Text>
          <BlockStack gap="300">
            {draft.tiers.map((tier, index) => (
              <TierFields
                key={tier.id}
                tier={tier}
                index={index}
                count={draft.tiers.length}
                draft={draft}
                update={update}
                errors={errors}
                currencyCode={currencyCode}
              />
            ))}
          </BlockStack>
          <BlockStack gap="100">
            <InlineStack>
              <Button id="tiers.add" onClick={add}>
                {text.tiers.add}
              </Button>
            </InlineStack>
            {errors.get("tiers.levels") ? (
              <InlineError message={errors.get("tiers.levels")!} fieldID="tiers.add" />
            ) : null}
          </BlockStack>
        </BlockStack>
      ) : null}
    </SectionCard>
  );
}
