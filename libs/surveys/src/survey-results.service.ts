import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthUser } from '@app/common';
import { decodeCursor, encodeCursor } from '@app/customers';
import { ListSurveyResultsQueryDto, SurveyResultDto } from './dto/survey-result.dto';

interface ResultRow {
  id: string;
  customer_id: string;
  customer_name: string;
  butler_id: string;
  butler_name: string;
  csat: number;
  nps: number | null;
  reliability: number | null;
  responsiveness: number | null;
  assurance: number | null;
  empathy: number | null;
  tangibles: number | null;
  comment: string;
  responded_at: Date;
  source: 'follow_up' | 'case';
}

// Survey answers, newest first, seen as the reports see them: by the butler they are attributed
// to (frozen at contact time) — a butler their own, a manager their team's, an admin all.
@Injectable()
export class SurveyResultsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(actor: AuthUser, query: ListSurveyResultsQueryDto): Promise<{ items: SurveyResultDto[]; nextCursor: string | null }> {
    const limit = query.limit ?? 20;
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    switch (actor.role) {
      case 'admin':
        break;
      case 'manager':
        where.push(`r.butler_id IN (SELECT id FROM users WHERE manager_id = ${param(actor.id)})`);
        break;
      case 'butler':
        where.push(`r.butler_id = ${param(actor.id)}`);
        break;
    }
    if (query.butlerId) where.push(`r.butler_id = ${param(query.butlerId)}`);
    if (query.customerId) where.push(`r.customer_id = ${param(query.customerId)}`);
    if (query.detractor !== undefined) where.push(`${query.detractor ? '' : 'NOT '}(r.csat <= 2 OR COALESCE(r.nps <= 6, false))`);
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor, ['timestamp', 'uuid']);
      where.push(`(r.responded_at, r.id) < (${param(at)}::timestamptz, ${param(id)}::uuid)`);
    }
    const rows: ResultRow[] = await this.dataSource.query(
      `SELECT r.id, r.customer_id, c.name AS customer_name, r.butler_id, u.name AS butler_name, r.csat, r.nps, r.reliability, r.responsiveness,
              r.assurance, r.empathy, r.tangibles, r.comment, r.responded_at, i.source
         FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id
         JOIN customers c ON c.id = r.customer_id JOIN users u ON u.id = r.butler_id
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY r.responded_at DESC, r.id DESC LIMIT ${param(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        id: r.id,
        customerId: r.customer_id,
        customerName: r.customer_name,
        butlerId: r.butler_id,
        butlerName: r.butler_name,
        csat: r.csat,
        nps: r.nps,
        servqual: { reliability: r.reliability, responsiveness: r.responsiveness, assurance: r.assurance, empathy: r.empathy, tangibles: r.tangibles },
        comment: r.comment,
        respondedAt: r.responded_at.toISOString(),
        source: r.source,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.responded_at.toISOString(), last.id]) : null,
    };
  }
}
