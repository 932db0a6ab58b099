import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditModule } from '@app/audit';
import { CustomerEntity, CustomersModule } from '@app/customers';
import { InteractionEntity } from '@app/interactions';
import { MailModule, MailWorkerModule } from '@app/mail';
import { SettingsModule } from '@app/settings';
import { UserEntity } from '@app/users';

import { ButlerDailyStatsEntity } from './entities/butler-daily-stats.entity';
import { RelationshipAnswerEntity } from './entities/relationship-answer.entity';
import { SurveyInvitationEntity } from './entities/survey-invitation.entity';
import { SurveyProgramEntity } from './entities/survey-program.entity';
import { SurveyResponseEntity } from './entities/survey-response.entity';
import { RecoveryAlertSms } from './recovery-alert-sms';
import { SatisfactionStatsService } from './satisfaction-stats.service';
import { SegmentCuts } from './segment-cuts.service';
import { StatsRecomputeService } from './stats-recompute.service';
import { SurveyDispatcher } from './survey-dispatcher.service';
import { SurveyInvitationsService } from './survey-invitations.service';
import { SurveyPages } from './survey-pages';
import { SurveyProgramRunner } from './survey-program-runner.service';
import { SurveyProgramsController } from './survey-programs.controller';
import { SurveyProgramsRepository } from './survey-programs.repository';
import { SurveyProgramsService } from './survey-programs.service';
import { SurveyResponsesService } from './survey-responses.service';
import { SurveyResultsController } from './survey-results.controller';
import { SurveyResultsService } from './survey-results.service';
import { SurveysProcessor } from './surveys.processor';
import { SurveysRepository } from './surveys.repository';

// With autoLoadEntities an entity exists only if some module registers it: the worker process has
// no other module naming the ones the survey entities relate to.
const entities = TypeOrmModule.forFeature([
  SurveyInvitationEntity,
  SurveyResponseEntity,
  ButlerDailyStatsEntity,
  SurveyProgramEntity,
  RelationshipAnswerEntity,
  InteractionEntity,
  CustomerEntity,
  UserEntity,
]);

// Invitations (scheduled with each surveyed contact), the public page and the closed loop.
@Module({
  imports: [entities, MailModule, SettingsModule, CustomersModule, AuditModule],
  controllers: [SurveyResultsController, SurveyProgramsController],
  providers: [
    SurveyPages,
    SurveyInvitationsService,
    SurveyResponsesService,
    SurveyResultsService,
    StatsRecomputeService,
    SurveysRepository,
    SegmentCuts,
    SatisfactionStatsService,
    SurveyProgramsService,
    SurveyProgramsRepository,
  ],
  exports: [SurveyInvitationsService, StatsRecomputeService, SurveyPages, SatisfactionStatsService],
})
export class SurveysModule {}

// Sending due invitations and the nightly summary check (worker side).
@Module({
  imports: [entities, MailWorkerModule, SettingsModule],
  providers: [
    SurveyDispatcher,
    RecoveryAlertSms,
    StatsRecomputeService,
    SurveysProcessor,
    SurveysRepository,
    SegmentCuts,
    SatisfactionStatsService,
    SurveyProgramsRepository,
    SurveyProgramRunner,
  ],
  exports: [SurveyDispatcher, SatisfactionStatsService, SurveyProgramRunner],
})
export class SurveysWorkerModule {}
