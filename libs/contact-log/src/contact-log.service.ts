import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { AuditService } from '@app/audit';
import { AppError, AuthUser, Clock, FieldProblem, Page, pageOf, PageQueryDto, pageSize } from '@app/common';
import { CustomerAccessService } from '@app/customers';
import { FollowUpsService } from '@app/follow-ups';
import { InteractionsService } from '@app/interactions';
import { mapInvitationDecision, SurveyInvitationsService } from '@app/surveys';

import { ContactLogRepository } from './contact-log.repository';
import { ContactChannel, ContactDto, LogContactDto, LoggedContactDto, mapContact } from './dto/contact.dto';

const DAY_MS = 86_400_000;
// How far back a contact may be logged: later than that, the butler no longer remembers it well.
export const MAX_DAYS_BACK = 30;

const CHANNEL_OF_KIND: Record<LogContactDto['kind'], ContactChannel> = {
  call: 'phone',
  visit: 'visit',
  wechat: 'wechat',
  tasting_event: 'visit',
  other: 'other',
};

// 记一笔: a butler (or their manager, or an admin) logs a contact with a client. The contact counts
// for the butler who made it: the caller when a butler, else the client's butler (a manager logs what
// the butler told them). One transaction: the interaction (through its owner, which also touches
// the client when reached), the audit row, the survey decision and the planned next follow-up.
@Injectable()
export class ContactLogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ContactLogRepository,
    private readonly access: CustomerAccessService,
    private readonly interactions: InteractionsService,
    private readonly followUps: FollowUpsService,
    private readonly surveys: SurveyInvitationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async log(actor: AuthUser, customerId: string, dto: LogContactDto): Promise<LoggedContactDto> {
    const now = this.clock.now();
    const occurredAt = dto.occurredAt === undefined ? now : new Date(dto.occurredAt);
    const nextAt = dto.nextFollowUpAt === undefined ? null : new Date(dto.nextFollowUpAt);
    // Out of reach is a 404 before any field is judged: nothing about another butler's client.
    await this.access.findVisible(actor, customerId);
    const problems: (FieldProblem & { message: string })[] = [];
    if (occurredAt.getTime() > now.getTime())
      problems.push({ field: 'occurredAt', code: 'notInFuture', message: 'occurredAt must not be in the future' });
    else if (occurredAt.getTime() < now.getTime() - MAX_DAYS_BACK * DAY_MS)
      problems.push({
        field: 'occurredAt',
        code: 'notOlderThanDays',
        params: { max: MAX_DAYS_BACK },
        message: `occurredAt must be at most ${MAX_DAYS_BACK} days ago`,
      });
    if (nextAt && nextAt.getTime() <= now.getTime())
      problems.push({ field: 'nextFollowUpAt', code: 'notInPast', message: 'nextFollowUpAt must be in the future' });
    if (problems.length > 0) throw AppError.invalid(...problems);

    return this.dataSource.transaction(async (em) => {
      const customer = await this.access.findVisible(actor, customerId, em, true);
      const butlerId = actor.role === 'butler' ? actor.id : customer.butlerId;
      const interaction = await this.interactions.record(em, {
        customerId,
        butlerId,
        kind: dto.kind,
        channel: dto.channel ?? CHANNEL_OF_KIND[dto.kind],
        outcome: dto.outcome,
        summary: dto.summary,
        occurredAt,
        recordedBy: actor.id,
      });
      await this.audit.record(em, {
        actorId: actor.id,
        action: 'create',
        entityType: 'interaction',
        entityId: interaction.id,
        changes: {
          customerId,
          butlerId,
          kind: dto.kind,
          outcome: dto.outcome,
          occurredAt: occurredAt.toISOString(),
        },
      });
      const next = nextAt
        ? await this.followUps.planNext(em, {
            customerId,
            butlerId: customer.butlerId,
            dueAt: nextAt,
            note: dto.summary.slice(0, 2000),
            plannedBy: actor.id,
          })
        : null;
      const survey = await this.surveys.afterContact(em, {
        interactionId: interaction.id,
        customerId,
        butlerId,
        source: 'contact',
        outcome: dto.outcome,
        kind: dto.kind,
        loggedByButler: actor.role === 'butler',
      });
      return {
        ...mapContact(interaction),
        survey: mapInvitationDecision(survey),
        nextFollowUp: next && { id: next.id, dueAt: next.dueAt.toISOString() },
      };
    });
  }

  async list(actor: AuthUser, customerId: string, query: PageQueryDto): Promise<Page<ContactDto>> {
    await this.access.findVisible(actor, customerId);
    const limit = pageSize(query.limit);
    const rows = await this.repository.page(customerId, limit + 1, query.cursor);
    const { rows: page, nextCursor } = pageOf(rows, limit, (last) => [last.occurredAt.toISOString(), last.id]);
    return { items: page.map(mapContact), nextCursor };
  }
}
