import { Injectable } from '@nestjs/common';

import { scopeOf } from '@app/access';
import { AROMA_NAMES } from '@app/catalog';
import { addDays, AppError, AuthUser, Clock, decodeCursor, Page, pageOf, pageSize, shanghaiDay } from '@app/common';
import { churnRisk } from '@app/insights';
import { RFM_SEGMENT_NAMES } from '@app/insights/rfm';
import { SettingsService } from '@app/settings';
import { ALL_TEAMS_SCOPE, SERVQUAL_LABELS } from '@app/surveys';

import {
  ButlerReport,
  ButlerReportItem,
  ChurnReportItem,
  ChurnReportQueryDto,
  DriversReport,
  OperationsFigures,
  PeriodQueryDto,
  SatisfactionGroupItem,
  SatisfactionQueryDto,
  SatisfactionReport,
  TeamRollupItem,
  TrendQueryDto,
  TrendReport,
} from './dto/reports.dto';
import { ButlerRow, Interval, OperationsRow, ReportsRepository, SumsRow } from './reports.repository';
import {
  GROUP_LABELS,
  MAX_SATISFACTION_DAYS,
  MIN_GROUP_RESPONSES,
  NOT_RECORDED,
  periodParts,
  satisfactionFigures,
} from './satisfaction';
import { driverFigures, surveyFigures } from './scorecard';

const MAX_PERIOD_DAYS = 3 * 366;
const round1 = (n: number | null): number | null => (n === null ? null : Math.round(Number(n) * 10) / 10);

function operationsFigures(row: OperationsRow | undefined): OperationsFigures {
  return {
    followUpsOnTimePercent:
      row && row.follow_ups_considered > 0 ? round1((row.follow_ups_on_time / row.follow_ups_considered) * 100) : null,
    medianFirstResponseHours: round1(row?.median_first_response_hours ?? null),
    medianResolutionHours: round1(row?.median_resolution_hours ?? null),
  };
}

// One collator for every sort by a Chinese name (localeCompare with a locale builds one per call).
const ZH = new Intl.Collator('zh-CN');

const byKey = <T extends { key: string }>(rows: T[]): Map<string, T> => new Map(rows.map((r) => [r.key, r]));

