import { Injectable, Logger } from '@nestjs/common';

import { CustomersService } from '@app/customers';
import { SettingsService } from '@app/settings';
import { UsersService } from '@app/users';

import { WecomApiClient } from './wecom-api.client';
import { WecomApiError } from './wecom-errors';
import { SyncClientRow, WecomRepository } from './wecom.repository';

interface FollowInfo {
  userid: string;
  remark?: string;
  description?: string;
  remark_mobiles?: string[];
}
interface BatchAnswer {
  external_contact_list?: { external_contact: { external_userid: string; name: string }; follow_info: FollowInfo }[];
  next_cursor?: string;
}
interface GetAnswer {
  external_contact?: { external_userid: string; name: string };
  follow_user?: FollowInfo[];
}

export interface ContactSeen {
  externalUserId: string;
  name: string;
  remark: string;
  description: string;
  mobiles: string[];
}

export interface SyncReport {
  // false: WeCom is off in the settings and nothing was read.
  enabled: boolean;
  butlers: number;
  contacts: number;
  matched: number;
  alreadyBound: number;
  unmatched: { butlerId: string; externalUserId: string; name: string }[];
  errors: { butlerId: string; errcode: number | null; errmsg: string }[];
}

const digits = (value: string): string => value.replace(/\D/g, '').slice(-11);

// Which of a butler's clients an external contact is: the one whose mobile is among the butler's
// remark mobiles, else the only one whose name the butler's remark (or description) contains.
// null when none or several fit.
export function matchClient(contact: ContactSeen, clients: SyncClientRow[]): SyncClientRow | null {
  const mobiles = new Set(contact.mobiles.map(digits).filter((m) => m.length === 11));
  const byMobile = clients.filter((c) => c.mobile && mobiles.has(c.mobile));
  if (byMobile.length === 1) return byMobile[0];
  if (byMobile.length > 1) return null;
  const notes = `${contact.remark} ${contact.description}`;
  const byName = clients.filter((c) => c.name.length >= 2 && notes.includes(c.name));
  return byName.length === 1 ? byName[0] : null;
}

// The contact sync (nightly, and 立即同步): for each butler bound to WeCom, their external contacts
// (externalcontact/batch/get_by_user, 100 butlers a call; list + get where the batch is refused),
// matched to their clients by mobile or remark; a match binds the client's external_user_id.
@Injectable()
export class WecomSyncService {
  private readonly logger = new Logger('WecomSync');

  constructor(
    private readonly api: WecomApiClient,
    private readonly repository: WecomRepository,
    private readonly users: UsersService,
    private readonly customers: CustomersService,
    private readonly settings: SettingsService,
  ) {}

  async sync(): Promise<SyncReport> {
    const report: SyncReport = {
      enabled: true,
      butlers: 0,
      contacts: 0,
      matched: 0,
      alreadyBound: 0,
      unmatched: [],
      errors: [],
    };
    if (!(await this.settings.wecomConnection()).enabled) return { ...report, enabled: false };
    const butlers = await this.users.wecomButlers();
    report.butlers = butlers.length;
    for (let i = 0; i < butlers.length; i += 100) {
      const chunk = butlers.slice(i, i + 100);
      const seen = await this.contactsOf(
        chunk.map((b) => b.wecomUserId!),
        report,
        chunk,
      );
      for (const butler of chunk) {
        const contacts = seen.get(butler.wecomUserId!) ?? [];
        if (contacts.length === 0) continue;
        const clients = await this.repository.butlerClients(butler.id);
        for (const contact of contacts) {
          report.contacts++;
          if (clients.some((c) => c.external_user_id === contact.externalUserId)) {
            report.alreadyBound++;
            continue;
          }
          const client = matchClient(
            contact,
            clients.filter((c) => !c.external_user_id),
          );
          if (client && (await this.customers.bindExternalUser(client.id, contact.externalUserId, 'wecom_sync'))) {
            client.external_user_id = contact.externalUserId;
            report.matched++;
          } else if (report.unmatched.length < 500) {
            report.unmatched.push({ butlerId: butler.id, externalUserId: contact.externalUserId, name: contact.name });
          }
        }
      }
    }
    this.logger.log(
      `WeCom contact sync: ${report.butlers} butler(s), ${report.contacts} contact(s), ${report.matched} matched`,
    );
    return report;
  }

  // The external contacts of up to 100 butlers, by their WeCom userid.
  private async contactsOf(
    userids: string[],
    report: SyncReport,
    butlers: { id: string; wecomUserId: string | null }[],
  ): Promise<Map<string, ContactSeen[]>> {
    const seen = new Map<string, ContactSeen[]>();
    const add = (userid: string, contact: ContactSeen) => seen.set(userid, [...(seen.get(userid) ?? []), contact]);
    try {
      let cursor = '';
      do {
        const page = await this.api.post<BatchAnswer>(
          '/cgi-bin/externalcontact/batch/get_by_user',
          { userid_list: userids, cursor, limit: 100 },
          'contact',
        );
        for (const row of page.external_contact_list ?? [])
          add(row.follow_info.userid, toSeen(row.external_contact, row.follow_info));
        cursor = page.next_cursor ?? '';
      } while (cursor);
      return seen;
    } catch (error) {
      if (!(error instanceof WecomApiError) || error.duringToken) throw error;
      this.logger.warn(`batch/get_by_user refused (${error.errcode}); reading contacts one by one`);
    }
    // One by one: list per butler, get per contact (a butler WeCom does not know is reported).
    for (const butler of butlers) {
      try {
        const list = await this.api.get<{ external_userid?: string[] }>(
          '/cgi-bin/externalcontact/list',
          { userid: butler.wecomUserId! },
          'contact',
        );
        for (const id of list.external_userid ?? []) {
          const one = await this.api.get<GetAnswer>('/cgi-bin/externalcontact/get', { external_userid: id }, 'contact');
          const follow = one.follow_user?.find((f) => f.userid === butler.wecomUserId);
          if (one.external_contact && follow) add(butler.wecomUserId!, toSeen(one.external_contact, follow));
        }
      } catch (error) {
        if (!(error instanceof WecomApiError) || error.duringToken) throw error;
        report.errors.push({ butlerId: butler.id, errcode: error.errcode, errmsg: error.errmsg });
      }
    }
    return seen;
  }
}

function toSeen(contact: { external_userid: string; name: string }, follow: FollowInfo): ContactSeen {
  return {
    externalUserId: contact.external_userid,
    name: contact.name,
    remark: follow.remark ?? '',
    description: follow.description ?? '',
    mobiles: follow.remark_mobiles ?? [],
  };
}
