import { Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { AppConfig } from '@app/config';
import { OUTBOX_DATA_SOURCE, outboxTypeormOptions } from '@app/database';

import { ChannelCircuit } from './channel-circuit';
import { EmailProvider } from './email.provider';
import { MessageEntity } from './entities/message.entity';
import { MailSenderService } from './mail-sender.service';
import { MailTransportService } from './mail-transport.service';
import { MailController } from './mail.controller';
import { MailProcessor } from './mail.processor';
import { MailRepository } from './mail.repository';
import { OutboxLeases } from './outbox-leases';
import { MaintenanceProcessor, OutboxReconciler } from './outbox-reconciler.service';
import { OutboxService } from './outbox.service';

// What the API needs: record messages and queue them.
@Module({
  imports: [TypeOrmModule.forFeature([MessageEntity])],
  controllers: [MailController],
  providers: [OutboxService, MailRepository],
  exports: [OutboxService, MailRepository, TypeOrmModule],
})
export class MailModule {}

// What a worker adds: the transport, the sender and the outbox reconciler, and the sending lanes'
// own pool (OUTBOX_POOL_SIZE) with the main pool's entities.
@Module({
  imports: [
    MailModule,
    TypeOrmModule.forRootAsync({
      name: OUTBOX_DATA_SOURCE,
      inject: [AppConfig, getDataSourceToken()],
      useFactory: (config: AppConfig, main: DataSource) =>
        outboxTypeormOptions(
          config.database,
          main.entityMetadatas.map((metadata) => metadata.target as string | (new () => unknown)),
        ),
    }),
  ],
  providers: [
    MailTransportService,
    EmailProvider,
    ChannelCircuit,
    OutboxLeases,
    MailSenderService,
    MailProcessor,
    OutboxReconciler,
    MaintenanceProcessor,
  ],
  exports: [MailModule, MailTransportService, MailSenderService, OutboxReconciler, ChannelCircuit],
})
export class MailWorkerModule {}
