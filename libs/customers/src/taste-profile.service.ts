import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { AuditService } from '@app/audit';
import { AppError, AuthUser } from '@app/common';

import { CustomerAccessService } from './customer-access.service';
import { mapTasteProfile, TasteProfileDto, TasteProfileView } from './dto/taste-profile.dto';
import { TasteProfileEntity } from './entities/taste-profile.entity';

@Injectable()
export class TasteProfileService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CustomerAccessService,
    private readonly audit: AuditService,
  ) {}

  // A client without a profile yet gets an empty one (200), so the editor always has a form.
  async get(actor: AuthUser, customerId: string): Promise<TasteProfileView> {
    await this.access.findVisible(actor, customerId);
    const profile = await this.dataSource.getRepository(TasteProfileEntity).findOne({ where: { customerId } });
    return mapTasteProfile(customerId, profile);
  }

  async put(actor: AuthUser, customerId: string, dto: TasteProfileDto): Promise<TasteProfileView> {
    const types = dto.aromas.map((a) => a.type);
    if (new Set(types).size !== types.length)
      throw AppError.invalid({
        field: 'aromas',
        code: 'arrayUnique',
        message: 'aromas must not list an aroma type twice',
      });
    return this.dataSource.transaction(async (em) => {
      await this.access.findVisible(actor, customerId, em);
      const values = {
        customerId,
        aromas: dto.aromas.map((a) => ({ type: a.type, weight: a.weight })),
        abvMin: dto.abvRange?.[0] ?? null,
        abvMax: dto.abvRange?.[1] ?? null,
        priceMinFen: dto.priceRangeFen?.[0] ?? null,
        priceMaxFen: dto.priceRangeFen?.[1] ?? null,
        brands: [...new Set((dto.brands ?? []).map((b) => b.trim()))],
        occasions: [...new Set(dto.occasions ?? [])],
        notes: dto.notes ?? '',
      };
      // One statement: a read-then-insert lets two first saves both insert, and the second fail.
      await em.upsert(TasteProfileEntity, values, { conflictPaths: ['customerId'] });
      const saved = await em.findOneByOrFail(TasteProfileEntity, { customerId });
      await this.audit.record(em, {
        actorId: actor.id,
        action: 'update',
        entityType: 'taste_profile',
        entityId: customerId,
        changes: values,
      });
      return mapTasteProfile(customerId, saved);
    });
  }
}