// Satisfaction and service reports. A butler sees their own figures, a manager their team's, an
// admin everyone's; another butler's figures are a 404.
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
  ) {}

  async butlers(actor: AuthUser, query: PeriodQueryDto): Promise<ButlerReport> {
    const { from, to } = this.period(query, 29);
    const butlers = await this.butlersInScope(actor, null);
    const ids = butlers.map((b) => b.id);
    const [sums, ops] = await Promise.all([
      this.reports.sumsByButler(ids, from, to),
      this.reports.operations({ butlers: ids }, from, to, this.clock.now()),
    ]);
    const sumsBy = byKey(sums);
    const opsBy = byKey(ops);
    const items: ButlerReportItem[] = butlers.map((b) => ({
      butlerId: b.id,
      butlerName: b.name,
      ...surveyFigures(sumsBy.get(b.id) ?? {}),
      ...operationsFigures(opsBy.get(b.id)),
      overdueFollowUps: opsBy.get(b.id)?.overdue ?? 0,
    }));
    items.sort(
      (a, b) =>
        (b.rankScore ?? -1) - (a.rankScore ?? -1) ||
        b.responses - a.responses ||
        a.butlerName.localeCompare(b.butlerName, 'zh-CN'),
    );
    return {
      from,
      to,
      teams: teamRollups(butlers, sumsBy, opsBy),
      rankMethod: 'wilson',
      rankDescription: '满意（4–5 分）比例的 Wilson 95% 置信下限：回复越多越可信，少量满分不会排在大量高分之前',
      items,
    };
  }

  async trend(actor: AuthUser, butlerId: string, query: TrendQueryDto): Promise<TrendReport> {
    const interval: Interval = query.interval ?? 'week';
    const [butler] = await this.butlersInScope(actor, butlerId);
    if (!butler) throw AppError.notFound('Butler');
    const { from, to } = this.period(query, interval === 'week' ? 7 * 12 - 1 : 365);
    const [sums, ops] = await Promise.all([
      this.reports.sumsByPeriod(butler.id, interval, from, to),
      this.reports.operations({ butlerId: butler.id, interval }, from, to, this.clock.now()),
    ]);
    const sumsBy = byKey(sums);
    const opsBy = byKey(ops);
    return {
      butlerId: butler.id,
      butlerName: butler.name,
      interval,
      from,
      to,
      items: periodStarts(interval, from, to).map((period) => ({
        period,
        ...surveyFigures(sumsBy.get(period) ?? {}),
        ...operationsFigures(opsBy.get(period)),
      })),
    };
  }

  async drivers(actor: AuthUser, query: PeriodQueryDto): Promise<DriversReport> {
    const { from, to } = this.period(query, 89);
    const ids = (await this.butlersInScope(actor, null)).map((b) => b.id);
    const [sums] = await this.reports.sumsOverall(ids, from, to);
    const items = driverFigures(sums ?? {}).map((d) => ({
      ...d,
      name: SERVQUAL_LABELS[d.dimension].name,
      description: SERVQUAL_LABELS[d.dimension].description,
    }));
    return {
      from,
      to,
      method: 'pearson',
      responses: sums?.responses ?? 0,
      topDriver: items[0]?.correlation != null ? items[0].dimension : null,
      items,
    };
  }

  // Satisfaction by client group over the summary (docs/segments.md): an admin reads every team's
  // rows, a manager their team's. Every group that can exist is listed (0 answers included); a
  // group with fewer than MIN_GROUP_RESPONSES answers shows its counts and no figures.
  async satisfaction(actor: AuthUser, query: SatisfactionQueryDto): Promise<SatisfactionReport> {
    const kind = query.kind ?? 'transactional';
    const { from, to } = this.period(query, 29);
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 >= MAX_SATISFACTION_DAYS)
      throw AppError.invalid({
        field: 'to',
        code: 'withinDays',
        params: { max: MAX_SATISFACTION_DAYS - 1 },
        message: `to must be within ${MAX_SATISFACTION_DAYS - 1} days of from`,
      });
    const scope = scopeOf(actor);
    // The staff groups' list is read beside the sums, not after them.
    const [sums, listed] = await Promise.all([
      this.reports.satisfactionSums(
        kind,
        query.groupBy,
        actor.role === 'admin' ? ALL_TEAMS_SCOPE : actor.id,
        periodParts(from, to, shanghaiDay(this.clock.now())),
      ),
      query.groupBy === 'team'
        ? this.reports.teams(scope)
        : query.groupBy === 'butler'
          ? this.butlersInScope(actor, null).then((butlers) => butlers.map((b) => ({ ...b, region: null })))
          : null,
    ]);
    const sumsBy = byKey(sums);
    const groups = new Map<string, { label: string; region: string | null }>();
    if (listed) {
      const known = new Set(listed.map((u) => u.id));
      const missing = sums.map((r) => r.key).filter((k) => !known.has(k));
      const named = missing.length > 0 ? await this.reports.userNames(missing) : [];
      for (const u of [...listed, ...named])
        groups.set(u.id, { label: u.name, region: query.groupBy === 'team' ? u.region : null });
    } else {
      const names: Record<string, string> =
        query.groupBy === 'aroma'
          ? AROMA_NAMES
          : query.groupBy === 'segment'
            ? RFM_SEGMENT_NAMES
            : (GROUP_LABELS[query.groupBy] ?? {});
      for (const [key, label] of Object.entries(names)) groups.set(key, { label, region: null });
      for (const { key } of sums)
        if (!groups.has(key)) groups.set(key, { label: key === '' ? NOT_RECORDED : key, region: null });
    }
    const items: SatisfactionGroupItem[] = [...groups].map(([key, g]) => ({
      key,
      ...g,
      ...satisfactionFigures(sumsBy.get(key) ?? {}),
    }));
    // Most answers first, then by name.
    items.sort((a, b) => b.responses - a.responses || ZH.compare(a.label, b.label));
    const total: Record<string, number> = {};
    for (const row of sums)
      for (const [column, value] of Object.entries(row))
        if (column !== 'key') total[column] = (total[column] ?? 0) + Number(value);
    return {
      groupBy: query.groupBy,
      kind,
      from,
      to,
      minResponses: MIN_GROUP_RESPONSES,
      total: satisfactionFigures(total),
      items,
    };
  }

  // At-risk clients in scope with the reasons, the longest-lapsed first.
  async churn(actor: AuthUser, query: ChurnReportQueryDto): Promise<Page<ChurnReportItem>> {
    const limit = pageSize(query.limit);
    const churn = (await this.settings.get()).churn;
    const now = this.clock.now();
    const rows = await this.reports.churnPage(
      scopeOf(actor),
      churn,
      now,
      {
        butlerId: query.butlerId,
        after: query.cursor ? (decodeCursor(query.cursor, ['timestamp', 'uuid']) as [unknown, unknown]) : undefined,
      },
      limit + 1,
    );
    const { rows: page, nextCursor } = pageOf(rows, limit, (last) => [
      last.last_purchase_at ? last.last_purchase_at.toISOString() : '-infinity',
      last.id,
    ]);
    return {
      items: page.map((r) => ({
        customerId: r.id,
        customerName: r.name,
        tier: r.tier,
        butlerId: r.butler_id,
        butlerName: r.butler_name,
        totalSpentFen: Number(r.total_spent_fen),
        lastPurchaseAt: r.last_purchase_at?.toISOString() ?? null,
        lastDetractorAt: r.last_detractor_at?.toISOString() ?? null,
        reasons: churnRisk(
          {
            purchaseCount: r.purchase_count,
            firstPurchaseAt: r.first_purchase_at,
            lastPurchaseAt: r.last_purchase_at,
            wecomRemovedAt: r.wecom_removed_at,
            recencyDays: r.recency_days,
            now,
            recentDetractor: r.detractor_at
              ? { respondedAt: r.detractor_at, nps: r.detractor_nps, csat: r.detractor_csat }
              : null,
          },
          churn,
        ).reasons,
      })),
      nextCursor,
    };
  }

  private butlersInScope(actor: AuthUser, butlerId: string | null): Promise<ButlerRow[]> {
    return this.reports.butlers(scopeOf(actor), butlerId);
  }

  private period(query: PeriodQueryDto, defaultDays: number): { from: string; to: string } {
    return reportPeriod(query, this.clock.now(), defaultDays);
  }
}

