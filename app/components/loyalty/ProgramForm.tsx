// The Loyalty program form's sections. Each field's id is the settings path the validation reports
// problems at (program-draft.ts), so a problem from the server shows under its own field and the
// summary banner can move focus to it. Everything is a native control or a Polaris button: the
// form works by keyboard alone (Tab, Space, arrows in radio groups, Enter to save).
import {
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  FormLayout,
  InlineError,
  InlineStack,
  Select,
  Tag,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState, type ReactNode } from "react";

import { loyaltyStrings } from "~/strings/loyalty";

import { newItemId, type ProgramDraft, type RewardDraft, type RewardType, type TierDraft } from "./program-draft";

const text = loyaltyStrings.program;

export type UpdateDraft = (change: (draft: ProgramDraft) => ProgramDraft) => void;

export interface SectionProps {
  draft: ProgramDraft;
  update: UpdateDraft;
  errors: ReadonlyMap<string, string>;
  currencyCode: string;
}

function Section({ title, help, children }: { title: string; help?: string; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          {help ? (
            <Text as="p" tone="subdued">
              {help}
            </Text>
          ) : null}
        </BlockStack>
        {children}
      </BlockStack>
    </Card>
  );
}

// A group of radio buttons or a list that has no input of its own: focusable by the summary.
function FieldGroup({ id, error, children }: { id: string; error?: string; children: ReactNode }) {
  return (
    <div id={id} tabIndex={-1}>
      <BlockStack gap="100">
        {children}
        {error ? <InlineError message={error} fieldID={id} /> : null}
      </BlockStack>
    </div>
  );
}

export function EnabledSection({ draft, update }: SectionProps) {
  return (
    <Section title={text.enabled.heading}>
      <Checkbox
        id="enabled"
        label={text.enabled.label}
        helpText={text.enabled.help}
        checked={draft.enabled}
        onChange={(enabled) => update((current) => ({ ...current, enabled }))}
      />
    </Section>
  );
}

export function EarningSection({ draft, update, errors, currencyCode }: SectionProps) {
  const days = (
    <Box paddingInlineStart="600" maxWidth="240px">
      <TextField
        id="availability.days"
        label={text.availability.days}
        value={draft.pendingDays}
        onChange={(pendingDays) => update((current) => ({ ...current, pendingDays }))}
        error={errors.get("availability.days")}
        inputMode="numeric"
        suffix={text.expiry.days}
        autoComplete="off"
      />
    </Box>
  );
  return (
    <Section title={text.earning.heading} help={text.earning.basisHelp}>
      <FormLayout>
        <Box maxWidth="320px">
          <TextField
            id="earnRate"
            label={text.earning.earnRate(currencyCode)}
            helpText={text.earning.earnRateHelp}
            value={draft.earnRate}
            onChange={(earnRate) => update((current) => ({ ...current, earnRate }))}
            error={errors.get("earnRate")}
            inputMode="decimal"
            autoComplete="off"
          />
        </Box>
        <InlineStack gap="600">
          <Checkbox
            id="includeTax"
            label={text.earning.includeTax}
            checked={draft.includeTax}
            onChange={(includeTax) => update((current) => ({ ...current, includeTax }))}
            error={errors.get("includeTax")}
          />
          <Checkbox
            id="includeShipping"
            label={text.earning.includeShipping}
            checked={draft.includeShipping}
            onChange={(includeShipping) => update((current) => ({ ...current, includeShipping }))}
            error={errors.get("includeShipping")}
          />
        </InlineStack>
        <FieldGroup id="availability.when">
          <ChoiceList
            title={text.availability.heading}
            name="availability"
            selected={[draft.availability]}
            onChange={([when]) =>
              update((current) => ({ ...current, availability: when as ProgramDraft["availability"] }))
            }
            error={errors.get("availability.when") ?? errors.get("availability")}
            choices={[
              { value: "paid", label: text.availability.paid },
              { value: "fulfilled", label: text.availability.fulfilled },
              {
                value: "afterDays",
                label: text.availability.afterDays,
                helpText: text.availability.afterDaysHelp,
                renderChildren: (selected) => (selected ? days : false),
              },
            ]}
          />
        </FieldGroup>
      </FormLayout>
    </Section>
  );
}

