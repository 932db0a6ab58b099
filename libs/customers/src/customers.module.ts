import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditModule } from '@app/audit';
import { SettingsModule } from '@app/settings';

import { CustomerAccessService } from './customer-access.service';
import { CustomerBatchRepository } from './customer-batch.repository';
import { CustomersController } from './customers.controller';
import { CustomersRepository } from './customers.repository';
import { CustomersService } from './customers.service';
import { CustomerAddressChangeEntity } from './entities/customer-address-change.entity';
import { CustomerEntity } from './entities/customer.entity';
import { TasteProfileEntity } from './entities/taste-profile.entity';
import { TasteProfileService } from './taste-profile.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([CustomerEntity, TasteProfileEntity, CustomerAddressChangeEntity]),
    AuditModule,
    SettingsModule,
  ],
  controllers: [CustomersController],
  providers: [
    CustomersService,
    CustomersRepository,
    CustomerAccessService,
    CustomerBatchRepository,
    TasteProfileService,
  ],
  exports: [CustomersService, CustomerAccessService, CustomerBatchRepository, TypeOrmModule],
})
export class CustomersModule {}
