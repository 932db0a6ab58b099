import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditModule } from '@app/audit';
import { HolidaysModule } from '@app/calendar';
import { CustomersModule } from '@app/customers';
import { MailWorkerModule } from '@app/mail';
import { SettingsModule } from '@app/settings';

import { AudienceRepository } from './audience.repository';
import { CampaignRunner } from './campaign-runner.service';
import { CampaignsProcessor } from './campaigns.processor';
import { CampaignsService } from './campaigns.service';
import { CareController } from './care.controller';
import { DailyCareService } from './daily-care.service';
import { CampaignEntity } from './entities/campaign.entity';
import { TemplateEntity } from './entities/template.entity';
import { CampaignsController, TemplatesController } from './greetings.controller';
import { GreetingsRepository } from './greetings.repository';
import { TemplatesService } from './templates.service';
import { UnsubscribePages } from './unsubscribe-pages';
import { UpcomingCareService } from './upcoming-care.service';

// Templates, campaigns and the unsubscribe page (API side).
@Module({
  imports: [TypeOrmModule.forFeature([TemplateEntity, CampaignEntity]), CustomersModule, AuditModule, SettingsModule],
  controllers: [TemplatesController, CampaignsController, CareController],
  providers: [
    TemplatesService,
    CampaignsService,
    GreetingsRepository,
    AudienceRepository,
    UpcomingCareService,
    UnsubscribePages,
  ],
  exports: [TemplatesService, CampaignsService, GreetingsRepository, UnsubscribePages],
})
export class GreetingsModule {}

// Planning and sending campaigns (worker side).
@Module({
  imports: [
    TypeOrmModule.forFeature([TemplateEntity, CampaignEntity]),
    MailWorkerModule,
    SettingsModule,
    HolidaysModule,
  ],
  providers: [CampaignRunner, CampaignsProcessor, DailyCareService, GreetingsRepository],
  exports: [CampaignRunner, DailyCareService],
})
export class GreetingsWorkerModule {}
