import { Global, Module } from '@nestjs/common';

import { AppConfigValues, DatabaseConfig, HttpConfig, loadConfig, MailConfig, RedisConfig } from './app-config';

// The typed configuration, read and validated once at boot. Inject this; never read process.env
// elsewhere.
export class AppConfig implements AppConfigValues {
  readonly http: HttpConfig;
  readonly database: DatabaseConfig;
  readonly redis: RedisConfig;
  readonly mail: MailConfig;
  readonly sms: AppConfigValues['sms'];
  readonly wecom: AppConfigValues['wecom'];
  readonly auth: AppConfigValues['auth'];
  readonly devDefaults: string[];

  constructor(values: AppConfigValues) {
    this.http = values.http;
    this.database = values.database;
    this.redis = values.redis;
    this.mail = values.mail;
    this.sms = values.sms;
    this.wecom = values.wecom;
    this.auth = values.auth;
    this.devDefaults = values.devDefaults;
  }
}

@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: () => new AppConfig(loadConfig()) }],
  exports: [AppConfig],
})
export class ConfigModule {}
