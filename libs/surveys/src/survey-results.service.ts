import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { scopeOf } from '@app/access';
import { AuthUser, decodeCursor, Page, pageOf, pageSize, SqlParams } from '@app/common';

import { detractorSql } from './detractor';
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

// Survey answers, newest first, of the clients the caller may see now: a butler their own
// clients', a manager their team's, an admin all (the access rule every client route uses). A
// client moved to another team (or deleted) takes its answers along: name, scores and comment are
// the client's. The reports keep attributing the figures to the butler who made the contact
// (frozen), without names or comments.
@Injectable()
export class SurveyResultsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(actor: AuthUser, query: ListSurveyResultsQueryDto): Promise<Page<SurveyResultDto>> {
    const limit = pageSize(query.limit);
    const p = new SqlParams();
    const where: string[] = [p.fragment(scopeOf(actor).clients('c'))];
    if (query.butlerId) where.push(`r.butler_id = ${p.value(query.butlerId)}`);
    if (query.customerId) where.push(`r.customer_id = ${p.value(query.customerId)}`);
    if (query.detractor !== undefined) where.push(`${query.detractor ? '' : 'NOT '}${detractorSql('r')}`);
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor, ['timestamp', 'uuid']);
      where.push(`(r.responded_at, r.id) < (${p.value(at)}::timestamptz, ${p.value(id)}::uuid)`);
    }
    const sql = `SELECT r.id, r.customer_id, c.name AS customer_name, r.butler_id, u.name AS butler_name, r.csat, r.nps,
              r.reliability, r.responsiveness, r.assurance, r.empathy, r.tangibles, r.comment, r.responded_at, i.source
         FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id
         JOIN customers c ON c.id = r.customer_id JOIN users u ON u.id = r.butler_id
        WHERE ${where.join(' AND ')}
        ORDER BY r.responded_at DESC, r.id DESC LIMIT ${p.value(limit + 1)}`;
    const values = p.values;
    const rows: ResultRow[] = await this.dataSource.query(sql, values);
    const { rows: page, nextCursor } = pageOf(rows, limit, (last) => [last.responded_at.toISOString(), last.id]);
    return {
      items: page.map((r) => ({
        id: r.id,
        customerId: r.customer_id,
        customerName: r.customer_name,
        butlerId: r.butler_id,
        butlerName: r.butler_name,
        csat: r.csat,
        nps: r.nps,
        servqual: {
          reliability: r.reliability,
          responsiveness: r.responsiveness,
          assurance: r.assurance,
          empathy: r.empathy,
          tangibles: r.tangibles,
        },
        comment: r.comment,
        respondedAt: r.responded_at.toISOString(),
        source: r.source,
      })),
      nextCursor,
    };
  }
}
