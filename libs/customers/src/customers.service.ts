import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, Not } from 'typeorm';

import { AuditService, diff, ExistenceProbes, OutsideTeamAnswer } from '@app/audit';
import { AppError, AuthUser, Clock, Page, pageOf, pageSize } from '@app/common';
import { CHANNELS, type Channel } from '@app/mail';
import { SettingsService } from '@app/settings';
import { assertAssignableButler } from '@app/users';

import { CONTACT_PURPOSES, type ContactPurpose } from './consent';
import { CustomerAccessService } from './customer-access.service';
import { CustomerDeleted, CustomersReassigned, emitInTransaction } from './customer-events';
import { CustomersRepository } from './customers.repository';
import {
  BirthdayDto,
  ConsentChangeDto,
  CreateCustomerDto,
  CustomerDto,
  ListCustomersQueryDto,
  mapCustomer,
  UpdateCustomerDto,
} from './dto/customer.dto';
import {
  ADDRESS_FIELDS,
  CustomerAddressChangeEntity,
  type AddressField,
} from './entities/customer-address-change.entity';
import { CustomerEntity } from './entities/customer.entity';

type CustomerColumns = Partial<
  Pick<
    CustomerEntity,
    | 'name'
    | 'mobile'
    | 'email'
    | 'gender'
    | 'city'
    | 'wechatId'
    | 'externalUserId'
    | 'tier'
    | 'tags'
    | 'notes'
    | 'birthdayCalendar'
    | 'birthdayYear'
    | 'birthdayMonth'
    | 'birthdayDay'
    | 'birthdayLeapMonth'
    | 'consentGreetings'
    | 'consentSurveys'
    | 'consentGreetingsEmail'
    | 'consentGreetingsSms'
    | 'consentGreetingsWecom'
    | 'consentSurveysEmail'
    | 'consentSurveysSms'
    | 'consentSurveysWecom'
    | 'preferredChannel'
    | 'consentUpdatedAt'
    | 'consentSource'
  >
>;

// The fields a body writes to the column of the same name as they are (birthday and consent have
// rules of their own). A new writable field: its column on CustomerEntity, its DTO properties and
// its name here.
const PLAIN_FIELDS = [
  'name',
  'mobile',
  'email',
  'gender',
  'city',
  'wechatId',
  'externalUserId',
  'tier',
  'tags',
  'notes',
  'preferredChannel',
] as const satisfies readonly (keyof CustomerColumns & keyof UpdateCustomerDto)[];

function birthdayColumns(birthday: BirthdayDto | null): CustomerColumns {
  if (!birthday) {
    return {
      birthdayCalendar: null,
      birthdayYear: null,
      birthdayMonth: null,
      birthdayDay: null,
      birthdayLeapMonth: false,
    };
  }
  const parts = birthday.date.split('-').map(Number);
  const [year, month, day] = parts.length === 3 ? parts : [null, ...parts];
  return {
    birthdayCalendar: birthday.calendar,
    birthdayYear: year,
    birthdayMonth: month,
    birthdayDay: day,
    birthdayLeapMonth: birthday.calendar === 'lunar' && (birthday.leapMonth ?? false),
  };
}

// The entity fields of one purpose: on any channel, and by channel.
const CONSENT_FIELDS = {
  greetings: {
    any: 'consentGreetings',
    email: 'consentGreetingsEmail',
    sms: 'consentGreetingsSms',
    wecom: 'consentGreetingsWecom',
  },
  surveys: {
    any: 'consentSurveys',
    email: 'consentSurveysEmail',
    sms: 'consentSurveysSms',
    wecom: 'consentSurveysWecom',
  },
} as const satisfies Record<ContactPurpose, Record<'any' | Channel, keyof CustomerEntity>>;

type Consent = Pick<
  CustomerEntity,
  (typeof CONSENT_FIELDS)[ContactPurpose][keyof (typeof CONSENT_FIELDS)[ContactPurpose]] | 'consentSource'
>;

