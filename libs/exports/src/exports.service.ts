import { Readable } from 'node:stream';

import { Injectable, Logger } from '@nestjs/common';

import { scopeOf } from '@app/access';
import { addDays, AppError, AuthUser, Clock, shanghaiDay, shanghaiTime } from '@app/common';
import { ReportsService } from '@app/reports';
import { SERVQUAL_DIMENSIONS } from '@app/surveys';

import { ExportQueryDto } from './dto/export-query.dto';
import { CASE_HEADER, FOLLOW_UP_HEADER, RESPONSE_HEADER, SCORECARD_HEADER } from './export-columns';
import { Cell, cellLines, CONTENT_TYPES, ExportFormat, exportStream, SheetRows } from './export-writers';
import { ExportPeriod, ExportsRepository } from './exports.repository';

// Exports running at once in this process: each holds a pool connection for as long as its
// download lasts, so a few slow downloads must not starve the API of connections.
export const MAX_CONCURRENT_EXPORTS = 3;

export const EXPORT_KINDS = ['survey-responses', 'cases', 'follow-ups', 'scorecard'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

const SHEET_NAME: Record<ExportKind, string> = {
  'survey-responses': '满意度回复',
  cases: '售后工单',
  'follow-ups': '回访',
  scorecard: '管家评分卡',
};

export interface ExportFile {
  filename: string;
  contentType: string;
  stream: Readable;
}

// Streamed exports (CSV or .xlsx) of what the caller may see: rows go from a PostgreSQL cursor to
// the download batch by batch, with the download's backpressure (docs/exports-webhooks.md).
@Injectable()
export class ExportsService {
  private readonly logger = new Logger('Exports');
  private running = 0;

  constructor(
    private readonly repository: ExportsRepository,
    private readonly reports: ReportsService,
    private readonly clock: Clock,
  ) {}

  async export(actor: AuthUser, kind: ExportKind, query: ExportQueryDto): Promise<ExportFile> {
    const format: ExportFormat = query.format ?? 'csv';
    const range = this.period(query);
    const access = scopeOf(actor);
    let rows: SheetRows;
    switch (kind) {
      case 'survey-responses':
        rows = { header: RESPONSE_HEADER, lines: this.repository.responses(access, range, format) };
        break;
      case 'cases':
        rows = { header: CASE_HEADER, lines: this.repository.cases(access, range, format) };
        break;
      case 'follow-ups':
        rows = { header: FOLLOW_UP_HEADER, lines: this.repository.followUps(access, range, this.clock.now(), format) };
        break;
      case 'scorecard':
        rows = { header: SCORECARD_HEADER, lines: cellLines(format, await this.scorecard(actor, query)) };
        break;
    }
    if (this.running >= MAX_CONCURRENT_EXPORTS)
      throw new AppError('too_many', `At most ${MAX_CONCURRENT_EXPORTS} exports run at once; try again shortly`, {
        code: 'EXPORT_BUSY',
        max: MAX_CONCURRENT_EXPORTS,
      });
    this.running += 1;
    const stream = exportStream(format, SHEET_NAME[kind], rows);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.running -= 1;
    };
    stream.once('close', release);
    stream.once('end', release);
    stream.once('error', (error: Error) => {
      release();
      // Headers are out by then: the download is cut off and the client sees it fail.
      if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE')
        this.logger.error(`${kind} export failed: ${error.message}`);
    });
    const day = shanghaiDay(this.clock.now()).replace(/-/g, '');
    return { filename: `${kind}-${day}.${format}`, contentType: CONTENT_TYPES[format], stream };
  }

  // Shanghai days, both included, as [from 00:00, the day after `to` 00:00); open ends stay open.
  private period(query: ExportQueryDto): ExportPeriod {
    if (query.from && query.to && query.from > query.to)
      throw AppError.invalid({ field: 'from', code: 'notAfterTo', message: 'from must not be after to' });
    return {
      from: query.from ? shanghaiTime(query.from, 0) : null,
      to: query.to ? shanghaiTime(addDays(query.to, 1), 0) : null,
    };
  }

  // The scorecard is the report itself (GET /reports/butlers, same scope and period rules), one
  // row per butler: a few hundred rows at most, read at once.
  private async scorecard(actor: AuthUser, query: ExportQueryDto): Promise<AsyncIterable<Cell[][]>> {
    const report = await this.reports.butlers(actor, { from: query.from, to: query.to });
    const rows: Cell[][] = report.items.map((b) => [
      b.butlerId,
      b.butlerName,
      b.invitations,
      b.responses,
      b.responseRate === null ? null : Math.round(b.responseRate * 1000) / 10,
      b.csatPercent,
      b.csatMean,
      b.nps,
      ...SERVQUAL_DIMENSIONS.map((d) => b.servqual[d]),
      b.followUpsOnTimePercent,
      b.overdueFollowUps,
      b.medianFirstResponseHours,
      b.medianResolutionHours,
      b.rankScore,
    ]);
    return (async function* () {
      yield rows;
    })();
  }
}
