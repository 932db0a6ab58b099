// Every queue and job name in one place, with its payload type.
export const QUEUES = {
  mail: 'mail',
  maintenance: 'maintenance',
  campaigns: 'campaigns',
  surveys: 'surveys',
} as const;

export const JOBS = {
  sendMessage: 'send-message',
  reconcileOutbox: 'reconcile-outbox',
  planCampaign: 'plan-campaign',
  sendBatch: 'send-batch',
  reconcileCampaigns: 'reconcile-campaigns',
  dailyCare: 'daily-care',
  dispatchSurveys: 'dispatch-surveys',
  recomputeReportStats: 'recompute-report-stats',
} as const;

export interface PlanCampaignJob {
  campaignId: string;
}

export interface SendBatchJob {
  campaignId: string;
  batchNo: number;
}

export const planCampaignJobId = (campaignId: string): string => `plan-${campaignId}`;
export const sendBatchJobId = (campaignId: string, batchNo: number): string => `batch-${campaignId}-${batchNo}`;

export interface SendMessageJob {
  messageId: string;
}

// Deterministic ids: adding the same message twice while its job exists is a no-op.
export const sendMessageJobId = (messageId: string): string => `msg-${messageId}`;

export const JOB_SCHEDULERS = {
  outboxReconciler: 'outbox-reconciler',
  campaignReconciler: 'campaign-reconciler',
  dailyCare: 'daily-care',
  surveyDispatcher: 'survey-dispatcher',
  reportStatsRecompute: 'report-stats-recompute',
} as const;
