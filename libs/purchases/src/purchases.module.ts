import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditModule } from '@app/audit';
import { CatalogModule } from '@app/catalog';
import { CustomersModule } from '@app/customers';
import { FollowUpsModule } from '@app/follow-ups';

import { PurchaseEntity, PurchaseItemEntity } from './entities/purchase.entity';
import { PurchasesController } from './purchases.controller';
import { PurchasesRepository } from './purchases.repository';
import { PurchasesService } from './purchases.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([PurchaseEntity, PurchaseItemEntity]),
    AuditModule,
    CatalogModule,
    CustomersModule,
    FollowUpsModule,
  ],
  controllers: [PurchasesController],
  providers: [PurchasesService, PurchasesRepository],
  exports: [PurchasesService, TypeOrmModule],
})
export class PurchasesModule {}
