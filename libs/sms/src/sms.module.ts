import { Module } from '@nestjs/common';

import { CustomersModule } from '@app/customers';
import { MailModule, MailWorkerModule } from '@app/mail';
import { SettingsModule } from '@app/settings';

import { AliyunSmsClient } from './aliyun-sms.client';
import { SmsCallbacksController } from './sms-callbacks.controller';
import { SmsCallbacksService } from './sms-callbacks.service';
import { SmsStatusController } from './sms-status.controller';
import { SmsProvider } from './sms.provider';

// What the API needs: the provider's callbacks (delivery receipts, uplinks) and the SMS status.
@Module({
  imports: [MailModule, CustomersModule],
  controllers: [SmsCallbacksController, SmsStatusController],
  providers: [SmsCallbacksService],
})
export class SmsModule {}

// What a worker adds: the SMS channel's provider, registered with the mail sender.
@Module({
  imports: [MailWorkerModule, SettingsModule],
  providers: [AliyunSmsClient, SmsProvider],
  exports: [SmsProvider],
})
export class SmsWorkerModule {}
