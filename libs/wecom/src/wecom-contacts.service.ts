import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { AppError, AuthUser, Clock } from '@app/common';
import { AppConfig } from '@app/config';
import { CustomerAccessService, CustomerEntity, CustomersService } from '@app/customers';
import { OutboxService } from '@app/mail';
import { UsersService } from '@app/users';

import { MatchedBy, WecomContactEventEntity } from './entities/wecom-contact-event.entity';
import { WecomApiClient } from './wecom-api.client';
import { WecomEdgeRepository } from './wecom-edge.repository';

export interface ContactChange {
  changeType: string;
  wecomUserId: string;
  externalUserId: string;
  occurredAt: Date;
  detail: Record<string, string>;
}

interface ExternalContactAnswer {
  follow_user?: { userid: string; remark?: string; remark_mobiles?: string[]; state?: string }[];
}

// A 联系我 / 获客链接 state naming the client: "c:<uuid>" (what the butler's QR code carries).
const STATE = /^c:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

// What WeCom's external-contact changes do to the book, and the binding a butler makes by hand:
// - added / edited: the contact is bound to the client it is (already bound; the state of the QR
//   code it was added by; the butler's remark mobile or remark = one of their unbound clients'
//   mobile or name), or recorded unmatched for the butler to link in the sidebar; a client who
//   deleted their butler and adds one again is no longer at risk for it;
// - del_follow_user (the client deleted the butler): the client is at risk at once (churn reason
//   wecom_removed) and the manager is alerted by email through the outbox;
// - del_external_contact (the butler deleted the client): on the client's timeline.
// Each event is a wecom_contact_events row, written in the transaction of its effects.
@Injectable()
export class WecomContactsService {
  private readonly logger = new Logger('WecomContacts');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: WecomEdgeRepository,
    private readonly customers: CustomersService,
    private readonly access: CustomerAccessService,
    private readonly users: UsersService,
    private readonly outbox: OutboxService,
    private readonly api: WecomApiClient,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async onContactChange(change: ContactChange): Promise<void> {
    const butler = await this.users.byWecomUserId(change.wecomUserId);
    const bound = await this.customers.byExternalUserId(change.externalUserId);
    const adding = ['add_external_contact', 'add_half_external_contact', 'edit_external_contact'].includes(
      change.changeType,
    );
    // WeCom's contact details are read outside the transaction (no connection held on a call).
    const follower = adding && !bound && butler ? await this.follower(change) : null;
    const alert = await this.dataSource.transaction(async (em) => {
      let customerId = bound?.id ?? null;
      let matchedBy: MatchedBy | null = bound ? 'bound' : null;
      if (adding && !bound && butler) {
        const match = await this.match(em, butler.id, change, follower);
        if (
          match &&
          (await this.customers.bindExternalUser(match.id, change.externalUserId, 'wecom_callback', { em }))
        ) {
          customerId = match.id;
          matchedBy = match.by;
        }
      }
      if (customerId && change.changeType === 'add_external_contact')
        await this.customers.clearWecomRemoved(em, customerId);
      const removed =
        customerId !== null &&
        change.changeType === 'del_follow_user' &&
        (await this.customers.markWecomRemoved(em, customerId, change.occurredAt));
      await em.insert(WecomContactEventEntity, {
        changeType: change.changeType,
        wecomUserId: change.wecomUserId,
        externalUserId: change.externalUserId,
        customerId,
        butlerId: butler?.id ?? bound?.butlerId ?? null,
        matchedBy,
        detail: change.detail,
        occurredAt: change.occurredAt,
      });
      return removed && customerId ? this.recordAlert(em, customerId, change) : null;
    });
    if (alert) await this.outbox.enqueue([alert]);
  }

  // The client bound to an external contact, if the actor may see it (the sidebar). Out of reach
  // reads as unbound: the butler cannot tell another team's client is there.
  async contactFor(actor: AuthUser, externalUserId: string): Promise<CustomerEntity | null> {
    const bound = await this.customers.byExternalUserId(externalUserId);
    if (!bound) return null;
    try {
      return await this.access.findVisible(actor, bound.id);
    } catch (error) {
      if (error instanceof AppError && error.kind === 'not_found') return null;
      throw error;
    }
  }

  // The butler links the contact to one of the clients they may act on (关联客户).
  async bind(actor: AuthUser, externalUserId: string, customerId: string): Promise<CustomerEntity> {
    const client = await this.access.findVisible(actor, customerId);
    if (client.externalUserId === externalUserId) return client;
    // The client holds another contact already: say so rather than silently moving it.
    if (client.externalUserId)
      throw new AppError('conflict', 'The client is already bound to another WeCom contact', {
        code: 'WECOM_CLIENT_BOUND',
      });
    const changed = await this.customers.bindExternalUser(customerId, externalUserId, `sidebar:${actor.id}`, {
      actorId: actor.id,
    });
    if (!changed)
      throw new AppError('conflict', 'This WeCom contact is already bound to another client', {
        code: 'WECOM_CONTACT_TAKEN',
      });
    return this.access.findVisible(actor, customerId);
  }

  private async match(
    em: EntityManager,
    butlerId: string,
    change: ContactChange,
    follower: NonNullable<ExternalContactAnswer['follow_user']>[number] | null,
  ): Promise<{ id: string; by: MatchedBy } | null> {
    const state = STATE.exec(change.detail.State ?? follower?.state ?? '');
    if (state) {
      const byState = await em.findOne(CustomerEntity, { where: { id: state[1] } });
      if (byState && byState.butlerId === butlerId && !byState.externalUserId) return { id: byState.id, by: 'state' };
    }
    if (!follower) return null;
    return this.repository.matchClient(em, butlerId, follower.remark_mobiles ?? [], follower.remark?.trim() || null);
  }

  // The butler's entry on the contact (their remark and remark mobiles), from externalcontact/get.
  private async follower(change: ContactChange) {
    try {
      const answer = await this.api.get<ExternalContactAnswer>(
        '/cgi-bin/externalcontact/get',
        { external_userid: change.externalUserId },
        'contact',
      );
      return answer.follow_user?.find((f) => f.userid === change.wecomUserId) ?? null;
    } catch (error) {
      // Matched by the state alone, or recorded unmatched for the butler to link.
      this.logger.warn(`externalcontact/get for ${change.externalUserId}: ${(error as Error).message}`);
      return null;
    }
  }

  private async recordAlert(em: EntityManager, customerId: string, change: ContactChange) {
    const target = await this.repository.alertTarget(em, customerId);
    if (!target) return null;
    const message = await this.outbox.record(
      {
        key: `wecom-removed:${customerId}:${change.occurredAt.getTime()}`,
        purpose: 'recovery_alert',
        toAddress: target.manager_email,
        template: 'wecom-removed-alert',
        context: {
          managerName: target.manager_name,
          customerName: target.customer_name,
          butlerName: target.butler_name,
          removedAt: shanghaiMinute(change.occurredAt),
          clientUrl: `${this.config.http.PUBLIC_BASE_URL.replace(/\/$/, '')}/clients/${customerId}`,
        },
        scheduledAt: this.clock.now(),
      },
      em,
    );
    return message.status === 'pending' ? message : null;
  }
}

const MINUTE = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

function shanghaiMinute(at: Date): string {
  return MINUTE.format(at);
}
