import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { CasesService } from '@app/after-sales';
import { AuditService } from '@app/audit';
import { Clock } from '@app/common';
import { AppConfig } from '@app/config';
import { FollowUpsService } from '@app/follow-ups';
import { MessageEntity, OutboxService } from '@app/mail';
import { SettingsService } from '@app/settings';

import { CLOCK_LABELS, LEVEL_LABELS, overdueText } from './sla-rules';
import { DueStep, SlaRepository } from './sla.repository';

// Steps handled per tick; the rest wait for the next one (a backlog drains a batch a minute).
const BATCH = 200;
const DUE_AT_FORMAT = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  dateStyle: 'medium',
  timeStyle: 'short',
});

// The SLA worker (docs/sla.md). Every tick, PostgreSQL says which escalation steps are due: a case
// past its priority's first-response or resolution hours, a recovery task past its hours, and each
// step (the butler, then their manager, then an admin) whose delay after the breach has passed. A
// step is one transaction: its row (unique per subject, clock and level, so two workers record it
// once), the breach marked on the case or follow-up by their owner, the alert recorded in the
// outbox and an audit row; the alert is queued after the commit (the outbox reconciler queues it if
// Redis was away).
@Injectable()
export class SlaEscalator {
  private readonly logger = new Logger('Sla');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: SlaRepository,
    private readonly settings: SettingsService,
    private readonly cases: CasesService,
    private readonly followUps: FollowUpsService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  // Returns how many steps this call recorded.
  async escalate(): Promise<number> {
    const now = this.clock.now();
    const { sla } = await this.settings.get();
    const due = await this.repository.dueSteps(sla, now, BATCH);
    let recorded = 0;
    for (const step of due) {
      const message = await this.dataSource.transaction((em) => this.record(em, step, now));
      if (message === undefined) continue;
      recorded += 1;
      if (message) await this.outbox.enqueue([message]);
    }
    if (recorded > 0) this.logger.log(`Recorded ${recorded} SLA escalation step(s)`);
    return recorded;
  }

  // undefined: another worker recorded the step; null: recorded with nobody new to alert.
  private async record(em: EntityManager, step: DueStep, now: Date): Promise<MessageEntity | null | undefined> {
    const id = await this.repository.insertStep(em, step, now);
    if (!id) return undefined;
    if (step.subject_type === 'case') await this.cases.markSlaBreach(em, step.subject_id, step.due_at, step.level);
    else await this.followUps.markSlaBreach(em, step.subject_id, step.due_at, step.level);
    const recipient = await this.repository.recipient(em, step);
    const message = recipient
      ? await this.outbox.record(
          {
            key: `sla-alert:${id}`,
            purpose: 'sla_alert',
            channel: 'email',
            toAddress: recipient.email,
            customerId: step.customer_id,
            template: 'sla-alert',
            context: {
              recipientName: recipient.name,
              levelLabel: LEVEL_LABELS[step.level],
              subjectLabel: step.subject_type === 'case' ? '售后工单' : '低分挽回任务',
              stepText: stepText(step),
              customerName: step.customer_name,
              ownerName: step.owner_name,
              summary: step.summary,
              clockLabel: CLOCK_LABELS[step.clock],
              dueAt: DUE_AT_FORMAT.format(step.due_at),
              overdue: overdueText(step.due_at, now),
              url: `${this.config.http.PUBLIC_BASE_URL.replace(/\/$/, '')}${
                step.subject_type === 'case' ? `/cases?open=${step.subject_id}` : '/today'
              }`,
            },
            // Due now: the queue's delay is measured on the real clock.
            scheduledAt: new Date(),
          },
          em,
        )
      : null;
    await this.repository.setAlert(em, id, recipient?.id ?? null, message ? [message.id] : []);
    await this.audit.record(em, {
      actorId: null,
      action: 'escalate',
      entityType: step.subject_type === 'case' ? 'case' : 'follow_up',
      entityId: step.subject_id,
      changes: {
        sla: { clock: step.clock, level: step.level, dueAt: step.due_at.toISOString() },
        alerted: recipient?.id ?? null,
      },
    });
    return message;
  }
}

function stepText(step: DueStep): string {
  switch (step.level) {
    case 1:
      return '请您尽快处理。';
    case 2:
      return `负责人 ${step.owner_name} 尚未处理，现升级给您跟进。`;
    case 3:
      return `经理提醒后仍未处理，现升级给管理员。`;
  }
}
