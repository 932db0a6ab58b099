import { Module } from '@nestjs/common';

import { CustomersModule } from '@app/customers';
import { MailModule, MailWorkerModule } from '@app/mail';
import { SettingsModule } from '@app/settings';

import { AliyunSmsClient } from './aliyun-sms.client';
import { SmsCallbacksController, TencentCallbacksController } from './sms-callbacks.controller';
import { SmsCallbacksService } from './sms-callbacks.service';
import { SmsStatusController } from './sms-status.controller';
import { SmsProvider } from './sms.provider';
import { TencentSmsClient } from './tencent-sms.client';

// What the API needs: the provider's callbacks (delivery receipts, uplinks) and the SMS status.
@Module({
  imports: [MailModule, CustomersModule],
  controllers: [SmsCallbacksController, TencentCallbacksController, SmsStatusController],
  providers: [SmsCallbacksService],
})
export class SmsModule {}

// What a worker adds: the SMS channel's provider, registered with the mail sender.
@Module({
  imports: [MailWorkerModule, SettingsModule],
  providers: [AliyunSmsClient, TencentSmsClient, SmsProvider],
  exports: [SmsProvider],
})
export class SmsWorkerModule {}
