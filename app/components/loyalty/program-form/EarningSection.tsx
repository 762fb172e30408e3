// Points per unit spent, what counts as spent, and when points become available.
import { Box, Checkbox, ChoiceList, FormLayout, InlineStack, TextField } from "@shopify/polaris";

import { SectionCard } from "~/components/ui/SectionCard";

import { FieldGroup, type SectionProps, text } from "./fields";
import type { ProgramDraft } from "./program-draft";

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
    <SectionCard title={text.earning.heading} help={text.earning.basisHelp}>
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
    </SectionCard>
  );
}
