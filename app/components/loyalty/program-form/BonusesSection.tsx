// Points given once: on sign-up, a first order, a birthday.
import { FormLayout, TextField } from "@shopify/polaris";

import { SectionCard } from "~/components/ui/SectionCard";

import { type SectionProps, text } from "./fields";
import type { ProgramDraft } from "./program-draft";

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
    <SectionCard title={text.bonuses.heading} help={text.bonuses.help}>
      <FormLayout>
        <FormLayout.Group condensed>
          {field("signUp")}
          {field("firstOrder")}
          {field("birthday")}
        </FormLayout.Group>
      </FormLayout>
    </SectionCard>
  );
}
