import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThanOrEqual, Repository } from 'typeorm';

import { AuthUser, Clock, decodeCursor, Page, pageOf, pageSize } from '@app/common';
import { CustomersReassigned, IN_TRANSACTION } from '@app/customers';

import type { WecomTransferDto } from './dto/wecom-edge.dto';
import { TransferKind, TransferReason, TransferStatus, WecomTransferEntity } from './entities/wecom-transfer.entity';
import { WecomApiClient } from './wecom-api.client';
import { WecomEdgeRepository } from './wecom-edge.repository';
import { WecomApiError } from './wecom-errors';

const DAY_MS = 86_400_000;
// WeCom's rules for 在职继承: a client is transferred at most twice in 90 days; the takeover
// completes 24 h after the request unless the client refuses.
export const TRANSFER_WINDOW_DAYS = 90;
export const TRANSFERS_PER_WINDOW = 2;
export const TAKEOVER_HOURS = 24;
// At most this many external contacts per transfer_customer call (WeCom's limit).
const BATCH = 100;
// The message WeCom shows the client when the on-job transfer is requested (≤ 200 characters).
const SUCCESS_MSG = '您好，您的专属管家已更换，新的管家将继续为您服务。';

// errcodes of transfer_customer for one contact (WeCom's global error codes): 40128 客户转接过于频繁
// (twice in 90 days at most). 40130 (原跟进人与接手人一样) stays a `wecom_error` with its errcode.
const LIMIT_ERRCODES = new Set([40128]);
const ERRCODE_REASONS: Record<number, TransferReason> = { 84061: 'not_contact', 40129: 'in_progress' };
// transfer_result's status: 1 接替完毕, 2 等待接替, 3 客户拒绝, 4 接替成员客户达到上限, 5 无接替记录.
const RESULT: Record<number, { status: TransferStatus; reason: TransferReason | null } | undefined> = {
  1: { status: 'succeeded', reason: null },
  3: { status: 'failed', reason: 'customer_refused' },
  4: { status: 'failed', reason: 'customer_limit_exceed' },
  5: { status: 'failed', reason: 'no_record' },
};

interface Pending {
  id: string;
  externalUserId: string;
}

// The hand-over of clients' WeCom relationships when they change butler (docs/wecom.md):
// - in the reassignment's transaction, a row per moved client: `queued` when both butlers are bound
//   and the client is on WeCom, else `skipped` with the reason (and `limit_90_days` when WeCom
//   already took two of its transfers in 90 days: WeCom would refuse it);
// - `runQueued` (the worker, after the commit, no transaction held) calls transfer_customer per
//   (from, to) pair — resigned/transfer_customer when the old butler is deactivated — and records
//   WeCom's answer per client: `waiting`, or `failed` with the errcode;
// - `checkWaiting` reads transfer_result for the waiting ones: `succeeded` once taken over,
//   `failed` when the client refused or the new butler is full; the transfer_fail callback too.
@Injectable()
export class WecomTransfersService {
  private readonly logger = new Logger('WecomTransfers');

  constructor(
    @InjectRepository(WecomTransferEntity) private readonly transfers: Repository<WecomTransferEntity>,
    private readonly repository: WecomEdgeRepository,
    private readonly api: WecomApiClient,
    private readonly clock: Clock,
  ) {}