// The scorecard's team rows: each team's butlers' summary sums and follow-up counts added up (the
// median case hours cannot be added: null), best first as the butlers are ranked.
function teamRollups(
  butlers: ButlerRow[],
  sumsBy: Map<string, SumsRow>,
  opsBy: Map<string, OperationsRow>,
): TeamRollupItem[] {
  const teams = new Map<
    string,
    { name: string; region: string | null; butlers: number; sums: SumsRow; ops: OperationsRow }
  >();
  for (const b of butlers) {
    if (!b.manager_id) continue;
    const team = teams.get(b.manager_id) ?? {
      name: b.manager_name ?? '',
      region: b.region,
      butlers: 0,
      sums: { key: b.manager_id } as SumsRow,
      ops: { key: b.manager_id, follow_ups_considered: 0, follow_ups_on_time: 0, overdue: 0 } as OperationsRow,
    };
    team.butlers++;
    for (const [column, value] of Object.entries(sumsBy.get(b.id) ?? {}))
      if (column !== 'key') team.sums[column] = (team.sums[column] ?? 0) + Number(value);
    const ops = opsBy.get(b.id);
    if (ops) {
      team.ops.follow_ups_considered += Number(ops.follow_ups_considered);
      team.ops.follow_ups_on_time += Number(ops.follow_ups_on_time);
      team.ops.overdue += Number(ops.overdue);
    }
    teams.set(b.manager_id, team);
  }
  return [...teams]
    .map(([teamId, t]) => ({
      teamId,
      teamName: t.name,
      region: t.region,
      butlers: t.butlers,
      ...surveyFigures(t.sums),
      ...operationsFigures({ ...t.ops, median_first_response_hours: null, median_resolution_hours: null }),
      overdueFollowUps: t.ops.overdue,
    }))
    .sort((a, b) => (b.rankScore ?? -1) - (a.rankScore ?? -1) || ZH.compare(a.teamName, b.teamName));
}

// A report's Shanghai days, both ends included: `defaultDays` before `to` (today) unless given.
export function reportPeriod(query: PeriodQueryDto, now: Date, defaultDays: number): { from: string; to: string } {
  const to = query.to ?? shanghaiDay(now);
  const from = query.from ?? addDays(to, -defaultDays);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (days < 0) throw AppError.invalid({ field: 'from', code: 'notAfterTo', message: 'from must not be after to' });
  if (days > MAX_PERIOD_DAYS)
    throw AppError.invalid({
      field: 'to',
      code: 'withinDays',
      params: { max: MAX_PERIOD_DAYS },
      message: `to must be within ${MAX_PERIOD_DAYS} days of from`,
    });
  return { from, to };
}

// Every week (Monday) or month start from the one containing `from` to the one containing `to`.
export function periodStarts(interval: Interval, from: string, to: string): string[] {
  const starts: string[] = [];
  const first = new Date(`${from}T00:00:00Z`);
  if (interval === 'week') first.setUTCDate(first.getUTCDate() - ((first.getUTCDay() + 6) % 7));
  else first.setUTCDate(1);
  // Compared as instants: past 9999 an ISO string turns "+010000-…", which sorts before "9999-…".
  const end = Date.parse(`${to}T00:00:00Z`);
  for (
    const d = first;
    d.getTime() <= end;
    interval === 'week' ? d.setUTCDate(d.getUTCDate() + 7) : d.setUTCMonth(d.getUTCMonth() + 1)
  ) {
    starts.push(d.toISOString().slice(0, 10));
  }
  return starts;
}
