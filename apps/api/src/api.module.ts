import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';

import { AfterSalesModule } from '@app/after-sales';
import { AuthModule } from '@app/auth';
import { CalendarModule } from '@app/calendar';
import { CatalogModule } from '@app/catalog';
import { CommentThemesModule } from '@app/comment-themes';
import { AllExceptionsFilter, AppValidationPipe } from '@app/common';
import { ContactLogModule } from '@app/contact-log';
import { CustomerIoModule } from '@app/customer-io';
import { CustomersModule } from '@app/customers';
import { DemoModule } from '@app/demo';
import { ExportsModule } from '@app/exports';
import { FollowUpsModule } from '@app/follow-ups';
import { GreetingsModule } from '@app/greetings';
import { HealthModule } from '@app/health';
import { IdempotencyModule } from '@app/idempotency';
import { InsightsModule } from '@app/insights';
import { MailModule } from '@app/mail';
import { PurchasesModule } from '@app/purchases';
import { ReportsModule } from '@app/reports';
import { CoreModule, WorkerFeaturesModule } from '@app/runtime';
import { SettingsModule } from '@app/settings';
import { SlaModule } from '@app/sla';
import { SmsModule } from '@app/sms';
import { SurveysModule } from '@app/surveys';
import { TimelineModule } from '@app/timeline';
import { UsersModule } from '@app/users';
import { WebhooksModule } from '@app/webhooks';
import { WecomEdgeModule, WecomModule } from '@app/wecom';

export interface ApiOptions {
  // Run the BullMQ workers in this process too (the single-process default of `npm start`).
  withWorkers: boolean;
}

@Module({})
export class ApiModule {
  static forRoot(options: ApiOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CoreModule,
        AuthModule,
        IdempotencyModule,
        UsersModule,
        MailModule,
        HealthModule,
        SettingsModule,
        CustomersModule,
        CatalogModule,
        PurchasesModule,
        InsightsModule,
        CustomerIoModule,
        TimelineModule,
        FollowUpsModule,
        CalendarModule,
        GreetingsModule,
        SurveysModule,
        AfterSalesModule,
        ContactLogModule,
        ReportsModule,
        SlaModule,
        CommentThemesModule,
        ExportsModule,
        WebhooksModule,
        SmsModule,
        WecomModule,
        WecomEdgeModule,
        DemoModule,
        ...(options.withWorkers ? [WorkerFeaturesModule] : []),
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useValue: new AppValidationPipe() },
      ],
    };
  }
}
