// Follow-ups (回访): a butler's open tasks and completing them.
import { http, Page, Query } from './client';
import type { QueryOf, Schema } from './types';

export type FollowUp = Schema<'FollowUpDto'>;
export type FollowUpKind = FollowUp['kind'];
export type FollowUpStatus = FollowUp['status'];
export const OUTCOMES = ['reached', 'no_answer', 'left_message', 'declined', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const CONTACT_CHANNELS = ['phone', 'wechat', 'visit', 'sms', 'email', 'other'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
// A recovery task's root cause (产品质量 …) and what the call achieved, as the API names them.
export const ROOT_CAUSES = [
  'product_quality',
  'logistics',
  'authenticity',
  'price',
  'butler_service',
  'other',
] as const;
export type RootCause = (typeof ROOT_CAUSES)[number];
export const RECOVERY_OUTCOMES = ['resolved', 'compensated', 'explained', 'unresolved'] as const;
export type RecoveryOutcome = (typeof RECOVERY_OUTCOMES)[number];

export type CompleteBody = Schema<'CompleteFollowUpDto'>;

// What the API decided about a survey for this contact.
export type SurveyDecision = Schema<'SurveyDecisionDto'>;

export type FollowUpFilters = QueryOf<'FollowUpsController_list'>;

export const followUpKeys = {
  all: ['follow-ups'] as const,
  list: (filters: FollowUpFilters) => ['follow-ups', filters] as const,
};

export type CreateFollowUpBody = Schema<'CreateFollowUpDto'>;

export const followUpsApi = {
  list: (filters: FollowUpFilters) => http.get<Page<FollowUp>>('/follow-ups', filters as Query),
  create: (body: CreateFollowUpBody) => http.post<FollowUp>('/follow-ups', body),
  complete: (id: string, body: CompleteBody) =>
    http.post<Schema<'CompletedFollowUpDto'>>(`/follow-ups/${id}/complete`, body),
};