// The consent columns a body writes. A new client takes the answers as given. An existing one
// only takes an answer that differs from what is stored, and only a changed answer moves
// updatedAt and source: a form opened before the client unsubscribed, saved for a notes change,
// must neither undo the unsubscribe nor restamp it as the butler's. Same answers with another
// source correct the source alone. A purpose's answer without a channel (`greetings: true`) is a
// yes on email and a no on every channel; answers by channel (`channels.greetings.sms`) win.
function consentColumns(current: Consent | null, consent: ConsentChangeDto, now = new Date()): CustomerColumns {
  const columns: CustomerColumns = {};
  let changed = !current;
  for (const purpose of CONTACT_PURPOSES) {
    const fields = CONSENT_FIELDS[purpose];
    const stored = (ch: Channel) => current?.[fields[ch]] ?? false;
    const answers = Object.fromEntries(CHANNELS.map((ch) => [ch, stored(ch)])) as Record<Channel, boolean>;
    const given = consent[purpose];
    if (given !== undefined && given !== CHANNELS.some(stored)) {
      for (const ch of CHANNELS) answers[ch] = given && ch === 'email';
    }
    for (const ch of CHANNELS) answers[ch] = consent.channels?.[purpose]?.[ch] ?? answers[ch];
    for (const ch of CHANNELS) {
      if (answers[ch] !== stored(ch)) changed = true;
      columns[fields[ch]] = answers[ch];
    }
    columns[fields.any] = CHANNELS.some((ch) => answers[ch]);
  }
  if (changed) return { ...columns, consentUpdatedAt: now, consentSource: consent.source ?? 'butler' };
  if (consent.source !== undefined && consent.source !== current?.consentSource)
    return { consentSource: consent.source };
  return {};
}

// The writable columns a create or update body sets (undefined fields are left alone). `current`
// is the stored client an update applies to.
export function customerColumns(
  dto: CreateCustomerDto | UpdateCustomerDto,
  now = new Date(),
  current: Consent | null = null,
): CustomerColumns {
  const columns: CustomerColumns = {};
  for (const field of PLAIN_FIELDS) if (dto[field] !== undefined) Object.assign(columns, { [field]: dto[field] });
  if (dto.birthday !== undefined) Object.assign(columns, birthdayColumns(dto.birthday));
  if (dto.consent) Object.assign(columns, consentColumns(current, dto.consent, now));
  return columns;
}

