import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { CustomersModule } from '@app/customers';
import { MailModule, MailWorkerModule } from '@app/mail';
import { SettingsModule } from '@app/settings';
import { UsersModule } from '@app/users';

import { WecomGroupTaskEntity } from './entities/wecom-group-task.entity';
import { WecomApiClient } from './wecom-api.client';
import { WecomSyncService } from './wecom-sync.service';
import { WecomTasksService } from './wecom-tasks.service';
import { WecomTodoService } from './wecom-todo.service';
import { WecomController } from './wecom.controller';
import { WecomProcessor } from './wecom.processor';
import { WecomProvider } from './wecom.provider';
import { WecomRepository } from './wecom.repository';

// WeCom (企业微信 客户联系, docs/wecom.md), API side: the API client every WeCom feature calls
// through, the butler's to-do and the contact sync (立即同步).
@Module({
  imports: [TypeOrmModule.forFeature([WecomGroupTaskEntity]), SettingsModule, CustomersModule, UsersModule],
  controllers: [WecomController],
  providers: [WecomApiClient, WecomRepository, WecomTodoService, WecomSyncService],
  exports: [WecomApiClient, WecomRepository, WecomTodoService, WecomSyncService, TypeOrmModule],
})
export class WecomModule {}

// What a worker adds: the wecom channel's provider and the task poller and nightly sync.
@Module({
  imports: [WecomModule, MailWorkerModule, MailModule, SettingsModule],
  providers: [WecomProvider, WecomTasksService, WecomProcessor],
  exports: [WecomProvider, WecomTasksService],
})
export class WecomWorkerModule {}
