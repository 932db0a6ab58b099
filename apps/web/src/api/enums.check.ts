// The console keeps its own lists of values for selects and filters (AROMAS, CASE_STATUSES, …);
// these type-level checks make `npm run typecheck` fail when one names other values than the
// API's generated schema. Nothing here runs or reaches the bundle.
import type { OCCASIONS as TEMPLATE_OCCASIONS } from './admin';
import type { CAMPAIGN_OCCASIONS } from './campaigns';
import type { CaseChannel, CasePriority, CaseStatus, CaseType } from './cases';
import type { Calendar, Gender, Occasion, PurchaseChannel, TIMELINE_TYPES } from './customers';
import type { ContactChannel, Outcome, RecoveryOutcome, RootCause } from './follow-ups';
import type { ServqualDimension } from './reports';
import type { Aroma, Schema, Tier } from './types';

type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;

const _sameValues: [
  Exactly<Aroma, Schema<'ProductDto'>['aroma']>,
  Exactly<Tier, Schema<'CustomerDto'>['tier']>,
  Exactly<Gender, NonNullable<Schema<'CustomerDto'>['gender']>>,
  Exactly<Calendar, Schema<'CustomerBirthdayDto'>['calendar']>,
  Exactly<Occasion, Schema<'TasteProfileView'>['occasions'][number]>,
  Exactly<PurchaseChannel, Schema<'PurchaseDto'>['channel']>,
  Exactly<(typeof TIMELINE_TYPES)[number], Schema<'TimelineEventDto'>['type']>,
  Exactly<CaseStatus, Schema<'CaseDto'>['status']>,
  Exactly<CaseType, Schema<'CaseDto'>['type']>,
  Exactly<CasePriority, Schema<'CaseDto'>['priority']>,
  Exactly<CaseChannel, Schema<'CaseDto'>['channel']>,
  Exactly<Outcome, Schema<'CompleteFollowUpDto'>['outcome']>,
  Exactly<ContactChannel, Schema<'CompleteFollowUpDto'>['channel']>,
  Exactly<(typeof TEMPLATE_OCCASIONS)[number], Schema<'TemplateDto'>['occasion']>,
  Exactly<(typeof CAMPAIGN_OCCASIONS)[number], Schema<'CreateCampaignDto'>['occasion']>,
  Exactly<ServqualDimension, Schema<'DriverDto'>['dimension']>,
  Exactly<RootCause, NonNullable<Schema<'CompleteFollowUpDto'>['rootCause']>>,
  Exactly<RecoveryOutcome, NonNullable<Schema<'CompleteFollowUpDto'>['recoveryOutcome']>>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true];