  @OnEvent(CustomersReassigned.event, IN_TRANSACTION)
  async onReassigned(event: CustomersReassigned): Promise<void> {
    const moves = event.moves.filter((m) => m.from !== m.to);
    if (moves.length === 0) return;
    const now = this.clock.now();
    const since = new Date(now.getTime() - TRANSFER_WINDOW_DAYS * DAY_MS);
    const rows = await this.repository.transferCandidates(event.em, moves, since);
    const byId = new Map(rows.map((r) => [r.customer_id, r]));
    const records = moves.map((m) => {
      const r = byId.get(m.customerId);
      const reason: TransferReason | null = !r?.external_user_id
        ? 'no_external_user'
        : !r.handover_user_id
          ? 'not_bound_from'
          : !r.takeover_user_id
            ? 'not_bound_to'
            : r.recent >= TRANSFERS_PER_WINDOW
              ? 'limit_90_days'
              : null;
      return event.em.create(WecomTransferEntity, {
        customerId: m.customerId,
        kind: (r && !r.from_active ? 'resigned' : 'on_job') as TransferKind,
        fromButlerId: m.from,
        toButlerId: m.to,
        handoverUserId: r?.handover_user_id ?? null,
        takeoverUserId: r?.takeover_user_id ?? null,
        externalUserId: r?.external_user_id ?? null,
        status: reason ? 'skipped' : 'queued',
        reason,
        requestedAt: now,
        requestedBy: event.actorId,
      });
    });
    // A client with no WeCom contact and no bound butlers is nothing to report: only what WeCom
    // would have done, and why it could not, is recorded.
    const worth = records.filter((r) => r.status === 'queued' || r.externalUserId);
    if (worth.length > 0) await event.em.insert(WecomTransferEntity, worth);
  }

  // Sends every queued transfer to WeCom. Returns how many were sent.
  async runQueued(): Promise<number> {
    const queued = await this.transfers.find({ where: { status: 'queued' }, order: { createdAt: 'ASC' }, take: 1000 });
    const groups = new Map<string, WecomTransferEntity[]>();
    for (const t of queued) {
      const key = `${t.kind}\u0000${t.handoverUserId}\u0000${t.takeoverUserId}`;
      groups.set(key, [...(groups.get(key) ?? []), t]);
    }
    let sent = 0;
    for (const group of groups.values())
      for (let i = 0; i < group.length; i += BATCH) sent += await this.send(group.slice(i, i + BATCH));
    return sent;
  }

