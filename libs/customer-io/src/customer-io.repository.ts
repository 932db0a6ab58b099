import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { scopeOf } from '@app/access';
import { AuthUser } from '@app/common';
import {
  consentColumn,
  CONTACT_PURPOSES,
  ContactPurpose,
  CustomerAccessService,
  CustomerBatchRow,
  CustomerEntity,
} from '@app/customers';
import { CHANNELS, type Channel } from '@app/mail';
import { UserEntity } from '@app/users';

import type { ExportSource, ImportRecord } from './customer-row';
import type { ExportCustomersQueryDto } from './dto/customer-io.dto';

export interface ButlerRow {
  id: string;
  email: string;
  managerId: string;
}

const EXPORT_COLUMNS = [
  'name',
  'mobile',
  'email',
  'gender',
  'birthdayCalendar',
  'birthdayYear',
  'birthdayMonth',
  'birthdayDay',
  'birthdayLeapMonth',
  'city',
  'tier',
  'tags',
  'consentGreetings',
  'consentSurveys',
  'notes',
  'consentGreetingsEmail',
  'consentGreetingsSms',
  'consentGreetingsWecom',
  'consentSurveysEmail',
  'consentSurveysSms',
  'consentSurveysWecom',
  'preferredChannel',
] as const satisfies readonly (keyof CustomerEntity)[];

export type ExportPageRow = Omit<ExportSource, 'butlerEmail'> & { id: string };

// A row's answer for one purpose on one channel: its per-channel cell, else what the old
// any-channel cell (问候同意 / 调查同意) always meant: yes is a yes on email, no withdraws every
// channel. Null: the file does not say (an update keeps the stored answer).
function channelAnswer(record: ImportRecord, purpose: ContactPurpose, channel: Channel): boolean | null {
  const given = record.consentChannels[consentColumn(purpose, channel)];
  if (given !== undefined) return given;
  const any = purpose === 'greetings' ? record.consentGreetings : record.consentSurveys;
  if (any === null) return null;
  return any ? (channel === 'email' ? true : null) : false;
}

export function sqlRow(record: ImportRecord, id: string | null, butlerId: string | null): CustomerBatchRow {
  const b = record.birthday;
  const consent = Object.fromEntries(
    CONTACT_PURPOSES.flatMap((p) => CHANNELS.map((ch) => [consentColumn(p, ch), channelAnswer(record, p, ch)])),
  ) as Pick<CustomerBatchRow, ReturnType<typeof consentColumn>>;
  return {
    id,
    mobile: record.mobile,
    name: record.name,
    email: record.email,
    gender: record.gender,
    city: record.city,
    tier: record.tier,
    tags: record.tags,
    notes: record.notes,
    birthday_given: b !== null,
    birthday_calendar: b?.birthdayCalendar ?? null,
    birthday_year: b?.birthdayYear ?? null,
    birthday_month: b?.birthdayMonth ?? null,
    birthday_day: b?.birthdayDay ?? null,
    birthday_leap_month: b?.birthdayLeapMonth ?? null,
    ...consent,
    // The email greeting answer came from the old column's yes alone (see CustomerBatchRepository).
    consent_greetings_legacy:
      record.consentGreetings === true && record.consentChannels.consent_greetings_email === undefined,
    preferred_channel: record.preferredChannel,
    butler_id: butlerId,
  };
}

// The reads behind CSV import and export: the butlers a file names, and the export's pages. The
// rows an import writes go through the customers library's CustomerBatchRepository.
@Injectable()
export class CustomerIoRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: CustomerAccessService,
  ) {}

  findButlers(em: EntityManager, ids: string[], emails: string[]): Promise<ButlerRow[]> {
    return em.query(
      `SELECT id, email, manager_id AS "managerId" FROM users
        WHERE role = 'butler' AND active AND (id = ANY($1::uuid[]) OR email = ANY($2::varchar[]))`,
      [ids, emails],
    );
  }

  // Whose clients an export walks through, in order: the caller's team for a manager, everyone
  // for an admin (a user with no clients costs one index probe).
  exportButlers(actor: AuthUser, butlerId: string | undefined): Promise<{ id: string; email: string }[]> {
    const qb = this.dataSource
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .select(['u.id', 'u.email'])
      .orderBy('u.email', 'ASC');
    const visible = scopeOf(actor).users('u').named();
    qb.andWhere(visible.sql, visible.params);
    if (butlerId) qb.andWhere('u.id = :butlerId', { butlerId });
    return qb.getMany();
  }

  // One keyset page of one butler's clients by (name, id), the list's order and index: each page
  // is a short range scan of IDX_customers_butler_name, whatever the table's statistics say, and
  // a slow download holds neither a connection nor a snapshot between pages. The access scope is
  // applied too, so the one ownership rule stays the authority.
  exportPage(
    actor: AuthUser,
    butlerId: string,
    query: ExportCustomersQueryDto,
    after: { name: string; id: string } | null,
    limit: number,
  ): Promise<ExportPageRow[]> {
    const qb = this.dataSource.getRepository(CustomerEntity).createQueryBuilder('c').select('c.id', 'id');
    for (const column of EXPORT_COLUMNS) qb.addSelect(`c.${column}`, column);
    this.access.applyScope(qb, actor, 'c');
    qb.andWhere('c.butler_id = :butlerId', { butlerId });
    if (query.tier) qb.andWhere('c.tier = :tier', { tier: query.tier });
    if (query.tag) qb.andWhere(':tag = ANY(c.tags)', { tag: query.tag });
    if (after) {
      qb.andWhere('(c.name, c.id) > (CAST(:afterName AS varchar) COLLATE "zh-x-icu", CAST(:afterId AS uuid))', {
        afterName: after.name,
        afterId: after.id,
      });
    }
    return qb.orderBy('c.name', 'ASC').addOrderBy('c.id', 'ASC').limit(limit).getRawMany();
  }
}
