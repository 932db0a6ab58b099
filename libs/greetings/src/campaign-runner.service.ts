import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { Clock } from '@app/common';
import { AppConfig } from '@app/config';
import { isChannel, sendRefusal } from '@app/customers';
import { MailSenderService, MessageEntity, RenderedMessage, textToHtml } from '@app/mail';
import { JOBS, planCampaignJobId, QueueJobs, QueueOf, QUEUES, sendBatchJobId } from '@app/queue';
import { SettingsService, smsGreetingTemplate } from '@app/settings';

import { planRulesOf, type GreetingContext } from './audience.repository';
import { CampaignEntity } from './entities/campaign.entity';
import {
  endsWithOptOut,
  renderCampaignGreeting,
  renderCampaignSms,
  renderCampaignWecom,
  unsubscribeUrlFor,
} from './greeting-render';
import { BATCH_SIZE, GreetingsRepository } from './greetings.repository';

export { BATCH_SIZE };
// Messages sent at once within one batch job.
const BATCH_CONCURRENCY = 5;
const GRACE_MS = 30_000;
// The skip reasons a greeting has always given at send time, by the consent rule's refusal.
const SEND_SKIPS = {
  customer_deleted: 'deleted',
  no_consent: 'unsubscribed',
  address_changed: 'address_changed',
} as const;

