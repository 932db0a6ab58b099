import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';

import { CaseChanged } from '@app/after-sales';
import { MessageEntity, OutboxService } from '@app/mail';
import { isDetractor, SurveyAnswered } from '@app/surveys';

import type { WebhookEvent } from './entities/webhook-endpoint.entity';
import { WebhookSubscribers } from './webhook-subscribers';
import { CaseFacts, ResponseFacts, WebhooksRepository } from './webhooks.repository';

// Where a transaction keeps the deliveries it recorded, to queue them once it committed.
const PENDING = 'webhookDeliveries';

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);
const client = (f: ResponseFacts | CaseFacts) => ({
  id: f.customer_id,
  name: f.customer_name,
  tier: f.tier,
  city: f.city,
});
const butler = (f: ResponseFacts | CaseFacts) => ({ id: f.butler_id, name: f.butler_name });

function responseData(f: ResponseFacts): Record<string, unknown> {
  return {
    response: {
      id: f.id,
      csat: f.csat,
      nps: f.nps,
      servqual: {
        reliability: f.reliability,
        responsiveness: f.responsiveness,
        assurance: f.assurance,
        empathy: f.empathy,
        tangibles: f.tangibles,
      },
      comment: f.comment,
      respondedAt: iso(f.responded_at),
      channel: f.channel,
      source: f.source,
    },
    client: client(f),
    butler: butler(f),
  };
}

// The owners' events become deliveries: one outbox message per (event, endpoint), with a unique key,
// so an event reaches each subscribed endpoint exactly once (the outbox retries, never duplicates).
// survey.answered / survey.detractor follow SurveyAnswered (after the answer committed); case.changed
// is recorded inside the case's own transaction and queued when it commits (a TypeORM subscriber);
// should Redis miss it, the outbox reconciler queues it.
@Injectable()
export class WebhookEventsListener implements EntitySubscriberInterface, OnModuleInit {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: WebhooksRepository,
    private readonly outbox: OutboxService,
    private readonly subscribers: WebhookSubscribers,
  ) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  @OnEvent(SurveyAnswered.event, { async: true, promisify: true })
  async onSurveyAnswered(e: SurveyAnswered): Promise<void> {
    try {
      // Most answers have no endpoint to tell: no read of the answer, no transaction (together they
      // halved the survey answers per second, bench/ratings.bench.ts).
      if (!(await this.subscribers.any(['survey.answered', 'survey.detractor']))) return;
      const facts = await this.repository.response(e.responseId);
      if (!facts) return;
      const events: WebhookEvent[] = ['survey.answered'];
      if (isDetractor({ csat: facts.csat, nps: facts.nps })) events.push('survey.detractor');
      const recorded = await this.dataSource.transaction(async (em) => {
        const all: MessageEntity[] = [];
        for (const event of events)
          all.push(...(await this.record(em, event, `${event}:${facts.id}`, responseData(facts), e.respondedAt)));
        return all;
      });
      await this.outbox.enqueue(recorded.filter((m) => m.status === 'pending'));
    } catch (error) {
      // The answer is kept whatever happens here; its deliveries are lost only with this process.
      this.logger.error(`Survey response ${e.responseId}: webhooks not recorded (${(error as Error).message})`);
    }
  }

  @OnEvent(CaseChanged.event, { suppressErrors: false })
  async onCaseChanged(e: CaseChanged): Promise<void> {
    const facts = await this.repository.case(e.em, e.caseId);
    if (!facts) return;
    const data = {
      change: e.change,
      previousStatus: e.previousStatus,
      case: {
        id: facts.id,
        type: facts.type,
        priority: facts.priority,
        status: facts.status,
        channel: facts.channel,
        summary: facts.summary,
        openedAt: iso(facts.opened_at),
        firstResponseAt: iso(facts.first_response_at),
        resolvedAt: iso(facts.resolved_at),
        closedAt: iso(facts.closed_at),
      },
      client: client(facts),
      butler: butler(facts),
    };
    // One key per change: the case, what changed and when (ms), plus the status reached.
    const key = `case.changed:${facts.id}:${e.change}:${facts.status}:${e.at.getTime()}`;
    const recorded = await this.record(e.em, 'case.changed', key, data, e.at);
    const runner = e.em.queryRunner;
    if (runner && recorded.length > 0) {
      const pending = (runner.data[PENDING] ??= []) as MessageEntity[];
      pending.push(...recorded);
    }
  }

  // TypeORM: the case's transaction committed; queue what it recorded.
  afterTransactionCommit(event: TransactionCommitEvent): void {
    const pending = event.queryRunner.data[PENDING] as MessageEntity[] | undefined;
    if (!pending?.length) return;
    delete event.queryRunner.data[PENDING];
    void this.outbox.enqueue(pending.filter((m) => m.status === 'pending'));
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    delete event.queryRunner.data[PENDING];
  }

  private async record(
    em: EntityManager,
    event: WebhookEvent,
    key: string,
    data: Record<string, unknown>,
    occurredAt: Date,
  ): Promise<MessageEntity[]> {
    const recorded: MessageEntity[] = [];
    for (const endpoint of await this.repository.subscribers(em, event)) {
      recorded.push(
        await this.outbox.record(
          {
            key: `webhook:${endpoint.id}:${key}`.slice(0, 200),
            purpose: 'webhook',
            channel: 'webhook',
            toAddress: endpoint.url,
            context: { endpointId: endpoint.id, event, occurredAt: occurredAt.toISOString(), data },
          },
          em,
        ),
      );
    }
    return recorded;
  }
}
