import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { addDays, AppError, AuthUser, Clock, Page, pageOf, pageSize, shanghaiDay, shanghaiTime } from '@app/common';
import { CustomerAccessService, CustomersService } from '@app/customers';
import { InteractionEntity, InteractionsService } from '@app/interactions';
import { SettingsService } from '@app/settings';
import { InvitationDecision, SurveyInvitationsService } from '@app/surveys';
import { assertAssignableButler } from '@app/users';

import {
  CompleteFollowUpDto,
  CreateFollowUpDto,
  FollowUpDto,
  ListFollowUpsQueryDto,
  mapFollowUp,
  RETRY_OUTCOMES,
  UpdateFollowUpDto,
} from './dto/follow-up.dto';
import { FollowUpEntity } from './entities/follow-up.entity';
import { FollowUpsRepository } from './follow-ups.repository';

export interface PurchaseForFollowUp {
  purchaseId: string;
  customerId: string;
  butlerId: string;
  purchasedAt: Date;
}

export interface CompletedFollowUp {
  followUp: FollowUpEntity;
  interaction: InteractionEntity;
  survey: InvitationDecision | null;
}

@Injectable()
export class FollowUpsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: FollowUpsRepository,
    private readonly access: CustomerAccessService,
    private readonly customers: CustomersService,
    private readonly settings: SettingsService,
    private readonly surveys: SurveyInvitationsService,
    private readonly interactions: InteractionsService,
    private readonly clock: Clock,
  ) {}

  // The purchase's cadence (day 3, day 30 … at 10:00 Shanghai), in the purchase's transaction.
  // Unique (purchase, step): a purchase recorded twice creates them once.
  async createForPurchase(em: EntityManager, purchase: PurchaseForFollowUp): Promise<number> {
    const { cadence, dueHour, skipOverdueAfterDays } = (await this.settings.get(em)).followUps;
    const day = shanghaiDay(purchase.purchasedAt);
    const oldest = this.clock.now().getTime() - skipOverdueAfterDays * 86_400_000;
    let created = 0;
    for (const step of cadence) {
      const dueAt = shanghaiTime(addDays(day, step.days), dueHour);
      if (dueAt.getTime() < oldest) continue;
      if (
        await this.repository.insertCadenceStep(em, {
          customerId: purchase.customerId,
          butlerId: purchase.butlerId,
          title: step.title,
          dueAt,
          purchaseId: purchase.purchaseId,
          cadenceStep: `d${step.days}`,
          createdAt: this.clock.now(),
        })
      )
        created += 1;
    }
    return created;
  }

  // A butler plans their own call on their own client (butlerId forced to them: naming another is
  // 403). A manager or admin plans it for the client's butler; another butler takes the client too
  // (handOverClient), else 409 naming butlerId.
  async create(actor: AuthUser, dto: CreateFollowUpDto): Promise<FollowUpEntity> {
    const customer = await this.access.findVisible(actor, dto.customerId);
    const butlerId = await this.assignee(actor, customer.butlerId, dto);
    const id = await this.dataSource.transaction(async (em) => {
      if (butlerId !== customer.butlerId) await this.customers.assign(actor, customer.id, butlerId, em);
      const repo = em.getRepository(FollowUpEntity);
      const saved = await repo.save(
        repo.create({
          customerId: dto.customerId,
          butlerId,
          kind: dto.kind ?? 'manual',
          title: dto.title ?? (dto.kind === 'churn_risk' ? '流失风险关怀' : '管家回访'),
          dueAt: new Date(dto.dueAt),
          assignedBy: actor.id,
          note: dto.note ?? '',
          createdAt: this.clock.now(),
        }),
      );
      return saved.id;
    });
    return this.get(actor, id);
  }

  // The butler's own next call, planned while logging a contact (记一笔), in that contact's transaction.
  async planNext(
    em: EntityManager,
    plan: { customerId: string; butlerId: string; dueAt: Date; note: string; plannedBy: string },
  ): Promise<FollowUpEntity> {
    return em.save(
      em.create(FollowUpEntity, {
        customerId: plan.customerId,
        butlerId: plan.butlerId,
        kind: 'manual',
        title: '下次跟进',
        dueAt: plan.dueAt,
        assignedBy: plan.plannedBy,
        note: plan.note,
        createdAt: this.clock.now(),
      }),
    );
  }

  async get(actor: AuthUser, id: string): Promise<FollowUpEntity> {
    const found = await this.repository.visible(actor, id);
    if (!found) throw AppError.notFound('Follow-up');
    return found;
  }

  // The owning butler reschedules their own (dueAt, title, note); a manager or admin also
  // reassigns (to the client's butler, or to another one together with the client) and cancels.
  async update(actor: AuthUser, id: string, dto: UpdateFollowUpDto): Promise<FollowUpEntity> {
    const followUp = await this.get(actor, id);
    if (followUp.status !== 'open')
      throw new AppError('conflict', `This follow-up is ${followUp.status}; only open follow-ups can be changed`, {
        code: 'FOLLOW_UP_NOT_OPEN',
        status: followUp.status,
      });
    if (actor.role === 'butler' && dto.status === 'cancelled' && followUp.assignedBy !== actor.id)
      throw new AppError('forbidden', 'A butler can cancel only the follow-ups they planned', {
        code: 'FOLLOW_UP_BUTLER_FORBIDDEN',
      });
    const clientButlerId = followUp.customer!.butlerId;
    const reassigning = dto.butlerId !== undefined && dto.butlerId !== followUp.butlerId;
    const butlerId = reassigning ? await this.assignee(actor, clientButlerId, dto) : followUp.butlerId;
    await this.dataSource.transaction(async (em) => {
      if (butlerId !== clientButlerId && reassigning)
        await this.customers.assign(actor, followUp.customerId, butlerId, em);
      const changes: Partial<FollowUpEntity> = {};
      if (reassigning) Object.assign(changes, { butlerId, assignedBy: actor.id });
      if (dto.dueAt) changes.dueAt = new Date(dto.dueAt);
      if (dto.title !== undefined) changes.title = dto.title;
      if (dto.note !== undefined) changes.note = dto.note;
      if (dto.status === 'cancelled') changes.status = 'cancelled';
      if (Object.keys(changes).length > 0) await em.update(FollowUpEntity, { id }, changes);
    });
    return this.get(actor, id);
  }

  // Who a created or reassigned follow-up goes to (see create and update).
  private async assignee(
    actor: AuthUser,
    clientButlerId: string,
    dto: { butlerId?: string; handOverClient?: boolean },
  ): Promise<string> {
    if (actor.role === 'butler') {
      if ((dto.butlerId !== undefined && dto.butlerId !== actor.id) || dto.handOverClient)
        throw new AppError('forbidden', 'A butler cannot hand a follow-up to another butler', {
          code: 'FOLLOW_UP_BUTLER_FORBIDDEN',
        });
      return actor.id;
    }
    const target = dto.butlerId ?? clientButlerId;
    if (target === clientButlerId) return target;
    await assertAssignableButler(this.dataSource.manager, actor, target);
    if (!dto.handOverClient)
      throw new AppError('conflict', "butlerId is not the client's butler; set handOverClient to move the client", {
        code: 'FOLLOW_UP_BUTLER_NOT_CLIENTS',
        field: 'butlerId',
        clientButlerId,
      });
    return target;
  }

  // Logs the contact as an interaction of the follow-up's butler (who made it). After no_answer or
  // left_message the follow-up stays open (改约: with the new due time when given) unless `close`.
  async complete(actor: AuthUser, id: string, dto: CompleteFollowUpDto): Promise<CompletedFollowUp> {
    const now = this.clock.now();
    const retry = RETRY_OUTCOMES.includes(dto.outcome);
    if (dto.rescheduleTo !== undefined) {
      if (!retry)
        throw AppError.invalid({
          field: 'rescheduleTo',
          code: 'onlyWhenNotReached',
          message: 'rescheduleTo goes only with the outcome no_answer or left_message',
        });
      if (new Date(dto.rescheduleTo) <= now)
        throw AppError.invalid({ field: 'rescheduleTo', code: 'notInPast', message: 'rescheduleTo must be later' });
    }
    const keepOpen = retry && dto.close !== true;
    return this.dataSource.transaction(async (em) => {
      const followUp = await this.repository.lockVisible(em, actor, id);
      if (!followUp) throw AppError.notFound('Follow-up');
      if (followUp.status !== 'open')
        throw new AppError('conflict', `This follow-up is already ${followUp.status}`, {
          code: 'FOLLOW_UP_NOT_OPEN',
          status: followUp.status,
        });
      const recovery = followUp.kind === 'recovery';
      if (recovery && !keepOpen) requireRecoveryFields(dto);
      const interaction = await this.interactions.record(em, {
        customerId: followUp.customerId,
        butlerId: followUp.butlerId,
        kind: 'follow_up',
        channel: dto.channel,
        outcome: dto.outcome,
        summary: dto.note ? `${followUp.title}：${dto.note}` : followUp.title,
        occurredAt: now,
        followUpId: followUp.id,
      });
      const changes: Partial<FollowUpEntity> = keepOpen
        ? dto.rescheduleTo
          ? { dueAt: new Date(dto.rescheduleTo) }
          : {}
        : {
            status: 'done',
            outcome: dto.outcome,
            completedAt: now,
            interactionId: interaction.id,
            ...(recovery ? { rootCause: dto.rootCause!, recoveryOutcome: dto.recoveryOutcome! } : {}),
          };
      if (Object.keys(changes).length > 0) await em.update(FollowUpEntity, { id: followUp.id }, changes);
      Object.assign(followUp, changes);
      // A recovery call follows a survey the client just answered: it is surveyed again only when the
      // manager asks for the one-question re-survey (docs/sla.md). The survey rules decide the rest
      // (a client not reached is never surveyed).
      const survey = recovery
        ? dto.resurvey && !keepOpen
          ? await this.surveys.afterContact(em, {
              interactionId: interaction.id,
              customerId: followUp.customerId,
              butlerId: followUp.butlerId,
              source: 'recovery',
              outcome: dto.outcome,
            })
          : null
        : await this.surveys.afterContact(em, {
            interactionId: interaction.id,
            customerId: followUp.customerId,
            butlerId: followUp.butlerId,
            source: 'follow_up',
            outcome: dto.outcome,
          });
      return { followUp, interaction, survey };
    });
  }

  // The SLA worker's mark (libs/sla), in its escalation step's transaction: the first breach's time
  // stays, the level only rises.
  async markSlaBreach(em: EntityManager, id: string, at: Date, level: number): Promise<void> {
    await this.repository.markSlaBreach(em, id, at, level);
  }

  async list(actor: AuthUser, query: ListFollowUpsQueryDto): Promise<Page<FollowUpDto>> {
    const now = this.clock.now();
    const limit = pageSize(query.limit);
    const rows = await this.repository.page(actor, query, now, limit + 1);
    const { rows: page, nextCursor } = pageOf(rows, limit, (last) => [last.dueAt.toISOString(), last.id]);
    return {
      items: page.map((f) => mapFollowUp(f, now)),
      nextCursor,
    };
  }
}

// Completing a recovery task needs its root cause and outcome; each missing one is named.
function requireRecoveryFields(dto: CompleteFollowUpDto): void {
  const missing = (['rootCause', 'recoveryOutcome'] as const).filter((field) => dto[field] === undefined);
  if (missing.length > 0)
    throw AppError.invalid(
      ...missing.map((field) => ({
        field,
        code: 'requiredForRecovery' as const,
        message: `${field} is required to complete a recovery task`,
      })),
    );
}
