import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

import { Clock, hashOrigin, RequestOrigin } from '@app/common';
import { AppConfig } from '@app/config';
import { OutboxService } from '@app/mail';
import { SettingsService } from '@app/settings';

import { parseRelationshipForm } from './relationship-form';
import { relationshipFormPage } from './relationship-page';
import { ResponseBatcher, SurveyInvitationRow } from './response-batcher';
import { SatisfactionStatsService } from './satisfaction-stats.service';
import { SegmentCuts } from './segment-cuts.service';
import { SurveyAnswered } from './survey-events';
import { isDetractor, parseSurveyForm, RawForm } from './survey-form';
import { SURVEY_PAGES, surveyFormPage, SurveyPageContext } from './survey-page';
import { RelationshipInvitationRow, SurveyProgramsRepository } from './survey-programs.repository';
import { hashSurveyToken, looksLikeRelationshipToken, looksLikeSurveyToken } from './survey-token';
import { SurveysRepository } from './surveys.repository';

export interface SurveyPageResult {
  status: number;
  html: string;
}

// The public survey page's logic: find the invitation by its token's hash and record one response
// (with its closed loop on a low score) through the ResponseBatcher: one statement, committed with
// whatever other answers arrived meanwhile, before the client hears back.
@Injectable()
export class SurveyResponsesService {
  private readonly logger = new Logger('Surveys');
  private readonly batcher = new ResponseBatcher(
    () => this.pool(),
    () => this.config.http.PUBLIC_BASE_URL,
    // Without a provider or the alert's template an SMS alert could not go out: email instead.
    async () => this.config.sms.SMS_PROVIDER !== 'none' && !!(await this.settings.get()).sms.templates.recoveryAlert,
    async () => (await this.settings.get()).surveys.sessionLookbackDays,
    // The client's RFM segment, frozen with the answer in the satisfaction summary.
    () => this.segmentCuts.get(),
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly repository: SurveysRepository,
    private readonly programs: SurveyProgramsRepository,
    private readonly config: AppConfig,
    private readonly settings: SettingsService,
    private readonly events: EventEmitter2,
    private readonly segmentCuts: SegmentCuts,
    private readonly satisfaction: SatisfactionStatsService,
  ) {}

  async view(token: string): Promise<SurveyPageResult> {
    if (looksLikeRelationshipToken(token)) return this.viewRelationship(token);
    const invitation = await this.find(token);
    const refusal = this.refusal(invitation, this.clock.now());
    if (refusal) return refusal;
    return { status: 200, html: surveyFormPage(context(invitation!)) };
  }

  async submit(token: string, form: RawForm, origin?: RequestOrigin): Promise<SurveyPageResult> {
    if (looksLikeRelationshipToken(token)) return this.submitRelationship(token, form);
    const now = this.clock.now();
    const parsed = parseSurveyForm(form);
    if ('problems' in parsed) {
      // Nothing is recorded: the page says why the link cannot be used, or what to correct.
      const invitation = await this.find(token);
      return (
        this.refusal(invitation, now) ?? {
          status: 400,
          html: surveyFormPage(context(invitation!), form, parsed.problems),
        }
      );
    }
    const { answers } = parsed;
    if (!looksLikeSurveyToken(token)) return this.refusal(null, now)!;
    // Where it was answered from, as keyed hashes only (docs/rating-integrity.md, "Privacy").
    const hashes = origin ? hashOrigin(origin, this.config.auth.JWT_SECRET) : undefined;
    const row = await this.batcher.record({ tokenHash: hashSurveyToken(token), answers, now, origin: hashes });
    // Whether it recorded is the statement's word (it checked the locked row); if not, the page
    // says why, from the same row.
    if (!row?.response_id) return this.refusal(row ?? null, now) ?? { status: 410, html: SURVEY_PAGES.expired() };
    if (isDetractor(answers) && !row.recovery_owner_id)
      this.logger.error(`No active manager or admin for the recovery of survey response ${row.response_id}`);
    // After commit; if Redis is away the reconciler queues it later (the row is pending).
    if (row.alert_ids?.length)
      await this.outbox.enqueue(row.alert_ids.map((id) => ({ id, scheduledAt: row.alert_scheduled_at! })));
    // What follows an answer (the comment's themes, outbound webhooks) is done before the client
    // hears back; a listener's failure is its own.
    await this.events.emitAsync(
      SurveyAnswered.event,
      new SurveyAnswered(row.response_id, row.customer_id, row.butler_id, answers.comment, now),
    );
    return { status: 200, html: SURVEY_PAGES.thanks() };
  }