// The worker side of greeting campaigns: plan (one set-based INSERT of every message), send in
// batches, render each message from the campaign's template snapshot, and reconcile with Redis.
@Injectable()
export class CampaignRunner {
  private readonly logger = new Logger('CampaignRunner');
  private readonly campaigns = new Map<string, CampaignEntity>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: GreetingsRepository,
    @InjectQueue(QUEUES.campaigns) private readonly queue: QueueOf<typeof QUEUES.campaigns>,
    private readonly sender: MailSenderService,
    private readonly settings: SettingsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    sender.registerRenderer('greeting', (message, em) => this.render(message, em));
  }

  // Writes one message row per client of the audience (pending, or skipped with the reason),
  // then queues the batches. Runs once: the status change from scheduled claims the campaign.
  async plan(campaignId: string): Promise<number> {
    const rules = planRulesOf(await this.settings.get());
    const claimed = await this.dataSource.transaction(async (em) => {
      const campaign = await this.repository.claimCampaign(em, campaignId);
      if (!campaign) return null;
      await this.repository.planMessages(em, campaign, rules);
      return campaign;
    });
    if (!claimed) return 0;
    return this.queueBatches(campaignId);
  }

  // Sends one batch. Each message is claimed, sent and marked on its own (see MailSenderService),
  // so a batch retried after a crash skips what already went out. `paused`: the channel's provider
  // is unreachable, the lanes stopped and the rest of the batch waits, pending.
  async sendBatch(campaignId: string, batchNo: number): Promise<{ sent: number; retry: number; paused: boolean }> {
    await this.campaign(campaignId);
    // Consent can change between planning and sending: check it for the whole batch at once.
    await this.repository.skipRefusedInBatch(campaignId, batchNo);
    const rows = await this.repository.pendingInBatch(campaignId, batchNo, this.clock.now());
    let sent = 0;
    let retry = 0;
    let paused = false;
    let failure: unknown = null;
    // A channel whose provider takes messages together (WeCom: one 群发 task per butler) gets the
    // batch's messages of that channel in one call; the others go one by one in lanes.
    const together = rows.filter((r) => this.sender.sendsTogether(r.channel));
    const single = rows.filter((r) => !this.sender.sendsTogether(r.channel));
    if (together.length > 0) {
      for (const { outcome } of await this.sender.sendPendingMany(together.map((r) => r.id))) {
        if (outcome === 'sent') sent++;
        if (outcome === 'retry') retry++;
        if (outcome === 'paused') paused = true;
      }
    }
    let next = 0;
    // A lane stops at an error (PostgreSQL away); the others finish the message they hold first.
    const lane = async () => {
      while (next < single.length && !paused && !failure) {
        try {
          const { outcome } = await this.sender.sendPending(single[next++].id);
          if (outcome === 'sent') sent++;
          if (outcome === 'retry') retry++;
          if (outcome === 'paused') paused = true;
        } catch (error) {
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: BATCH_CONCURRENCY }, lane));
    if (failure) throw failure;
    await this.completeIfDone(campaignId);
    return { sent, retry, paused };
  }

  // How long a paused batch waits before it asks the channel again.
  get pauseMs(): number {
    return this.sender.pauseMs;
  }

  async completeIfDone(campaignId: string): Promise<void> {
    await this.repository.completeIfDone(campaignId);
  }

  // Redis may have lost planning or batch jobs: PostgreSQL says what is still to do.
  async reconcile(graceMs = GRACE_MS): Promise<{ planned: number; batches: number }> {
    const due = await this.repository.scheduledDueBy(new Date(this.clock.now().getTime() - graceMs));
    for (const { id } of due)
      await this.addUnlessLive(JOBS.planCampaign, { campaignId: id }, planCampaignJobId(id), true);
    const sending = await this.repository.sending();
    let batches = 0;
    for (const { id } of sending) {
      const stale = await this.repository.staleBatches(id, graceMs, this.clock.now());
      for (const { batch_no } of stale) {
        if (
          await this.addUnlessLive(JOBS.sendBatch, { campaignId: id, batchNo: batch_no }, sendBatchJobId(id, batch_no))
        )
          batches++;
      }
      await this.completeIfDone(id);
    }
    return { planned: due.length, batches };
  }

  private async queueBatches(campaignId: string): Promise<number> {
    const batches = await this.repository.pendingBatches(campaignId);
    const { MAIL_MAX_ATTEMPTS, MAIL_BACKOFF_MS } = this.config.mail;
    for (let i = 0; i < batches.length; i += 1000) {
      await this.queue.addBulk(
        batches.slice(i, i + 1000).map(({ batch_no }) => ({
          name: JOBS.sendBatch,
          data: { campaignId, batchNo: batch_no },
          opts: {
            jobId: sendBatchJobId(campaignId, batch_no),
            attempts: MAIL_MAX_ATTEMPTS,
            backoff: { type: 'exponential', delay: MAIL_BACKOFF_MS },
            removeOnComplete: true,
            removeOnFail: 1000,
          },
        })),
      );
    }
    await this.completeIfDone(campaignId);
    return batches.length;
  }

  private async addUnlessLive<N extends typeof JOBS.planCampaign | typeof JOBS.sendBatch>(
    name: N,
    data: QueueJobs[typeof QUEUES.campaigns][N],
    jobId: string,
    promote = false,
  ): Promise<boolean> {
    const job = await this.queue.getJob(jobId);
    // PostgreSQL says the campaign is due: a planning job still waiting out its delay runs now.
    // (A batch waiting out a retry backoff is left alone.)
    if (promote && job && (await job.isDelayed())) {
      await job.promote();
      return true;
    }
    if (job && !(await job.isFailed())) return false;
    if (job) await job.remove();
    const { MAIL_MAX_ATTEMPTS, MAIL_BACKOFF_MS } = this.config.mail;
    await this.queue.add(name, data, {
      jobId,
      attempts: MAIL_MAX_ATTEMPTS,
      backoff: { type: 'exponential', delay: MAIL_BACKOFF_MS },
      removeOnComplete: true,
      removeOnFail: 1000,
    });
    return true;
  }

  private async campaign(id: string): Promise<CampaignEntity> {
    let campaign = this.campaigns.get(id);
    if (!campaign) {
      campaign = await this.dataSource.getRepository(CampaignEntity).findOneOrFail({ where: { id } });
      if (this.campaigns.size > 100) this.campaigns.clear();
      this.campaigns.set(id, campaign);
    }
    return campaign;
  }

  // `em` is the claim transaction, which holds the message's lock.
  private async render(message: MessageEntity, em: EntityManager): Promise<RenderedMessage | { skip: string } | null> {
    // A greeting written out in full (not from a campaign) is sent as stored.
    if (!message.campaignId || !message.customerId) return null;
    // A batch takes minutes and its consent check ran at its start: a client who unsubscribed (or
    // was deleted, or changed the address) since then gets nothing, nor one the contact cap now
    // holds back (a survey went out meanwhile). Read on the claim transaction's own connection.
    const { maxMessagesPerDays } = (await this.settings.get(em)).caps;
    const client = await this.repository.clientContact(
      em,
      message.customerId,
      message.id,
      this.clock.now(),
      maxMessagesPerDays,
    );
    const refusal =
      client && isChannel(message.channel)
        ? sendRefusal(client, 'greetings', message.channel, message.toAddress)
        : 'customer_deleted';
    if (refusal) return { skip: SEND_SKIPS[refusal] };
    if (client?.capped) return { skip: 'capped' };
    const campaign = await this.campaign(message.campaignId);
    const ctx = (message.context ?? {}) as unknown as GreetingContext;
    if (message.channel === 'sms') {
      const template = smsGreetingTemplate((await this.settings.get(em)).sms, campaign.occasion);
      if (!template) return { skip: 'no_sms_template' };
      if (!endsWithOptOut(template.text)) return { skip: 'sms_opt_out_missing' };
      const { templateCode, params, text } = renderCampaignSms(campaign, ctx, template);
      return { subject: '', text, html: '', sms: { templateCode, params } };
    }
    if (message.channel === 'wecom') {
      const { text } = renderCampaignWecom(campaign, ctx);
      return { subject: '', text, html: '' };
    }
    const unsubscribeUrl = unsubscribeUrlFor(this.config, message.customerId);
    const { subject, text } = renderCampaignGreeting(campaign, ctx, unsubscribeUrl);
    return { subject, text, html: textToHtml(text), unsubscribeUrl };
  }
}
