// Greeting campaigns, the templates they use and the festival calendar
// (libs/greetings/src/dto/greetings.dto.ts, libs/calendar).
import { http } from './client';
import type { Schema } from './types';

export const OCCASIONS = [
  'new_year',
  'spring_festival',
  'lantern',
  'dragon_boat',
  'qixi',
  'mid_autumn',
  'national_day',
  'double_ninth',
  'birthday',
  'custom',
] as const;
export type Occasion = (typeof OCCASIONS)[number];
// What a new campaign may greet: birthday campaigns are made by the daily care round only (the API
// refuses them), though existing ones still list with their occasion.
export const CAMPAIGN_OCCASIONS = OCCASIONS.filter((o): o is Exclude<Occasion, 'birthday'> => o !== 'birthday');

export type Campaign = Schema<'CampaignDto'>;
export type CampaignStatus = Campaign['status'];
export const SKIP_REASONS = [
  'no_consent',
  'no_channel',
  'no_email',
  'capped',
  'unsubscribed',
  'address_changed',
  'deleted',
  'cancelled',
  'wecom_off',
] as const;

export type Audience = Schema<'AudienceDto'>;

export type CampaignProgress = Schema<'CampaignProgress'>;
export type FailureReason = Schema<'CampaignFailureDto'>['reason'];

export type CreateCampaignBody = Schema<'CreateCampaignDto'>;
export type CampaignPreview = Schema<'CampaignPreviewDto'>;

export type Template = Schema<'TemplateDto'>;
export type Festival = Schema<'FestivalDto'>;

export const campaignsApi = {
  list: () => http.get<Schema<'CampaignList'>>('/greetings/campaigns'),
  get: (id: string) => http.get<Campaign>(`/greetings/campaigns/${id}`),
  create: (body: CreateCampaignBody) => http.post<Campaign>('/greetings/campaigns', body),
  setStatus: (id: string, status: 'scheduled' | 'cancelled', confirmQuietHours?: boolean) =>
    http.patch<Campaign>(`/greetings/campaigns/${id}`, {
      status,
      confirmQuietHours,
    } satisfies Schema<'UpdateCampaignDto'>),
  // Sends the failed messages once more (each once only).
  retryFailed: (id: string) => http.post<Schema<'CampaignRetryDto'>>(`/greetings/campaigns/${id}/retry-failed`, {}),
  // Before confirming a draft: the greeting for three clients of its audience, and its reach.
  preview: (id: string) => http.get<CampaignPreview>(`/greetings/campaigns/${id}/preview`),
  // Admins only: a manager gets 403 and types the template id an admin gave them.
  templates: () => http.get<Schema<'TemplateListDto'>>('/templates'),
  festivals: (year: number) => http.get<Schema<'FestivalYearDto'>>('/festivals', { year }),
};

export const campaignKeys = {
  all: ['campaigns'] as const,
  list: ['campaigns', 'list'] as const,
  detail: (id: string) => ['campaigns', 'detail', id] as const,
  preview: (id: string) => ['campaigns', 'preview', id] as const,
  templates: ['templates'] as const,
  festivals: (year: number) => ['festivals', year] as const,
};

// While a campaign is scheduled or sending its progress moves: poll it.
export const isLive = (status: CampaignStatus | undefined): boolean => status === 'scheduled' || status === 'sending';

// Share of the audience already settled (sent, failed or skipped), 0–100.
export function progressPercent(progress: CampaignProgress | null, status: CampaignStatus): number {
  if (status === 'completed' || status === 'completed_with_failures') return 100;
  if (!progress || progress.audience === 0) return 0;
  return Math.floor(((progress.sent + progress.failed + progress.skipped) / progress.audience) * 100);
}
