import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { scopeOf } from '@app/access';
import { AuditService } from '@app/audit';
import { AppError, AuthUser, Clock, InputProblem, shanghaiDay } from '@app/common';
import { AppConfig } from '@app/config';
import { CHANNELS, readOutages } from '@app/mail';
import {
  JOBS,
  LimitsRedis,
  planCampaignJobId,
  QueueOf,
  queueReady,
  QUEUES,
  sendBatchJobId,
  withinQueueTimeout,
} from '@app/queue';
import { SettingsService, smsGreetingTemplate, smsTemplateMissing } from '@app/settings';
import { UserEntity } from '@app/users';

import { AudienceRepository, planRulesOf } from './audience.repository';
import { CampaignFailureDto, CampaignPreviewDto, CampaignProgress, CreateCampaignDto } from './dto/greetings.dto';
import { CampaignAudience, CampaignEntity } from './entities/campaign.entity';
import { TemplateEntity } from './entities/template.entity';
import { passedFestival } from './festival-timing';
import { maskedUnsubscribeUrl, renderCampaignGreeting } from './greeting-render';
import { GreetingsRepository } from './greetings.repository';
import { checkQuietHours, inQuietHours } from './quiet-hours';

// How far in the past a new campaign's sendAt may be (clock skew, a slow request): it then
// starts at once. Further back is a mistake, not "send now".
const PAST_SEND_AT_TOLERANCE_MS = 5 * 60_000;
// Clients whose greeting the preview shows.
const PREVIEW_SAMPLES = 3;

