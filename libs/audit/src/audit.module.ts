import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditService } from './audit.service';
import { AuditLogEntity } from './entities/audit-log.entity';
import { ExistenceProbes } from './existence-probes';

@Module({
  imports: [TypeOrmModule.forFeature([AuditLogEntity])],
  providers: [AuditService, ExistenceProbes],
  exports: [AuditService, ExistenceProbes],
})
export class AuditModule {}
