import { Module } from '@nestjs/common';

import { AuditModule } from '@app/audit';
import { CustomersModule } from '@app/customers';

import { CustomerExportService } from './customer-export.service';
import { CustomerImportService } from './customer-import.service';
import { CustomerIoController } from './customer-io.controller';
import { CustomerIoRepository } from './customer-io.repository';

// CSV import and export of clients.
@Module({
  imports: [CustomersModule, AuditModule],
  controllers: [CustomerIoController],
  providers: [CustomerImportService, CustomerExportService, CustomerIoRepository],
})
export class CustomerIoModule {}