@Injectable()
export class CampaignsService {
  private readonly logger = new Logger('Campaigns');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: GreetingsRepository,
    @InjectQueue(QUEUES.campaigns) private readonly queue: QueueOf<typeof QUEUES.campaigns>,
    private readonly clock: Clock,
    private readonly audiences: AudienceRepository,
    private readonly settings: SettingsService,
    private readonly config: AppConfig,
    private readonly redis: LimitsRedis,
    private readonly audit: AuditService,
  ) {}

  async create(actor: AuthUser, dto: CreateCampaignDto): Promise<CampaignEntity> {
    const template = await this.dataSource
      .getRepository(TemplateEntity)
      .findOne({ where: { id: dto.templateId, active: true } });
    const now = this.clock.now();
    const problems: InputProblem[] = [];
    if (!template)
      problems.push({
        field: 'templateId',
        code: 'isActiveTemplate',
        message: 'templateId must be an active template',
      });
    // A template is written for its occasion: a 生日祝福 sent for 元宵节 reads as a mistake to the
    // client (found by a red team). `custom` templates fit any occasion.
    else if (template.occasion !== 'custom' && template.occasion !== dto.occasion) {
      problems.push({
        field: 'templateId',
        code: 'templateOccasion',
        params: { occasion: dto.occasion, templateOccasion: template.occasion },
        message:
          `templateId must be a template for ${dto.occasion} or a custom one ` +
          `(this one is for ${template.occasion})`,
      });
    }
    // 立即发送 in the console is "now" when it was clicked: a time that just passed means now.
    const sendAt = new Date(Math.max(new Date(dto.sendAt).getTime(), now.getTime()));
    if (new Date(dto.sendAt).getTime() < now.getTime() - PAST_SEND_AT_TOLERANCE_MS)
      problems.push({ field: 'sendAt', code: 'notInPast', message: 'sendAt must not be in the past' });
    else {
      const passed = passedFestival(dto.occasion, shanghaiDay(sendAt));
      if (passed)
        problems.push({
          field: 'sendAt',
          code: 'beforeFestivalEnds',
          params: { festival: passed.key, date: passed.date },
          message:
            `sendAt must be on or before ${passed.key} (${passed.date}): ` +
            'a festival greeting sent after the festival arrives late',
        });
    }
    if (!template || problems.length) throw AppError.invalid(...problems);
    if (!dto.draft) checkQuietHours(sendAt, dto.confirmQuietHours);
    if (!dto.draft) await this.checkSmsTemplate('occasion', dto.occasion);
    const { audience, managerId } = await this.resolveAudience(actor, dto);
    const repo = this.dataSource.getRepository(CampaignEntity);
    const campaign = repo.create({
      name: dto.name,
      occasion: dto.occasion,
      templateId: template.id,
      subject: template.subject,
      body: template.body,
      sendAt,
      audience,
      managerId,
      status: dto.draft ? 'draft' : 'scheduled',
      createdBy: actor.id,
      audienceCount: await this.countAudience(audience, managerId),
    });
    const saved = await repo.save(campaign);
    if (saved.status === 'scheduled') await this.schedulePlanning(saved);
    return saved;
  }

  async list(actor: AuthUser): Promise<CampaignEntity[]> {
    return this.repository.list(scopeOf(actor));
  }

  async get(actor: AuthUser, id: string): Promise<CampaignEntity> {
    const campaign = await this.dataSource.getRepository(CampaignEntity).findOne({ where: { id } });
    if (!campaign || !scopeOf(actor).seesTeam(campaign.managerId)) throw AppError.notFound('Campaign');
    return campaign;
  }

  async progress(campaign: CampaignEntity): Promise<CampaignProgress | null> {
    if (!campaign.plannedAt) return null;
    const rows = await this.repository.messageCounts(campaign.id);
    const progress: CampaignProgress = {
      audience: 0,
      pending: 0,
      sent: 0,
      failed: 0,
      skipped: 0,
      skippedBy: {},
      outage: campaign.status === 'sending' ? await this.outage() : null,
      failures: [],
      retryable: 0,
    };
    const failures = new Map<CampaignFailureDto['reason'], number>();
    for (const r of rows) {
      const n = Number(r.n);
      progress.audience += n;
      // A message being sent (claimed, not yet marked) is still to come.
      const status = r.status === 'sending' ? 'pending' : (r.status as 'pending' | 'sent' | 'failed' | 'skipped');
      if (status in progress) progress[status] += n;
      if (r.status === 'skipped' && r.skip_reason)
        progress.skippedBy[r.skip_reason] = (progress.skippedBy[r.skip_reason] ?? 0) + n;
      if (r.failure_reason) failures.set(r.failure_reason, (failures.get(r.failure_reason) ?? 0) + n);
      if (r.retryable) progress.retryable += n;
    }
    progress.failures = byCount(failures);
    return progress;
  }

  // With an SMS provider, a greeting may go out by SMS, which needs the occasion's approved template
  // code in settings (or the custom one): a 400 naming where to configure it, before anything is sent.
  private async checkSmsTemplate(field: string, occasion: string): Promise<void> {
    if (this.config.sms.SMS_PROVIDER === 'none') return;
    if (!smsGreetingTemplate((await this.settings.get()).sms, occasion))
      throw smsTemplateMissing(field, 'greeting', occasion);
  }

  // A channel whose circuit is open, as the workers left it in Redis (none known without Redis).
  private async outage(): Promise<CampaignProgress['outage']> {
    try {
      const outages = await readOutages(await this.redis.connection(), this.config.redis.QUEUE_PREFIX);
      const channel = CHANNELS.find((c) => outages[c]);
      return channel ? { channel, since: outages[channel]!.since } : null;
    } catch {
      return null;
    }
  }

  // The failed messages of each listed campaign that ended with failures, by reason.
  async failuresOf(campaigns: CampaignEntity[]): Promise<Map<string, CampaignFailureDto[]>> {
    const ids = campaigns.filter((c) => c.status === 'completed_with_failures').map((c) => c.id);
    const byCampaign = new Map<string, Map<CampaignFailureDto['reason'], number>>();
    for (const r of await this.repository.failureCounts(ids)) {
      const counts = byCampaign.get(r.campaign_id) ?? new Map<CampaignFailureDto['reason'], number>();
      counts.set(r.reason, Number(r.n));
      byCampaign.set(r.campaign_id, counts);
    }
    return new Map([...byCampaign].map(([id, counts]) => [id, byCount(counts)]));
  }

  // Sends the campaign's failed messages once more, after their cause is fixed: each failed
  // message once only (retried_at), never to a client this campaign already reached. The
  // campaign goes back to sending and ends completed or completed_with_failures again.
  async retryFailed(actor: AuthUser, id: string): Promise<{ campaign: CampaignEntity; retried: number }> {
    await this.get(actor, id);
    const { retried, batches } = await this.dataSource.transaction(async (em) => {
      const locked = await this.repository.lockCampaign(em, id);
      if (!locked) throw AppError.notFound('Campaign');
      if (locked.status !== 'completed' && locked.status !== 'completed_with_failures')
        throw new AppError(
          'conflict',
          `Only a finished campaign can retry its failed messages; this one is ${locked.status}`,
          {
            code: 'CAMPAIGN_NOT_FINISHED',
            status: locked.status,
          },
        );
      const result = await this.repository.retryFailed(em, id, this.clock.now());
      if (result.retried === 0) {
        const { failed } = await this.repository.failedCount(em, id);
        if (failed === 0)
          throw new AppError('conflict', 'This campaign has no failed messages to retry', {
            code: 'CAMPAIGN_NOTHING_TO_RETRY',
          });
        throw new AppError('conflict', `Each of the ${failed} failed message(s) was retried once already`, {
          code: 'CAMPAIGN_ALREADY_RETRIED',
          failed,
        });
      }
      await this.audit.record(em, {
        actorId: actor.id,
        action: 'update',
        entityType: 'greeting_campaign',
        entityId: id,
        changes: { status: { from: locked.status, to: 'sending' }, retriedMessages: result.retried },
      });
      return result;
    });
    await this.queueBatches(id, batches);
    return { campaign: await this.get(actor, id), retried };
  }

  // Confirm a draft, or cancel: pending messages are skipped as "cancelled"; sent ones stay sent.
  async setStatus(
    actor: AuthUser,
    id: string,
    status: 'scheduled' | 'cancelled',
    confirmQuietHours?: boolean,
  ): Promise<CampaignEntity> {
    const campaign = await this.get(actor, id);
    if (status === 'scheduled') {
      if (campaign.status !== 'draft')
        throw new AppError('conflict', `Only a draft can be confirmed; this campaign is ${campaign.status}`, {
          code: 'CAMPAIGN_NOT_DRAFT',
          status: campaign.status,
        });
      // A draft whose time has passed goes out at once: too late, if its festival is over.
      const sendsAt = new Date(Math.max(campaign.sendAt.getTime(), this.clock.now().getTime()));
      const passed = passedFestival(campaign.occasion, shanghaiDay(sendsAt));
      if (passed)
        throw new AppError(
          'conflict',
          `This campaign greets ${passed.key} (${passed.date}), which has passed; ` +
            'a greeting sent now would arrive late',
          { code: 'CAMPAIGN_FESTIVAL_PASSED', festival: passed.key, date: passed.date },
        );
      checkQuietHours(sendsAt, confirmQuietHours);
      await this.checkSmsTemplate('status', campaign.occasion);
      await this.dataSource.getRepository(CampaignEntity).update({ id, status: 'draft' }, { status: 'scheduled' });
      campaign.status = 'scheduled';
      await this.schedulePlanning(campaign);
      return campaign;
    }
    if (
      campaign.status === 'completed' ||
      campaign.status === 'completed_with_failures' ||
      campaign.status === 'cancelled'
    ) {
      throw new AppError('conflict', `This campaign is already ${campaign.status}`, {
        code: 'CAMPAIGN_ALREADY_ENDED',
        status: campaign.status,
      });
    }
    await this.dataSource.transaction(async (em) => {
      await this.repository.cancel(em, id);
    });
    return this.get(actor, id);
  }

  // The greeting as three clients of the audience would read it, and whom it reaches: the same
  // audience, skip reasons and rendering the runner uses when it plans and sends.
  async preview(actor: AuthUser, id: string): Promise<CampaignPreviewDto> {
    const campaign = await this.get(actor, id);
    const sendsAt = new Date(Math.max(campaign.sendAt.getTime(), this.clock.now().getTime()));
    const rules = planRulesOf(await this.settings.get());
    const counts = await this.audiences.reach(campaign, sendsAt, rules);
    const samples = await this.audiences.samples(campaign, sendsAt, rules, PREVIEW_SAMPLES);
    return {
      sendsAt: sendsAt.toISOString(),
      quietHours: inQuietHours(sendsAt),
      samples: samples.map(({ customerId, context }) => ({
        customerId,
        customerName: context.name,
        ...renderCampaignGreeting(campaign, context, maskedUnsubscribeUrl(this.config)),
      })),
      counts,
    };
  }

  async countAudience(audience: CampaignAudience, managerId: string | null): Promise<number> {
    return this.repository.countAudience(audience, managerId);
  }

  // Planning runs in a worker at sendAt. Without Redis the campaign reconciler plans it later.
  async schedulePlanning(campaign: CampaignEntity): Promise<void> {
    if (!(await queueReady(this.queue))) return;
    const delay = Math.max(0, campaign.sendAt.getTime() - this.clock.now().getTime());
    await withinQueueTimeout(
      this.queue.add(
        JOBS.planCampaign,
        { campaignId: campaign.id },
        {
          jobId: planCampaignJobId(campaign.id),
          delay,
          removeOnComplete: true,
          removeOnFail: 100,
          attempts: 5,
          backoff: { type: 'exponential', delay: 5000 },
        },
      ),
    ).catch((error: Error) => this.logger.warn(`Could not queue planning of ${campaign.id}: ${error.message}`));
  }

  // The batches retried messages are in. A batch job that failed for good is replaced; one still
  // waiting or running reads the pending messages itself. Without Redis the campaign reconciler
  // queues them later (the campaign is sending with messages pending).
  private async queueBatches(campaignId: string, batches: number[]): Promise<void> {
    if (!(await queueReady(this.queue))) return;
    const { MAIL_MAX_ATTEMPTS, MAIL_BACKOFF_MS } = this.config.mail;
    try {
      for (const batchNo of batches) {
        const jobId = sendBatchJobId(campaignId, batchNo);
        const job = await withinQueueTimeout(this.queue.getJob(jobId));
        if (job && !(await job.isFailed()) && !(await job.isCompleted())) continue;
        if (job) await job.remove();
        await withinQueueTimeout(
          this.queue.add(
            JOBS.sendBatch,
            { campaignId, batchNo },
            {
              jobId,
              attempts: MAIL_MAX_ATTEMPTS,
              backoff: { type: 'exponential', delay: MAIL_BACKOFF_MS },
              removeOnComplete: true,
              removeOnFail: 1000,
            },
          ),
        );
      }
    } catch (error) {
      this.logger.warn(`Could not queue the retried batches of ${campaignId}: ${(error as Error).message}`);
    }
  }

  // A manager addresses their own team only; an admin the whole base, a team or a butler.
  private async resolveAudience(
    actor: AuthUser,
    dto: CreateCampaignDto,
  ): Promise<{ audience: CampaignAudience; managerId: string | null }> {
    const a = dto.audience;
    const audience: CampaignAudience = { scope: a.scope, tiers: a.tiers, tags: a.tags, aromas: a.aromas };
    let managerId: string | null = actor.role === 'manager' ? actor.id : null;
    if (a.scope === 'butler') {
      if (!a.butlerId)
        throw AppError.invalid({
          field: 'audience.butlerId',
          code: 'required',
          message: 'audience.butlerId is required when audience.scope is butler',
        });
      const butler = await this.dataSource
        .getRepository(UserEntity)
        .findOne({ where: { id: a.butlerId, role: 'butler' } });
      if (!butler || !scopeOf(actor).seesUser(butler)) {
        throw AppError.invalid({
          field: 'audience.butlerId',
          code: 'isActiveButler',
          params: { team: true },
          message: 'audience.butlerId must be a butler of your team',
        });
      }
      audience.butlerId = butler.id;
    }
    if (a.scope === 'team' && actor.role === 'admin') {
      if (!a.managerId)
        throw AppError.invalid({
          field: 'audience.managerId',
          code: 'required',
          message: 'audience.managerId is required when an admin addresses a team',
        });
      managerId = a.managerId;
      audience.managerId = a.managerId;
    }
    return { audience, managerId };
  }
}

// Counts by reason, most first.
function byCount(counts: Map<CampaignFailureDto['reason'], number>): CampaignFailureDto[] {
  return [...counts]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}
