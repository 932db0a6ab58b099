// Follow-ups (回访): a butler's open tasks and completing them.
import { http, Page, Query } from './client';

export type FollowUpKind = 'post_purchase' | 'manual' | 'recovery' | 'churn_risk';
export type FollowUpStatus = 'open' | 'done' | 'cancelled';
export const OUTCOMES = ['reached', 'no_answer', 'left_message', 'declined', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const CONTACT_CHANNELS = ['phone', 'wechat', 'visit', 'sms', 'email', 'other'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export interface FollowUp {
  id: string;
  customerId: string;
  customerName: string | null;
  butlerId: string;
  kind: FollowUpKind;
  title: string;
  dueAt: string;
  status: FollowUpStatus;
  overdue: boolean;
  assignedBy: string | null;
  purchaseId: string | null;
  note: string;
  outcome: string | null;
  completedAt: string | null;
  interactionId: string | null;
  createdAt: string;
}

export interface CompleteBody {
  outcome: Outcome;
  channel: ContactChannel;
  note?: string;
}

// What the API decided about a survey for this contact.
export interface SurveyDecision {
  invited: boolean;
  sendAt?: string;
  reason?: string;
}

export interface FollowUpFilters {
  status?: FollowUpStatus;
  due?: 'today' | 'overdue' | 'upcoming';
  customerId?: string;
  butlerId?: string;
  limit?: number;
  cursor?: string;
}

export const followUpKeys = {
  all: ['follow-ups'] as const,
  list: (filters: FollowUpFilters) => ['follow-ups', filters] as const,
};

export const followUpsApi = {
  list: (filters: FollowUpFilters) => http.get<Page<FollowUp>>('/follow-ups', filters as Query),
  complete: (id: string, body: CompleteBody) =>
    http.post<FollowUp & { survey: SurveyDecision | null }>(`/follow-ups/${id}/complete`, body),
};