  // Reads transfer_result for every waiting transfer requested at least `minAgeMs` ago.
  async checkWaiting(minAgeMs = 0): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - minAgeMs);
    const waiting = await this.transfers.find({
      where: { status: 'waiting', requestedAt: LessThanOrEqual(cutoff) },
      take: 1000,
    });
    const pairs = new Map<string, WecomTransferEntity[]>();
    for (const t of waiting) {
      const key = `${t.kind}\u0000${t.handoverUserId}\u0000${t.takeoverUserId}`;
      pairs.set(key, [...(pairs.get(key) ?? []), t]);
    }
    let settled = 0;
    for (const group of pairs.values()) settled += await this.check(group);
    return settled;
  }

  // WeCom's transfer_fail callback: the client refused, or the new butler is full.
  async onTransferFail(externalUserId: string, takeoverUserId: string, failReason: string): Promise<void> {
    const reason: TransferReason =
      failReason === 'customer_limit_exceed' ? 'customer_limit_exceed' : 'customer_refused';
    await this.transfers.update(
      { externalUserId, takeoverUserId, status: 'waiting' },
      { status: 'failed', reason, checkedAt: this.clock.now() },
    );
  }

  async list(
    actor: AuthUser,
    query: { status?: TransferStatus; limit?: number; cursor?: string },
  ): Promise<Page<WecomTransferDto>> {
    const take = pageSize(query.limit);
    const after = query.cursor ? decodeCursor(query.cursor, ['timestamp', 'uuid']) : undefined;
    const rows = await this.repository.transfers(
      actor,
      { status: query.status, after: after ? [new Date(after[0] as string), after[1] as string] : undefined },
      take + 1,
    );
    const page = pageOf(rows, take, (r) => [r.created_at.toISOString(), r.id]);
    return {
      items: page.rows.map((r) => ({
        id: r.id,
        customerId: r.customer_id,
        customerName: r.customer_name,
        kind: r.kind,
        fromButlerId: r.from_butler_id,
        fromButlerName: r.from_butler_name,
        toButlerId: r.to_butler_id,
        toButlerName: r.to_butler_name,
        status: r.status,
        reason: r.reason as TransferReason | null,
        errcode: r.errcode,
        requestedAt: r.requested_at.toISOString(),
        takeoverAt: r.takeover_at?.toISOString() ?? null,
      })),
      nextCursor: page.nextCursor,
    };
  }

  private async send(group: WecomTransferEntity[]): Promise<number> {
    const first = group[0];
    const path =
      first.kind === 'resigned'
        ? '/cgi-bin/externalcontact/resigned/transfer_customer'
        : '/cgi-bin/externalcontact/transfer_customer';
    const pending: Pending[] = group.map((t) => ({ id: t.id, externalUserId: t.externalUserId! }));
    let answer: { customer?: { external_userid: string; errcode: number }[] };
    try {
      answer = await this.api.post(
        path,
        {
          handover_userid: first.handoverUserId,
          takeover_userid: first.takeoverUserId,
          external_userid: pending.map((p) => p.externalUserId),
          ...(first.kind === 'on_job' ? { transfer_success_msg: SUCCESS_MSG } : {}),
        },
        'contact',
      );
    } catch (error) {
      if (!(error instanceof WecomApiError)) {
        // Not answered: stays queued, tried again on the next run.
        this.logger.warn(`${path}: ${(error as Error).message}`);
        return 0;
      }
      await this.transfers.update(
        { id: In(pending.map((p) => p.id)), status: 'queued' },
        { status: 'failed', reason: 'wecom_error', errcode: error.errcode, errmsg: error.errmsg.slice(0, 200) },
      );
      return 0;
    }
    const results = new Map((answer.customer ?? []).map((c) => [c.external_userid, c.errcode]));
    for (const p of pending) {
      const errcode = results.get(p.externalUserId) ?? -1;
      if (errcode === 0) {
        await this.transfers.update({ id: p.id, status: 'queued' }, { status: 'waiting', errcode: null });
        continue;
      }
      const reason: TransferReason = LIMIT_ERRCODES.has(errcode)
        ? 'limit_90_days'
        : (ERRCODE_REASONS[errcode] ?? 'wecom_error');
      await this.transfers.update({ id: p.id, status: 'queued' }, { status: 'failed', reason, errcode });
    }
    return pending.length;
  }

  private async check(group: WecomTransferEntity[]): Promise<number> {
    const first = group[0];
    const path =
      first.kind === 'resigned'
        ? '/cgi-bin/externalcontact/resigned/transfer_result'
        : '/cgi-bin/externalcontact/transfer_result';
    const statuses = new Map<string, { status: number; takeover_time?: number }>();
    let cursor = '';
    try {
      do {
        const answer: {
          customer?: { external_userid: string; status: number; takeover_time?: number }[];
          next_cursor?: string;
        } = await this.api.post(
          path,
          { handover_userid: first.handoverUserId, takeover_userid: first.takeoverUserId, cursor },
          'contact',
        );
        for (const c of answer.customer ?? []) statuses.set(c.external_userid, c);
        cursor = answer.next_cursor ?? '';
      } while (cursor);
    } catch (error) {
      this.logger.warn(`${path}: ${(error as Error).message}`);
      return 0;
    }
    const now = this.clock.now();
    let settled = 0;
    for (const t of group) {
      const seen = statuses.get(t.externalUserId ?? '');
      const outcome = seen ? RESULT[seen.status] : undefined;
      if (!outcome) {
        await this.transfers.update({ id: t.id }, { checkedAt: now });
        continue;
      }
      await this.transfers.update(
        { id: t.id, status: 'waiting' },
        {
          status: outcome.status,
          reason: outcome.reason,
          takeoverAt: seen?.takeover_time ? new Date(seen.takeover_time * 1000) : null,
          checkedAt: now,
        },
      );
      settled++;
    }
    return settled;
  }
}
