import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditModule } from '@app/audit';
import { MailModule, MailWorkerModule } from '@app/mail';

import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { WebhookEventsListener } from './webhook-events.listener';
import { WebhookSubscribers } from './webhook-subscribers';
import { WebhookProvider } from './webhook.provider';
import { WebhooksController } from './webhooks.controller';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

const entities = TypeOrmModule.forFeature([WebhookEndpointEntity]);

// What the API needs: the endpoints' settings and delivery log, and the listener that turns the
// owners' events into deliveries.
@Module({
  imports: [entities, MailModule, AuditModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhooksRepository, WebhookSubscribers, WebhookEventsListener],
})
export class WebhooksModule {}

// What a worker adds: the webhook channel's provider and renderer, registered with the mail sender.
@Module({
  imports: [entities, MailWorkerModule],
  providers: [WebhooksRepository, WebhookProvider],
})
export class WebhooksWorkerModule {}
