// The Loyalty program form, a section per file; the page (routes/app.loyalty._index.tsx) lays
// them out and saves the draft they edit (program-draft.ts).
export { BonusesSection } from "./BonusesSection";
export { EarningSection } from "./EarningSection";
export { EnabledSection } from "./EnabledSection";
export { ExclusionsSection } from "./ExclusionsSection";
export { ExpirySection } from "./ExpirySection";
export type { SectionProps, UpdateDraft } from "./fields";
export { RewardsSection } from "./RewardsSection";
export { TiersSection } from "./TiersSection";
