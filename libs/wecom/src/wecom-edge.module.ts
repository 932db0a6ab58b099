import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuthModule } from '@app/auth';
import { CustomersModule } from '@app/customers';
import { MailModule } from '@app/mail';
import { SettingsModule } from '@app/settings';
import { UsersModule } from '@app/users';

import { WecomContactEventEntity } from './entities/wecom-contact-event.entity';
import { WecomTransferEntity } from './entities/wecom-transfer.entity';
import { WecomCallbacksService } from './wecom-callbacks.service';
import { WecomContactsService } from './wecom-contacts.service';
import { WecomCallbackController, WecomSidebarController, WecomTransfersController } from './wecom-edge.controller';
import { WecomEdgeRepository } from './wecom-edge.repository';
import { WecomSidebarService } from './wecom-sidebar.service';
import { WecomTransferPoller } from './wecom-transfer.poller';
import { WecomTransfersService } from './wecom-transfers.service';
import { WecomModule } from './wecom.module';

// The hand-over of clients' WeCom relationships (the reassignment listener, the transfer calls).
@Module({
  imports: [TypeOrmModule.forFeature([WecomTransferEntity]), WecomModule],
  providers: [WecomTransfersService, WecomEdgeRepository],
  exports: [WecomTransfersService, WecomEdgeRepository],
})
export class WecomTransfersModule {}

// Where WeCom talks to us and the butler works in WeCom (docs/wecom.md): the callback URL, the
// chat toolbar page's API and the hand-over of clients' WeCom relationships.
@Module({
  imports: [
    TypeOrmModule.forFeature([WecomContactEventEntity]),
    WecomModule,
    WecomTransfersModule,
    AuthModule,
    CustomersModule,
    MailModule,
    SettingsModule,
    UsersModule,
  ],
  controllers: [WecomCallbackController, WecomSidebarController, WecomTransfersController],
  providers: [WecomCallbacksService, WecomContactsService, WecomSidebarService],
})
export class WecomEdgeModule {}

// The hand-over's worker side: sends queued transfers and reads WeCom's results.
@Module({
  imports: [WecomTransfersModule],
  providers: [WecomTransferPoller],
})
export class WecomEdgeWorkerModule {}
