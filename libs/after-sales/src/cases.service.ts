import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { AuditService, diff } from '@app/audit';
import { AppError, AuthUser, Clock, Page, pageOf, pageSize } from '@app/common';
import { CustomerAccessService } from '@app/customers';
import { InteractionsService } from '@app/interactions';
import { InvitationDecision, SurveyInvitationsService } from '@app/surveys';
import { assertAssignableButler } from '@app/users';

import { CaseChanged, CaseSummaryWritten } from './case-events';
import { CasesRepository } from './cases.repository';
import {
  CASE_TRANSITIONS,
  CaseDto,
  CreateCaseDto,
  ListCasesQueryDto,
  mapCase,
  TransitionCaseDto,
  UpdateCaseDto,
} from './dto/case.dto';
import { CaseNoteEntity } from './entities/case-note.entity';
import { CaseEntity, CaseStatus } from './entities/case.entity';

export interface TransitionResult {
  case: CaseEntity;
  survey?: InvitationDecision;
}

// After-sales cases. Who sees a case follows who sees its client (a butler their own clients', a
// manager their team's, an admin all); anything else is a 404.
@Injectable()
export class CasesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: CasesRepository,
    private readonly access: CustomerAccessService,
    private readonly audit: AuditService,
    private readonly surveys: SurveyInvitationsService,
    private readonly interactions: InteractionsService,
    private readonly clock: Clock,
    private readonly events: EventEmitter2,
  ) {}

  async create(actor: AuthUser, dto: CreateCaseDto): Promise<CaseEntity> {
    return this.dataSource.transaction(async (em) => {
      const customer = await this.access.findVisible(actor, dto.customerId, em);
      if (dto.purchaseId) await this.checkPurchase(em, dto.customerId, dto.purchaseId);
      const saved = await em.save(
        em.create(CaseEntity, {
          customerId: customer.id,
          purchaseId: dto.purchaseId ?? null,
          butlerId: customer.butlerId,
          type: dto.type,
          priority: dto.priority ?? 'normal',
          channel: dto.channel,
          summary: dto.summary,
          openedBy: actor.id,
          openedAt: this.clock.now(),
        }),
      );
      await this.audit.record(em, {
        actorId: actor.id,
        action: 'create',
        entityType: 'case',
        entityId: saved.id,
        changes: { ...dto },
      });
      await this.events.emitAsync(
        CaseSummaryWritten.event,
        new CaseSummaryWritten(em, saved.id, saved.customerId, saved.butlerId, saved.summary, saved.openedAt),
      );
      await this.events.emitAsync(CaseChanged.event, new CaseChanged(em, saved.id, 'opened', null, saved.openedAt));
      // Read back inside the transaction: read after the commit, a PostgreSQL restart in between
      // answered 500 for a case that existed, and the client's retry made it twice (fault injection).
      return this.get(actor, saved.id, em);
    });
  }

  async get(actor: AuthUser, id: string, em?: EntityManager): Promise<CaseEntity> {
    const found = await this.repository.visible(actor, id, em);
    if (!found) throw AppError.notFound('Case');
    return found;
  }

  async notes(caseId: string): Promise<CaseNoteEntity[]> {
    return this.dataSource
      .getRepository(CaseNoteEntity)
      .find({ where: { caseId }, relations: { author: true }, order: { createdAt: 'ASC' } });
  }

  async list(actor: AuthUser, query: ListCasesQueryDto): Promise<Page<CaseDto>> {
    const limit = pageSize(query.limit);
    const rows = await this.repository.page(actor, query, limit + 1);
    const { rows: page, nextCursor } = pageOf(rows, limit, (last) => [last.openedAt.toISOString(), last.id]);
    return {
      items: page.map((c) => mapCase(c)),
      nextCursor,
    };
  }

  async update(actor: AuthUser, id: string, dto: UpdateCaseDto): Promise<CaseEntity> {
    await this.dataSource.transaction(async (em) => {
      const found = await this.lock(em, actor, id);
      if (found.status === 'closed')
        throw new AppError('conflict', 'This case is closed; reopen is not possible, open a new case', {
          code: 'CASE_CLOSED',
        });
      if (dto.butlerId !== undefined && dto.butlerId !== found.butlerId) {
        if (actor.role === 'butler')
          throw new AppError('forbidden', 'Only a manager or an admin can hand a case to another butler', {
            code: 'CASE_REASSIGN_FORBIDDEN',
          });
        await assertAssignableButler(em, actor, dto.butlerId);
      }
      if (dto.purchaseId) await this.checkPurchase(em, found.customerId, dto.purchaseId);
      const before = {
        purchaseId: found.purchaseId,
        type: found.type,
        priority: found.priority,
        channel: found.channel,
        summary: found.summary,
        butlerId: found.butlerId,
      };
      const after = { ...before, ...Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) };
      const changes = diff(before, after);
      if (Object.keys(changes).length === 0) return;
      await em.update(CaseEntity, { id }, after);
      await this.audit.record(em, {
        actorId: actor.id,
        action: dto.butlerId && changes.butlerId ? 'assign' : 'update',
        entityType: 'case',
        entityId: id,
        changes,
      });
      if (changes.summary)
        await this.events.emitAsync(
          CaseSummaryWritten.event,
          new CaseSummaryWritten(em, id, found.customerId, after.butlerId, after.summary, found.openedAt),
        );
      await this.events.emitAsync(CaseChanged.event, new CaseChanged(em, id, 'updated', null, this.clock.now()));
    });
    return this.get(actor, id);
  }

  // The first note is the first response when nothing came before it.
  async addNote(actor: AuthUser, id: string, body: string): Promise<CaseNoteEntity> {
    return this.dataSource.transaction(async (em) => {
      const found = await this.lock(em, actor, id);
      const now = this.clock.now();
      if (!found.firstResponseAt) await em.update(CaseEntity, { id }, { firstResponseAt: now });
      const note = await em.save(em.create(CaseNoteEntity, { caseId: id, authorId: actor.id, body, createdAt: now }));
      return await em.findOneOrFail(CaseNoteEntity, { where: { id: note.id }, relations: { author: true } });
    });
  }

  // Moves along open → in_progress → resolved → closed (resolved → in_progress reopens). Resolving
  // logs the contact as the handling butler's interaction and applies the survey rules.
  async transition(actor: AuthUser, id: string, dto: TransitionCaseDto): Promise<TransitionResult> {
    const survey = await this.dataSource.transaction(async (em) => {
      const found = await this.lock(em, actor, id);
      const allowed = CASE_TRANSITIONS[found.status];
      if (!allowed.includes(dto.to)) {
        throw new AppError(
          'conflict',
          `A case cannot move from ${found.status} to ${dto.to}; ` +
            `allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none (the case is closed)'}`,
          { code: 'CASE_TRANSITION_NOT_ALLOWED', from: found.status, to: dto.to, allowed },
        );
      }
      const now = this.clock.now();
      const changes: Partial<CaseEntity> = { status: dto.to, ...this.timestamps(found, dto.to, now) };
      await em.update(CaseEntity, { id }, changes);
      await em.save(
        em.create(CaseNoteEntity, {
          caseId: id,
          authorId: actor.id,
          body: dto.note ?? '',
          transition: `${found.status}→${dto.to}`,
          createdAt: now,
        }),
      );
      await this.audit.record(em, {
        actorId: actor.id,
        action: 'update',
        entityType: 'case',
        entityId: id,
        changes: { status: { from: found.status, to: dto.to } },
      });
      await this.events.emitAsync(CaseChanged.event, new CaseChanged(em, id, 'status', found.status, now));
      if (dto.to !== 'resolved') return undefined;
      const interaction = await this.interactions.record(em, {
        customerId: found.customerId,
        butlerId: found.butlerId,
        kind: 'after_sales',
        channel: found.channel,
        outcome: 'resolved',
        summary: dto.note ? `售后已解决：${found.summary}（${dto.note}）` : `售后已解决：${found.summary}`,
        occurredAt: now,
        caseId: id,
      });
      return this.surveys.afterContact(em, {
        interactionId: interaction.id,
        customerId: found.customerId,
        butlerId: found.butlerId,
        source: 'case',
        outcome: interaction.outcome,
      });
    });
    return { case: await this.get(actor, id), survey };
  }

  // The SLA worker's mark (libs/sla), in its escalation step's transaction.
  async markSlaBreach(em: EntityManager, id: string, at: Date, level: number): Promise<void> {
    await this.repository.markSlaBreach(em, id, at, level);
  }

  private timestamps(found: CaseEntity, to: CaseStatus, now: Date): Partial<CaseEntity> {
    switch (to) {
      case 'in_progress':
        // Reopening clears the resolution; the first response is kept.
        return { firstResponseAt: found.firstResponseAt ?? now, resolvedAt: null };
      case 'resolved':
        return { firstResponseAt: found.firstResponseAt ?? now, resolvedAt: now };
      case 'closed':
        return { closedAt: now };
      case 'open':
        return {};
    }
  }

  private async lock(em: EntityManager, actor: AuthUser, id: string): Promise<CaseEntity> {
    const found = await this.repository.lockVisible(em, actor, id);
    if (!found) throw AppError.notFound('Case');
    return found;
  }

  private async checkPurchase(em: EntityManager, customerId: string, purchaseId: string): Promise<void> {
    const isClients = await this.repository.clientPurchase(em, customerId, purchaseId);
    if (!isClients)
      throw AppError.invalid({
        field: 'purchaseId',
        code: 'isClientPurchase',
        message: "purchaseId must be one of this client's purchases",
      });
  }
}
