// Every queue and job name in one place, with its payload type.
export const QUEUES = {
  mail: 'mail',
  maintenance: 'maintenance',
} as const;

export const JOBS = {
  sendMessage: 'send-message',
  reconcileOutbox: 'reconcile-outbox',
} as const;

export interface SendMessageJob {
  messageId: string;
}

// Deterministic ids: adding the same message twice while its job exists is a no-op.
export const sendMessageJobId = (messageId: string): string => `msg-${messageId}`;

export const JOB_SCHEDULERS = {
  outboxReconciler: 'outbox-reconciler',
} as const;
