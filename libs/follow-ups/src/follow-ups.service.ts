import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { addDays, AppError, AuthUser, Clock, Page, pageOf, pageSize, shanghaiDay, shanghaiTime } from '@app/common';
import { CustomerAccessService } from '@app/customers';
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
        })
      )
        created += 1;
    }
    return created;
  }

  async create(actor: AuthUser, dto: CreateFollowUpDto): Promise<FollowUpEntity> {
    await this.access.findVisible(actor, dto.customerId);
    await assertAssignableButler(this.dataSource.manager, actor, dto.butlerId);
    const repo = this.dataSource.getRepository(FollowUpEntity);
    const saved = await repo.save(
      repo.create({
        customerId: dto.customerId,
        butlerId: dto.butlerId,
        kind: dto.kind ?? 'manual',
        title: dto.title ?? (dto.kind === 'churn_risk' ? '流失风险关怀' : '管家回访'),
        dueAt: new Date(dto.dueAt),
        assignedBy: actor.id,
        note: dto.note ?? '',
      }),
    );
    return this.get(actor, saved.id);
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
      }),
    );
  }

  async get(actor: AuthUser, id: string): Promise<FollowUpEntity> {
    const found = await this.repository.visible(actor, id);
    if (!found) throw AppError.notFound('Follow-up');
    return found;
  }

  async update(actor: AuthUser, id: string, dto: UpdateFollowUpDto): Promise<FollowUpEntity> {
    const followUp = await this.get(actor, id);
    if (followUp.status !== 'open')
      throw new AppError('conflict', `This follow-up is ${followUp.status}; only open follow-ups can be changed`, {
        code: 'FOLLOW_UP_NOT_OPEN',
        status: followUp.status,
      });
    if (dto.butlerId) {
      await assertAssignableButler(this.dataSource.manager, actor, dto.butlerId);
      followUp.butlerId = dto.butlerId;
      followUp.assignedBy = actor.id;
    }
    if (dto.dueAt) followUp.dueAt = new Date(dto.dueAt);
    if (dto.title !== undefined) followUp.title = dto.title;
    if (dto.note !== undefined) followUp.note = dto.note;
    if (dto.status === 'cancelled') followUp.status = 'cancelled';
    delete followUp.customer;
    await this.dataSource.getRepository(FollowUpEntity).save(followUp);
    return this.get(actor, id);
  }

  // Logs the contact as an interaction of the follow-up's butler (who made it).
  async complete(actor: AuthUser, id: string, dto: CompleteFollowUpDto): Promise<CompletedFollowUp> {
    return this.dataSource.transaction(async (em) => {
      const followUp = await this.repository.lockVisible(em, actor, id);
      if (!followUp) throw AppError.notFound('Follow-up');
      if (followUp.status !== 'open')
        throw new AppError('conflict', `This follow-up is already ${followUp.status}`, {
          code: 'FOLLOW_UP_NOT_OPEN',
          status: followUp.status,
        });
      const now = this.clock.now();
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
      await em.update(
        FollowUpEntity,
        { id: followUp.id },
        { status: 'done', outcome: dto.outcome, completedAt: now, interactionId: interaction.id },
      );
      Object.assign(followUp, {
        status: 'done',
        outcome: dto.outcome,
        completedAt: now,
        interactionId: interaction.id,
      });
      // A recovery call follows a survey the client just answered: it is not surveyed again.
      const survey =
        followUp.kind === 'recovery'
          ? null
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
