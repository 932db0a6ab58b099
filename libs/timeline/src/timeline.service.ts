import { Injectable } from '@nestjs/common';

import { AuthUser, decodeCursor, Page, pageOf, pageSize } from '@app/common';
import { CustomerAccessService } from '@app/customers';

import { TimelineRepository } from './timeline.repository';

export interface TimelineEvent {
  type: string;
  id: string;
  at: string;
  data: Record<string, unknown>;
}

@Injectable()
export class TimelineService {
  constructor(
    private readonly repository: TimelineRepository,
    private readonly access: CustomerAccessService,
  ) {}

  // Everything that happened with a client, newest first, keyset-paginated over the union. Times
  // are cut to the millisecond the cursor carries (a purchase's follow-ups share a created_at to
  // the microsecond), so a page never skips the rows tied with the last one it served.
  async list(actor: AuthUser, customerId: string, requested?: number, cursor?: string): Promise<Page<TimelineEvent>> {
    const limit = pageSize(requested);
    await this.access.findVisible(actor, customerId);
    const rows = await this.repository.events(
      customerId,
      limit + 1,
      cursor ? (decodeCursor(cursor, ['timestamp', 'uuid']) as [unknown, unknown]) : undefined,
    );
    const { rows: page, nextCursor } = pageOf(rows, limit, (last) => [last.at.toISOString(), last.id]);
    return {
      items: page.map((r) => ({ type: r.type, id: r.id, at: r.at.toISOString(), data: r.data })),
      nextCursor,
    };
  }
}
