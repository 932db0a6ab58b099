import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

import { AuditModule } from '@app/audit';
import { AppConfig } from '@app/config';
import { CustomersModule } from '@app/customers';

import { registerCsvUploads } from './csv-upload';
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
export class CustomerIoModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
  ) {}

  // The upload parsers belong to this feature, so it registers them itself (before the server
  // is ready) instead of create-api.ts knowing about CSV. No HTTP server (worker): nothing to do.
  async onModuleInit(): Promise<void> {
    const adapter = this.adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
    if (adapter)
      await registerCsvUploads(adapter.getInstance<FastifyInstance>(), this.config.http.IMPORT_MAX_MB * 1024 * 1024);
  }
}
