import { Module } from '@nestjs/common';

import { SettingsModule } from '@app/settings';

import { WecomApiClient } from './wecom-api.client';

// WeCom (企业微信 客户联系, docs/wecom.md): the API client every WeCom feature calls through.
@Module({
  imports: [SettingsModule],
  providers: [WecomApiClient],
  exports: [WecomApiClient],
})
export class WecomModule {}
