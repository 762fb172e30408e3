// The program on or off.
import { Checkbox } from "@shopify/polaris";

import { SectionCard } from "~/components/ui/SectionCard";

import { type SectionProps, text } from "./fields";

export function EnabledSection({ draft, update }: SectionProps) {
  return (
    <SectionCard title={text.enabled.heading}>
      <Checkbox
        id="enabled"
        label={text.enabled.label}
        helpText={text.enabled.help}
        checked={draft.enabled}
        onChange={(enabled) => update((current) => ({ ...current, enabled }))}
      />
    </SectionCard>
  );
}
