import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditModule } from '@app/audit';
import { CustomersModule } from '@app/customers';
import { InteractionsModule } from '@app/interactions';
import { SurveysModule } from '@app/surveys';

import { CasesController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';
import { CasesCustomerChanges } from './customer-changes.listener';
import { CaseNoteEntity } from './entities/case-note.entity';
import { CaseEntity } from './entities/case.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([CaseEntity, CaseNoteEntity]),
    CustomersModule,
    InteractionsModule,
    AuditModule,
    SurveysModule,
  ],
  controllers: [CasesController],
  providers: [CasesService, CasesRepository, CasesCustomerChanges],
  exports: [CasesService],
})
export class AfterSalesModule {}