  // A relationship program's yearly survey (its link starts with "r"): a longer form, recorded in one
  // transaction of its own (none of a contact survey's closed loop or scorecard), its unmet needs
  // tagged like any survey comment.
  private async viewRelationship(token: string): Promise<SurveyPageResult> {
    const invitation = await this.programs.readInvitation(hashSurveyToken(token));
    const refusal = this.refusal(invitation, this.clock.now());
    if (refusal) return refusal;
    return { status: 200, html: relationshipFormPage(relationshipContext(invitation!)) };
  }

  private async submitRelationship(token: string, form: RawForm): Promise<SurveyPageResult> {
    const now = this.clock.now();
    const hash = hashSurveyToken(token);
    const outcome = await this.dataSource.transaction(async (em) => {
      const invitation = await this.programs.invitationByTokenHash(em, hash, true);
      const refusal = this.refusal(invitation, now);
      if (refusal) return { page: refusal };
      const parsed = parseRelationshipForm(form, invitation!.brands);
      if ('problems' in parsed)
        return {
          page: { status: 400, html: relationshipFormPage(relationshipContext(invitation!), form, parsed.problems) },
        };
      const responseId = await this.programs.recordAnswer(em, invitation!, parsed.answers, now);
      // Into the satisfaction summary by client group, apart from the contact surveys (kind), with the
      // client's expectations for the P−E gaps.
      await this.satisfaction.addResponses(em, 'relationship', [
        { id: responseId, expectations: parsed.answers.expectation },
      ]);
      return {
        page: { status: 200, html: SURVEY_PAGES.thanks() },
        responseId,
        invitation: invitation!,
        needs: parsed.answers.needs,
      };
    });
    if (outcome.responseId && outcome.needs)
      await this.events.emitAsync(
        SurveyAnswered.event,
        new SurveyAnswered(
          outcome.responseId,
          outcome.invitation.customer_id,
          outcome.invitation.butler_id,
          outcome.needs,
          now,
        ),
      );
    return outcome.page;
  }

  private pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  private async find(token: string): Promise<SurveyInvitationRow | null> {
    if (!looksLikeSurveyToken(token)) return null;
    return this.repository.invitationByTokenHash(hashSurveyToken(token));
  }

  private refusal(invitation: SurveyInvitationRow | null, now: Date): SurveyPageResult | null {
    if (!invitation) return { status: 404, html: SURVEY_PAGES.notFound() };
    if (invitation.status === 'responded') return { status: 409, html: SURVEY_PAGES.used() };
    if (invitation.status !== 'sent') return { status: 404, html: SURVEY_PAGES.notFound() };
    if (!invitation.expires_at || invitation.expires_at.getTime() <= now.getTime())
      return { status: 410, html: SURVEY_PAGES.expired() };
    return null;
  }
}

function context(invitation: SurveyInvitationRow): SurveyPageContext {
  return {
    customerName: invitation.customer_name,
    butlerName: invitation.butler_name,
    oneQuestion: invitation.source === 'recovery',
  };
}

function relationshipContext(invitation: RelationshipInvitationRow) {
  return {
    customerName: invitation.customer_name,
    butlerName: invitation.butler_name,
    programName: invitation.program_name,
    brands: invitation.brands,
  };
}