@Injectable()
export class CustomersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CustomerAccessService,
    private readonly repository: CustomersRepository,
    private readonly audit: AuditService,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    private readonly probes: ExistenceProbes,
    private readonly events: EventEmitter2,
  ) {}

  get(actor: AuthUser, id: string): Promise<CustomerEntity> {
    return this.access.findVisible(actor, id);
  }

  async create(actor: AuthUser, dto: CreateCustomerDto): Promise<CustomerEntity> {
    const butlerId = await this.resolveButler(actor, dto.butlerId);
    return this.dataSource
      .transaction(async (em) => {
        await this.checkMobileFree(em, actor, dto.mobile ?? null, null);
        if (dto.externalUserId) await this.checkExternalUserIdFree(em, dto.externalUserId, null);
        const columns = customerColumns(dto, this.clock.now());
        const created = await saveUnique(em.save(em.create(CustomerEntity, { ...columns, butlerId })));
        await this.recordAddressChanges(em, created.id, addressesOf({}), addressesOf(created), actor.id, 'create');
        await this.audit.record(em, {
          actorId: actor.id,
          action: 'create',
          entityType: 'customer',
          entityId: created.id,
          changes: { ...columns, butlerId },
        });
        return created;
      })
      .catch((error: unknown) => this.probes.settle(actor, error));
  }

  async update(actor: AuthUser, id: string, dto: UpdateCustomerDto): Promise<CustomerEntity> {
    return this.dataSource
      .transaction(async (em) => {
        const customer = await this.access.findVisible(actor, id, em, true);
        if (dto.mobile) await this.checkMobileFree(em, actor, dto.mobile, id);
        if (dto.externalUserId) await this.checkExternalUserIdFree(em, dto.externalUserId, id);
        const columns = customerColumns(dto, this.clock.now(), customer);
        const before = mapCustomer(customer) as unknown as Record<string, unknown>;
        const addressesBefore = addressesOf(customer);
        Object.assign(customer, columns);
        const saved = await saveUnique(em.save(customer));
        await this.recordAddressChanges(em, id, addressesBefore, addressesOf(saved), actor.id, 'update');
        const changes = diff(before, mapCustomer(saved) as unknown as Record<string, unknown>);
        delete changes.updatedAt;
        if (Object.keys(changes).length > 0) {
          await this.audit.record(em, {
            actorId: actor.id,
            action: 'update',
            entityType: 'customer',
            entityId: id,
            changes,
          });
        }
        return saved;
      })
      .catch((error: unknown) => this.probes.settle(actor, error));
  }

  // A purchase counted in its client's statistics (count, spend, first and last purchase), in
  // the purchase's transaction: the purchases library records the order, this the client.
  async recordPurchase(em: EntityManager, customerId: string, totalFen: number, purchasedAt: Date): Promise<void> {
    await this.repository.recordPurchase(em, customerId, totalFen, purchasedAt);
  }

  // The client was reached by a contact at `at` (last_touch_at), in the contact's transaction.
  async touch(em: EntityManager, customerId: string, at: Date): Promise<void> {
    await this.repository.touch(em, customerId, at);
  }

  // What the unsubscribe page shows a client about themselves; null when there is no such client.
  async greetingsConsentOf(customerId: string): Promise<{ name: string; consentGreetings: boolean } | null> {
    return this.repository.greetingsConsentOf(customerId);
  }

  // The client's own withdrawal of greetings by email (the unsubscribe link). See withdrawConsent.
  async unsubscribeGreetings(customerId: string): Promise<{ name: string } | null> {
    return this.withdrawConsent(customerId, 'greetings', 'email', 'unsubscribe');
  }

  // The client on the books with this mobile (11 digits), for a message a provider relays from it.
  async idByMobile(mobile: string): Promise<string | null> {
    const client = await this.dataSource
      .getRepository(CustomerEntity)
      .findOne({ where: { mobile }, select: { id: true } });
    return client?.id ?? null;
  }

  // Withdraws one purpose's consent on one channel (an unsubscribe link, an SMS uplink "T"): no
  // actor, stamped with the app's Clock and `source`, audited once; a second withdrawal changes
  // nothing. The other channels keep their answers. Null when the client is not on the books.
  async withdrawConsent(
    customerId: string,
    purpose: ContactPurpose,
    channel: Channel,
    source: string,
  ): Promise<{ name: string } | null> {
    return this.dataSource.transaction(async (em) => {
      const client = await this.repository.lockLiveName(em, customerId);
      if (!client) return null;
      const changed = await this.repository.withdrawConsent(em, customerId, purpose, channel, source, this.clock.now());
      if (changed) {
        await this.audit.record(em, {
          actorId: null,
          action: 'update',
          entityType: 'customer',
          entityId: customerId,
          changes: { [`consent.channels.${purpose}.${channel}`]: { from: true, to: false }, source },
        });
      }
      return client;
    });
  }

  async remove(actor: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const customer = await this.access.findVisible(actor, id, em, true);
      await em.softDelete(CustomerEntity, { id: customer.id });
      // Its open follow-ups are cancelled and its cases closed by their owners.
      await emitInTransaction(this.events, new CustomerDeleted(em, customer.id, actor.id));
      await this.audit.record(em, {
        actorId: actor.id,
        action: 'delete',
        entityType: 'customer',
        entityId: id,
        changes: { name: customer.name },
      });
    });
  }

  // `within`: the caller's transaction (a follow-up handed over with its client), else a new one.
  async assign(actor: AuthUser, id: string, butlerId: string, within?: EntityManager): Promise<CustomerEntity> {
    const target = await this.resolveButler(actor, butlerId);
    const run = <T>(work: (em: EntityManager) => Promise<T>) =>
      within ? work(within) : this.dataSource.transaction(work);
    return run(async (em) => {
      const customer = await this.access.findVisible(actor, id, em, true);
      const from = customer.butlerId;
      if (from === target) return customer;
      customer.butlerId = target;
      const saved = await em.save(customer);
      await emitInTransaction(
        this.events,
        new CustomersReassigned(em, [id], actor.id, [{ customerId: id, from, to: target }]),
      );
      await this.audit.record(em, {
        actorId: actor.id,
        action: 'assign',
        entityType: 'customer',
        entityId: id,
        changes: { butlerId: { from, to: target } },
      });
      return saved;
    });
  }

  // Moves many clients to one butler in one transaction: every id must be visible to the caller
  // (else 404 and nothing moves); each move is in the audit log.
  async bulkAssign(actor: AuthUser, ids: string[], butlerId: string): Promise<{ assigned: number }> {
    const target = await this.resolveButler(actor, butlerId);
    const unique = [...new Set(ids)];
    return this.dataSource.transaction(async (em) => {
      const rows = await this.repository.lockVisibleButlers(em, actor, unique);
      if (rows.length !== unique.length) throw AppError.notFound('Customer');
      const moving = rows.filter((r) => r.butler_id !== target);
      if (moving.length === 0) return { assigned: 0 };
      await this.repository.assign(
        em,
        moving.map((r) => r.id),
        target,
      );
      await emitInTransaction(
        this.events,
        new CustomersReassigned(
          em,
          moving.map((r) => r.id),
          actor.id,
          moving.map((r) => ({ customerId: r.id, from: r.butler_id, to: target })),
        ),
      );
      for (const r of moving) {
        await this.audit.record(em, {
          actorId: actor.id,
          action: 'assign',
          entityType: 'customer',
          entityId: r.id,
          changes: { butlerId: { from: r.butler_id, to: target } },
        });
      }
      return { assigned: moving.length };
    });
  }

  // The client deleted their butler on WeCom (del_follow_user): at risk (churn reason
  // wecom_removed) from `at` until they add a butler again. No actor: WeCom told us. In `em`, the
  // caller's transaction. True when it changed.
  async markWecomRemoved(em: EntityManager, customerId: string, at: Date): Promise<boolean> {
    const result = await em
      .getRepository(CustomerEntity)
      .update({ id: customerId, wecomRemovedAt: IsNull() }, { wecomRemovedAt: at });
    if (!result.affected) return false;
    await this.audit.record(em, {
      actorId: null,
      action: 'update',
      entityType: 'customer',
      entityId: customerId,
      changes: { wecomRemovedAt: { from: null, to: at.toISOString() }, source: 'wecom_callback' },
    });
    return true;
  }

  // The client added a butler on WeCom again: no longer at risk for that reason.
  async clearWecomRemoved(em: EntityManager, customerId: string): Promise<boolean> {
    const result = await em
      .getRepository(CustomerEntity)
      .update({ id: customerId, wecomRemovedAt: Not(IsNull()) }, { wecomRemovedAt: null });
    if (!result.affected) return false;
    await this.audit.record(em, {
      actorId: null,
      action: 'update',
      entityType: 'customer',
      entityId: customerId,
      changes: { wecomRemovedAt: { to: null }, source: 'wecom_callback' },
    });
    return true;
  }

  async list(actor: AuthUser, query: ListCustomersQueryDto): Promise<Page<CustomerDto>> {
    const limit = pageSize(query.limit);
    const sort = query.sort ?? 'name';
    const settings = query.atRisk !== undefined || query.silent !== undefined ? await this.settings.get() : undefined;
    const rows = await this.repository.page(
      actor,
      query,
      settings?.churn,
      settings?.touch,
      this.clock.now(),
      limit + 1,
    );
    const { rows: page, nextCursor } = pageOf(rows, limit, (last) =>
      sort === 'name' ? [last.name, last.id] : [last.lastPurchaseAt?.toISOString() ?? null, last.id],
    );
    return { items: page.map(mapCustomer), nextCursor };
  }

  // Who a new or moved client goes to: a butler always to themselves; a manager to a butler of
  // their team; an admin to any active butler.
  private async resolveButler(actor: AuthUser, butlerId: string | undefined): Promise<string> {
    if (actor.role === 'butler') {
      if (butlerId && butlerId !== actor.id)
        throw new AppError('forbidden', 'A butler can only create clients for themselves', {
          code: 'CUSTOMER_BUTLER_FORBIDDEN',
        });
      return actor.id;
    }
    if (!butlerId) throw AppError.invalid({ field: 'butlerId', code: 'required', message: 'butlerId is required' });
    return (await assertAssignableButler(this.dataSource.manager, actor, butlerId)).id;
  }

  // The client on the books bound to this WeCom external contact, with its butler.
  async byExternalUserId(externalUserId: string): Promise<{ id: string; butlerId: string } | null> {
    const client = await this.dataSource
      .getRepository(CustomerEntity)
      .findOne({ where: { externalUserId }, select: { id: true, butlerId: true } });
    return client ?? null;
  }

  // Binds (or with null unbinds) a client to a WeCom external contact, with no actor (the contact
  // sync, WeCom's callbacks), audited with `source`. An id bound to another client is taken from
  // it only with `steal` (WeCom said so); otherwise the bind is refused (false). True when it changed.
  async bindExternalUser(
    customerId: string,
    externalUserId: string | null,
    source: string,
    // `actorId`: the user who bound it (the chat toolbar's 关联客户), when one did.
    options: { steal?: boolean; em?: EntityManager; actorId?: string } = {},
  ): Promise<boolean> {
    const actor = options.actorId ?? null;
    const work = async (em: EntityManager): Promise<boolean> => {
      const repo = em.getRepository(CustomerEntity);
      const client = await repo.findOne({ where: { id: customerId }, lock: { mode: 'pessimistic_write' } });
      if (!client || client.externalUserId === externalUserId) return false;
      if (externalUserId) {
        const holder = await repo.findOne({ where: { externalUserId }, select: { id: true } });
        if (holder && holder.id !== customerId) {
          if (!options.steal) return false;
          await repo.update({ id: holder.id }, { externalUserId: null });
          await this.recordAddressChanges(em, holder.id, { wecom: externalUserId }, { wecom: null }, actor, source);
          await this.audit.record(em, {
            actorId: null,
            action: 'update',
            entityType: 'customer',
            entityId: holder.id,
            changes: { externalUserId: { from: externalUserId, to: null }, source },
          });
        }
      }
      const from = client.externalUserId;
      await repo.update({ id: customerId }, { externalUserId });
      await this.recordAddressChanges(em, customerId, { wecom: from }, { wecom: externalUserId }, actor, source);
      await this.audit.record(em, {
        actorId: null,
        action: 'update',
        entityType: 'customer',
        entityId: customerId,
        changes: { externalUserId: { from, to: externalUserId }, source },
      });
      return true;
    };
    return options.em ? work(options.em) : this.dataSource.transaction(work);
  }

  // Each address (email, mobile, WeCom id) set, changed or removed, with who did it and when (the
  // app's Clock): the history rating integrity reads. In the change's transaction.
  private async recordAddressChanges(
    em: EntityManager,
    customerId: string,
    before: Partial<Record<AddressField, string | null>>,
    after: Partial<Record<AddressField, string | null>>,
    changedBy: string | null,
    source: string,
  ): Promise<void> {
    const changedAt = this.clock.now();
    const changed = ADDRESS_FIELDS.filter((f) => f in after && (before[f] ?? null) !== (after[f] ?? null));
    // The source's kind only ('sidebar:<user id>' → 'sidebar'): the user is changed_by.
    const kind = source.split(':')[0].slice(0, 40);
    const rows = changed.map((field) => ({ customerId, field, changedBy, changedAt, source: kind }));
    if (rows.length > 0) await em.insert(CustomerAddressChangeEntity, rows);
  }

  // An external contact bound to another client is refused (400 naming the field). WeCom's ids
  // are opaque and per corp, so saying it is taken reveals nothing about the other client.
  private async checkExternalUserIdFree(
    em: EntityManager,
    externalUserId: string,
    selfId: string | null,
  ): Promise<void> {
    const existing = await em
      .getRepository(CustomerEntity)
      .findOne({ where: { externalUserId }, select: { id: true } });
    if (existing && existing.id !== selfId) throw externalUserIdTaken();
  }

  private async checkMobileFree(
    em: EntityManager,
    actor: AuthUser,
    mobile: string | null,
    selfId: string | null,
  ): Promise<void> {
    if (!mobile) return;
    const existing = await em.getRepository(CustomerEntity).findOne({ where: { mobile }, select: { id: true } });
    if (!existing || existing.id === selfId) return;
    // Name the existing client only to someone who may see it; an answer about another team's
    // client is audited and counted (ExistenceProbes, once the transaction is over).
    if (await this.access.canSee(actor, existing.id, em)) {
      throw new AppError('conflict', 'mobile is already used by another client', {
        existingId: existing.id,
        code: 'CUSTOMER_MOBILE_TAKEN',
      });
    }
    const answer = new AppError('conflict', 'mobile is already used by another client', {
      code: 'CUSTOMER_MOBILE_TAKEN',
    });
    throw new OutsideTeamAnswer('customer.mobile', 'customer', existing.id, answer);
  }
}

type Addresses = Record<AddressField, string | null>;

function addressesOf(c: Partial<Pick<CustomerEntity, 'email' | 'mobile' | 'externalUserId'>>): Addresses {
  return { email: c.email ?? null, mobile: c.mobile ?? null, wecom: c.externalUserId ?? null };
}

// Two requests racing for one mobile: the partial unique index decides.
async function saveUnique<T>(saving: Promise<T>): Promise<T> {
  try {
    return await saving;
  } catch (error) {
    const e = error as { code?: string; constraint?: string; driverError?: { constraint?: string } };
    if (e.code === '23505' && (e.constraint ?? e.driverError?.constraint) === 'UQ_customers_external_user_id')
      throw externalUserIdTaken();
    if (e.code === '23505' && (e.constraint ?? e.driverError?.constraint) === 'UQ_customers_mobile') {
      throw new AppError('conflict', 'mobile is already used by another client', { code: 'CUSTOMER_MOBILE_TAKEN' });
    }
    throw error;
  }
}

function externalUserIdTaken(): AppError {
  return AppError.invalid({
    field: 'externalUserId',
    code: 'externalUserIdTaken',
    message: 'externalUserId is already bound to another client',
  });
}
