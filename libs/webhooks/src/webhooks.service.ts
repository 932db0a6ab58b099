import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';

import { AuditService } from '@app/audit';
import { AppError, AuthUser, decodeCursor, Page, pageOf, pageSize } from '@app/common';
import { AppConfig, settingsKeyBytes } from '@app/config';
import { sealSecret } from '@app/settings';

import {
  CreateWebhookDto,
  ListDeliveriesQueryDto,
  mapWebhook,
  UpdateWebhookDto,
  WebhookDeliveryDto,
  WebhookDto,
  WebhookWithSecretDto,
} from './dto/webhook.dto';
import { WebhookEndpointEntity } from './entities/webhook-endpoint.entity';
import { newWebhookSecret } from './webhook-signature';
import { WebhookSubscribers } from './webhook-subscribers';
import { webhookUrlProblem } from './webhook-url';
import { DeliveryRow, WebhooksRepository } from './webhooks.repository';

// "HTTP 503: …" (a refusal) or "HTTP 200" (accepted): what the receiver last answered.
export function responseCodeOf(row: Pick<DeliveryRow, 'provider_message_id' | 'last_error' | 'status'>): number | null {
  const text = row.status === 'sent' ? row.provider_message_id : row.last_error;
  const match = /^HTTP (\d{3})\b/.exec(text ?? '');
  return match ? Number(match[1]) : null;
}

// The endpoints an admin configures, and the delivery log (docs/exports-webhooks.md).
@Injectable()
export class WebhooksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(WebhookEndpointEntity) private readonly endpoints: Repository<WebhookEndpointEntity>,
    private readonly repository: WebhooksRepository,
    private readonly subscribers: WebhookSubscribers,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async list(): Promise<WebhookDto[]> {
    return (await this.endpoints.find({ order: { createdAt: 'ASC', id: 'ASC' } })).map(mapWebhook);
  }

  async create(actor: AuthUser, dto: CreateWebhookDto): Promise<WebhookWithSecretDto> {
    await this.checkUrl(dto.url);
    const secret = newWebhookSecret();
    const saved = await this.dataSource.transaction(async (em) => {
      const row = await em.save(
        em.create(WebhookEndpointEntity, {
          url: dto.url,
          description: dto.description ?? '',
          events: dto.events,
          secretSealed: this.seal(secret),
          active: true,
          createdBy: actor.id,
        }),
      );
      await this.audit.record(em, {
        actorId: actor.id,
        action: 'create',
        entityType: 'webhook',
        entityId: row.id,
        changes: { url: dto.url, events: dto.events, description: dto.description ?? '' },
      });
      return row;
    });
    this.subscribers.forget();
    return { ...mapWebhook(saved), secret };
  }

  async update(actor: AuthUser, id: string, dto: UpdateWebhookDto): Promise<WebhookDto> {
    if (dto.url !== undefined) await this.checkUrl(dto.url);
    const updated = await this.dataSource.transaction(async (em) => {
      const found = await em.findOne(WebhookEndpointEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!found) throw AppError.notFound('Webhook');
      const changes = Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined));
      await em.update(WebhookEndpointEntity, { id }, changes);
      await this.audit.record(em, {
        actorId: actor.id,
        action: 'update',
        entityType: 'webhook',
        entityId: id,
        changes,
      });
      return mapWebhook(await em.findOneByOrFail(WebhookEndpointEntity, { id }));
    });
    this.subscribers.forget();
    return updated;
  }

  // A new secret, shown once; the old one stops signing at once.
  async rotateSecret(actor: AuthUser, id: string): Promise<WebhookWithSecretDto> {
    const secret = newWebhookSecret();
    return this.dataSource.transaction(async (em) => {
      const found = await em.findOne(WebhookEndpointEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!found) throw AppError.notFound('Webhook');
      await em.update(WebhookEndpointEntity, { id }, { secretSealed: this.seal(secret) });
      await this.audit.record(em, {
        actorId: actor.id,
        action: 'update',
        entityType: 'webhook',
        entityId: id,
        changes: { secret: 'rotated' },
      });
      return { ...mapWebhook(found), secret };
    });
  }

  // Deliveries still pending for it are skipped when their turn comes (the renderer finds no endpoint).
  async remove(actor: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const result = await em.delete(WebhookEndpointEntity, { id });
      if (!result.affected) throw AppError.notFound('Webhook');
      await this.audit.record(em, { actorId: actor.id, action: 'delete', entityType: 'webhook', entityId: id });
    });
    this.subscribers.forget();
  }

  async deliveries(query: ListDeliveriesQueryDto): Promise<Page<WebhookDeliveryDto>> {
    const limit = pageSize(query.limit);
    const before = query.cursor ? (decodeCursor(query.cursor, ['timestamp', 'uuid']) as [string, string]) : undefined;
    const rows = await this.repository.deliveries(
      { endpointId: query.endpointId, status: query.status, before },
      limit + 1,
    );
    const { rows: page, nextCursor } = pageOf(rows, limit, (last) => [last.created_at.toISOString(), last.id]);
    return {
      items: page.map((r) => ({
        id: r.id,
        endpointId: r.endpoint_id,
        url: r.to_address,
        event: r.event,
        status: r.status,
        attempts: r.attempts,
        lastError: r.last_error,
        responseCode: responseCodeOf(r),
        createdAt: r.created_at.toISOString(),
        sentAt: r.sent_at ? r.sent_at.toISOString() : null,
      })),
      nextCursor,
    };
  }

  private seal(secret: string): string {
    return sealSecret(settingsKeyBytes(this.config.auth.SETTINGS_ENCRYPTION_KEY), secret);
  }

  private async checkUrl(url: string): Promise<void> {
    const problem = await webhookUrlProblem(url, this.config.http.NODE_ENV !== 'production');
    if (problem)
      throw AppError.invalid({
        field: 'url',
        code: problem,
        message:
          problem === 'httpUrl'
            ? 'url must be an http or https URL'
            : 'url must not point at a private, loopback or link-local address',
      });
  }
}
