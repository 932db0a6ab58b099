import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

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

// What a worker adds: the transport, the sender and the outbox reconciler.
@Module({
  imports: [MailModule],
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
