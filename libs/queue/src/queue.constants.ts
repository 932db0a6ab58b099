import type { Job, Queue } from 'bullmq';

// Every queue and job name in one place, with its payload type.
export const QUEUES = {
  mail: 'mail',
  maintenance: 'maintenance',
  campaigns: 'campaigns',
  surveys: 'surveys',
  comments: 'comments',
  wecom: 'wecom',
  sla: 'sla',
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
  runSurveyPrograms: 'run-survey-programs',
  tagComments: 'tag-comments',
  pollWecomTasks: 'poll-wecom-tasks',
  syncWecomContacts: 'sync-wecom-contacts',
  escalateSla: 'escalate-sla',
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

// Each queue's jobs by name, with the payload each carries (scheduled jobs carry none).
export interface QueueJobs {
  [QUEUES.mail]: { [JOBS.sendMessage]: SendMessageJob };
  [QUEUES.maintenance]: { [JOBS.reconcileOutbox]: Record<string, never> };
  [QUEUES.campaigns]: {
    [JOBS.planCampaign]: PlanCampaignJob;
    [JOBS.sendBatch]: SendBatchJob;
    [JOBS.reconcileCampaigns]: Record<string, never>;
    [JOBS.dailyCare]: Record<string, never>;
  };
  [QUEUES.surveys]: {
    [JOBS.dispatchSurveys]: Record<string, never>;
    [JOBS.recomputeReportStats]: Record<string, never>;
    [JOBS.runSurveyPrograms]: Record<string, never>;
  };
  [QUEUES.comments]: { [JOBS.tagComments]: Record<string, never> };
  [QUEUES.wecom]: {
    [JOBS.pollWecomTasks]: Record<string, never>;
    [JOBS.syncWecomContacts]: Record<string, never>;
  };
  [QUEUES.sla]: { [JOBS.escalateSla]: Record<string, never> };
}

type QueueName = keyof QueueJobs;

// A job of queue Q as its processor receives it: a union keyed by name, so `switch (job.name)`
// narrows `job.data` to that job's payload (as immich's JobItem).
export type JobOf<Q extends QueueName> = {
  [N in keyof QueueJobs[Q] & string]: Job<QueueJobs[Q][N], unknown, N>;
}[keyof QueueJobs[Q] & string];

// A producer's handle on queue Q: add() and addBulk() accept only its job names and payloads.
export type QueueOf<Q extends QueueName> = Queue<
  QueueJobs[Q][keyof QueueJobs[Q]],
  unknown,
  keyof QueueJobs[Q] & string
>;

export const JOB_SCHEDULERS = {
  outboxReconciler: 'outbox-reconciler',
  campaignReconciler: 'campaign-reconciler',
  dailyCare: 'daily-care',
  surveyDispatcher: 'survey-dispatcher',
  reportStatsRecompute: 'report-stats-recompute',
  surveyPrograms: 'survey-programs',
  commentTagging: 'comment-tagging',
  wecomTaskPoller: 'wecom-task-poller',
  wecomContactSync: 'wecom-contact-sync',
  slaEscalation: 'sla-escalation',
} as const;
