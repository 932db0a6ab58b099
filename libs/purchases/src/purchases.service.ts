import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';

import { ExistenceProbes, OutsideTeamAnswer } from '@app/audit';
import { ProductEntity } from '@app/catalog';
import { AppError, AuthUser, Clock, decodeCursor, Page, pageOf, pageSize } from '@app/common';
import { CustomerAccessService, CustomersService } from '@app/customers';
import { FollowUpsService } from '@app/follow-ups';

import { CreatePurchaseDto, ListPurchasesQueryDto, mapPurchase, PurchaseDto } from './dto/purchase.dto';
import { PurchaseEntity, PurchaseItemEntity } from './entities/purchase.entity';
import { PurchasesRepository } from './purchases.repository';

// Up to a day ahead is tolerated (clock skew, time zones); later is a typo.
const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;

export interface RecordedPurchase {
  purchase: PurchaseEntity;
  created: boolean;
}

@Injectable()
export class PurchasesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: PurchasesRepository,
    private readonly access: CustomerAccessService,
    private readonly customers: CustomersService,
    private readonly followUps: FollowUpsService,
    private readonly clock: Clock,
    private readonly probes: ExistenceProbes,
  ) {}

  // Idempotent on orderRef: the same order posted again returns the first purchase unchanged.
  async record(actor: AuthUser, customerId: string, dto: CreatePurchaseDto): Promise<RecordedPurchase> {
    const purchasedAt = new Date(dto.purchasedAt);
    if (purchasedAt.getTime() > this.clock.now().getTime() + FUTURE_TOLERANCE_MS)
      throw AppError.invalid({
        field: 'purchasedAt',
        code: 'notInFuture',
        message: 'purchasedAt must not be in the future',
      });
    return this.dataSource
      .transaction(async (em) => {
        // Locking the client serialises purchases per client, so its statistics stay exact.
        const customer = await this.access.findVisible(actor, customerId, em, true);
        const existing = await this.findByOrderRef(em, dto.orderRef);
        if (existing)
          return { purchase: await this.sameClientOrConflict(em, actor, existing, customerId), created: false };

        const products = await em
          .getRepository(ProductEntity)
          .find({ where: { id: In(dto.items.map((i) => i.productId)) }, select: { id: true } });
        const known = new Set(products.map((p) => p.id));
        const unknown = dto.items.flatMap((item, index) =>
          known.has(item.productId)
            ? []
            : [
                {
                  field: `items.${index}.productId`,
                  code: 'isKnownProduct' as const,
                  message: `items.${index}.productId is not a known product`,
                },
              ],
        );
        if (unknown.length > 0) throw AppError.invalid(...unknown);

        const totalFen = dto.items.reduce((sum, item) => sum + item.quantity * item.unitPriceFen, 0);
        const purchaseId = await this.repository.insertIfNew(em, {
          customerId: customer.id,
          butlerId: customer.butlerId,
          orderRef: dto.orderRef,
          channel: dto.channel,
          purchasedAt,
          totalFen,
        });
        if (purchaseId === null) {
          // Another request recorded this order between our check and insert.
          const raced = await this.findByOrderRef(em, dto.orderRef);
          return { purchase: await this.sameClientOrConflict(em, actor, raced!, customerId), created: false };
        }
        await em.insert(
          PurchaseItemEntity,
          dto.items.map((item) => ({
            purchaseId: purchaseId,
            productId: item.productId,
            quantity: item.quantity,
            unitPriceFen: item.unitPriceFen,
            lineTotalFen: item.quantity * item.unitPriceFen,
          })),
        );
        await this.customers.recordPurchase(em, customer.id, totalFen, purchasedAt);
        // The cadence's follow-ups, in the same transaction: a purchase exists with them or not at all.
        await this.followUps.createForPurchase(em, {
          purchaseId: purchaseId,
          customerId: customer.id,
          butlerId: customer.butlerId,
          purchasedAt,
        });
        return { purchase: (await this.load(em, purchaseId))!, created: true };
      })
      .catch((error: unknown) => this.probes.settle(actor, error));
  }

  async list(actor: AuthUser, customerId: string, query: ListPurchasesQueryDto): Promise<Page<PurchaseDto>> {
    await this.access.findVisible(actor, customerId);
    const limit = pageSize(query.limit);
    const page = await this.repository.page(
      customerId,
      limit + 1,
      query.cursor ? (decodeCursor(query.cursor, ['timestamp', 'uuid']) as [unknown, unknown]) : undefined,
    );
    const { rows, nextCursor } = pageOf(page, limit, (last) => [last.purchasedAt.toISOString(), last.id]);
    const withItems = rows.length
      ? await this.dataSource.getRepository(PurchaseEntity).find({
          where: { id: In(rows.map((r) => r.id)) },
          relations: { items: { product: true } },
          order: { purchasedAt: 'DESC', id: 'DESC' },
        })
      : [];
    return { items: withItems.map(mapPurchase), nextCursor };
  }

  private findByOrderRef(em: EntityManager, orderRef: string): Promise<PurchaseEntity | null> {
    return em.getRepository(PurchaseEntity).findOne({ where: { orderRef }, relations: { items: { product: true } } });
  }

  private load(em: EntityManager, id: string): Promise<PurchaseEntity | null> {
    return em.getRepository(PurchaseEntity).findOne({ where: { id }, relations: { items: { product: true } } });
  }

  private async sameClientOrConflict(
    em: EntityManager,
    actor: AuthUser,
    purchase: PurchaseEntity,
    customerId: string,
  ): Promise<PurchaseEntity> {
    if (purchase.customerId === customerId) return purchase;
    // Says nothing of whose order it is; when it is another team's, the answer is audited and
    // counted (ExistenceProbes, after the transaction).
    const answer = new AppError('conflict', 'orderRef is already used by another order', {
      code: 'PURCHASE_ORDER_REF_TAKEN',
    });
    if (!(await this.access.canSee(actor, purchase.customerId, em)))
      throw new OutsideTeamAnswer('purchase.orderRef', 'purchase', purchase.id, answer);
    throw answer;
  }
}
