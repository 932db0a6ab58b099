import { Injectable } from '@nestjs/common';

import { scopeOf, teamScope } from '@app/access';
import { AppError, AuthUser, shanghaiTime } from '@app/common';
import type { RootCause } from '@app/follow-ups';

import { RootCauseItemDto, RootCauseItemsDto, RootCauseReportDto, RootCausesQueryDto } from './dto/root-causes.dto';
import { ReportFilter, RootCauseItemRow, SlaRepository } from './sla.repository';

const percent = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);

// The monthly root-cause Pareto of recovery tasks, its drill-down and the recovered % per manager
// (docs/sla.md). Rows are the actor's clients' (a butler their own, a manager their team's, an admin
// all); `teamId` narrows to one team the actor sees, another is a 404.
@Injectable()
export class RootCausesService {
  constructor(private readonly repository: SlaRepository) {}

  async report(actor: AuthUser, query: RootCausesQueryDto): Promise<RootCauseReportDto> {
    const filter = this.filter(actor, query);
    const [counts, recovery] = await Promise.all([
      this.repository.rootCauseCounts(filter),
      this.repository.recoveryByManager(filter),
    ]);
    const total = counts.reduce((sum, c) => sum + c.count, 0);
    let running = 0;
    return {
      month: query.month,
      total,
      bars: counts.map((c) => {
        running += c.count;
        return {
          code: c.code as RootCause,
          count: c.count,
          percent: percent(c.count, total),
          cumulativePercent: percent(running, total),
        };
      }),
      recovery: recovery.map((r) => ({
        managerId: r.manager_id,
        managerName: r.manager_name,
        tasks: r.tasks,
        resurveyed: r.resurveyed,
        answered: r.answered,
        recovered: r.recovered,
        recoveredPercent: r.answered > 0 ? percent(r.recovered, r.answered) : null,
      })),
    };
  }

  async items(actor: AuthUser, code: RootCause, query: RootCausesQueryDto): Promise<RootCauseItemsDto> {
    const rows = await this.repository.rootCauseItems(this.filter(actor, query), code);
    return { code, month: query.month, items: rows.map(mapItem) };
  }

  private filter(actor: AuthUser, query: RootCausesQueryDto): ReportFilter {
    const scope = scopeOf(actor);
    if (query.teamId !== undefined && !scope.seesTeam(query.teamId)) throw AppError.notFound('Team');
    const [year, month] = query.month.split('-').map(Number);
    const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
    const scopes = [scope.clients('c')];
    if (query.teamId) scopes.push(teamScope(query.teamId).clients('c'));
    return { from: shanghaiTime(`${query.month}-01`, 0), to: shanghaiTime(next, 0), scopes };
  }
}

function mapItem(r: RootCauseItemRow): RootCauseItemDto {
  return {
    followUpId: r.id,
    customerId: r.customer_id,
    customerName: r.customer_name,
    ownerName: r.owner_name,
    completedAt: r.completed_at.toISOString(),
    recoveryOutcome: r.recovery_outcome as RootCauseItemDto['recoveryOutcome'],
    note: r.note,
    answer:
      r.response_id && r.csat !== null && r.responded_at
        ? {
            responseId: r.response_id,
            csat: r.csat,
            nps: r.nps,
            comment: r.comment ?? '',
            respondedAt: r.responded_at.toISOString(),
            butlerName: r.rated_butler_name,
          }
        : null,
    case:
      r.case_id && r.case_summary !== null
        ? {
            id: r.case_id,
            summary: r.case_summary,
            type: r.case_type ?? '',
            priority: r.case_priority ?? '',
            status: r.case_status ?? '',
          }
        : null,
    resurvey: r.resurvey_status
      ? { status: r.resurvey_status, csat: r.resurvey_csat, respondedAt: r.resurvey_at?.toISOString() ?? null }
      : null,
  };
}
