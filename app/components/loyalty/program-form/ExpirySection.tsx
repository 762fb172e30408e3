// Whether points expire after a time without activity, and how early members are warned.
import { Checkbox, FormLayout, TextField } from "@shopify/polaris";

import { SectionCard } from "~/components/ui/SectionCard";

import { type SectionProps, text } from "./fields";

export function ExpirySection({ draft, update, errors }: SectionProps) {
  return (
    <SectionCard title={text.expiry.heading} help={text.expiry.help}>
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
    </SectionCard>
  );
}
