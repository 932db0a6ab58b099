import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { SurveysRepository } from './surveys.repository';

export interface RecomputeResult {
  // Butler-days whose stored summary differed from the raw rows (now corrected).
  driftedRows: number;
  rows: number;
  ms: number;
  sample: { butlerId: string; day: string }[];
}

// The summary is kept in step in the write transactions; this proves it, nightly and on demand:
// recompute every butler-day from the raw rows, report any row that differs, and fix it.
@Injectable()
export class StatsRecomputeService {
  private readonly logger = new Logger('StatsRecompute');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: SurveysRepository,
  ) {}

  async recompute(): Promise<RecomputeResult> {
    const started = Date.now();
    const result = await this.dataSource.transaction(async (em) => {
      return this.repository.recomputeStats(em);
    });
    const ms = Date.now() - started;
    const sample = result.drifted.slice(0, 10).map((r) => ({ butlerId: r.butler_id, day: r.day }));
    if (result.drifted.length > 0) {
      this.logger.warn(
        `Report summary drift: ${result.drifted.length} butler-day row(s) differed from the raw rows ` +
          `and were corrected, e.g. ${JSON.stringify(sample)}`,
      );
    } else {
      this.logger.log(`Report summary verified: ${result.rows} butler-day row(s), no drift (${ms} ms)`);
    }
    return { driftedRows: result.drifted.length, rows: result.rows, ms, sample };
  }
}