export function BonusesSection({ draft, update, errors }: SectionProps) {
  const field = (kind: keyof ProgramDraft["bonuses"]) => (
    <TextField
      id={`bonuses.${kind}`}
      label={text.bonuses[kind]}
      value={draft.bonuses[kind]}
      onChange={(value) => update((current) => ({ ...current, bonuses: { ...current.bonuses, [kind]: value } }))}
      error={errors.get(`bonuses.${kind}`)}
      inputMode="numeric"
      suffix={text.bonuses.suffix}
      autoComplete="off"
    />
  );
  return (
    <Section title={text.bonuses.heading} help={text.bonuses.help}>
      <FormLayout>
        <FormLayout.Group condensed>
          {field("signUp")}
          {field("firstOrder")}
          {field("birthday")}
        </FormLayout.Group>
      </FormLayout>
    </Section>
  );
}

export function ExpirySection({ draft, update, errors }: SectionProps) {
  return (
    <Section title={text.expiry.heading} help={text.expiry.help}>
      <Checkbox
        id="expiry.on"
        label={text.expiry.label}
        checked={draft.expiryOn}
        onChange={(expiryOn) => update((current) => ({ ...current, expiryOn }))}
      />
      {draft.expiryOn ? (
        <FormLayout>
          <FormLayout.Group condensed>
            <TextField
              id="expiry.inactiveDays"
              label={text.expiry.inactiveDays}
              value={draft.inactiveDays}
              onChange={(inactiveDays) => update((current) => ({ ...current, inactiveDays }))}
              error={errors.get("expiry.inactiveDays") ?? errors.get("expiry")}
              inputMode="numeric"
              suffix={text.expiry.days}
              autoComplete="off"
            />
            <TextField
              id="expiry.warningDays"
              label={text.expiry.warningDays}
              value={draft.warningDays}
              onChange={(warningDays) => update((current) => ({ ...current, warningDays }))}
              error={errors.get("expiry.warningDays")}
              inputMode="numeric"
              suffix={text.expiry.days}
              autoComplete="off"
            />
          </FormLayout.Group>
        </FormLayout>
      ) : null}
    </Section>
  );
}

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
    <Section title={text.rewards.heading} help={text.rewards.help}>
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
    </Section>
  );
}

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
  return (
    <Section title={text.tiers.heading} help={text.tiers.help}>
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
              <Select
                id="tiers.basis"
                label={text.tiers.basis}
                value={draft.tierBasis}
                onChange={(basis) =>
                  update((current) => ({ ...current, tierBasis: basis as ProgramDraft["tierBasis"] }))
                }
                error={errors.get("tiers.basis")}
                options={(["netSpend", "pointsEarned"] as const).map((basis) => ({
                  value: basis,
                  label: text.tiers.bases[basis],
                }))}
              />
              <Select
                id="tiers.window"
                label={text.tiers.window}
                value={draft.tierWindow}
                onChange={(window) =>
                  update((current) => ({ ...current, tierWindow: window as ProgramDraft["tierWindow"] }))
                }
                error={errors.get("tiers.window")}
                options={(["rolling12Months", "lifetime"] as const).map((window) => ({
                  value: window,
                  label: text.tiers.windows[window],
                }))}
              />
              <Select
                id="tiers.review"
                label={text.tiers.review}
                value={draft.tierReview}
                onChange={(review) =>
                  update((current) => ({ ...current, tierReview: review as ProgramDraft["tierReview"] }))
                }
                error={errors.get("tiers.review")}
                options={(["monthly", "quarterly", "yearly", "never"] as const).map((review) => ({
                  value: review,
                  label: text.tiers.reviews[review],
                }))}
              />
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
    </Section>
  );
}

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
    <Section title={text.exclusions.heading} help={text.exclusions.help}>
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
    </Section>
  );
}
