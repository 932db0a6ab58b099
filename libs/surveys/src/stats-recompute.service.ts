import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { STATS_COLUMNS, statsFromRawSql } from './butler-stats';

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

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async recompute(): Promise<RecomputeResult> {
    const started = Date.now();
    const result = await this.dataSource.transaction(async (em) => {
      // Writers wait (readers do not) so no response lands between the count and the fix.
      await em.query(`LOCK TABLE butler_daily_stats IN EXCLUSIVE MODE`);
      // The raw rows are read in (butler, day) order from their covering indexes and grouped as
      // they come (see statsFromRawSql); left to its default costs the planner would rather scan
      // the wide tables and hash every butler-day, several times slower at millions of rows.
      // The joins with the summary hash a few hundred thousand butler-days: enough memory for that.
      await em.query(`SET LOCAL enable_seqscan = off`);
      await em.query(`SET LOCAL work_mem = '256MB'`);
      const differs = STATS_COLUMNS.map((c) => `f.${c} IS DISTINCT FROM s.${c}`).join(' OR ');
      // Compared as it is computed: nothing is written unless a row differs.
      const [{ rows, drifted }]: { rows: number; drifted: { butler_id: string; day: string }[] }[] = await em.query(
        `SELECT count(f.butler_id)::int AS rows,
                COALESCE(json_agg(json_build_object('butler_id', COALESCE(f.butler_id, s.butler_id),
                                                    'day', to_char(COALESCE(f.day, s.day), 'YYYY-MM-DD')))
                           FILTER (WHERE f.butler_id IS NULL OR s.butler_id IS NULL OR ${differs}), '[]') AS drifted
           FROM (${statsFromRawSql()}) f FULL JOIN butler_daily_stats s ON s.butler_id = f.butler_id AND s.day = f.day`,
      );
      if (drifted.length > 0) {
        await em.query(`CREATE TEMP TABLE fresh_stats ON COMMIT DROP AS ${statsFromRawSql()}`);
        await em.query(
          `DELETE FROM butler_daily_stats s
            WHERE NOT EXISTS (SELECT 1 FROM fresh_stats f WHERE f.butler_id = s.butler_id AND f.day = s.day)`,
        );
        await em.query(
          `INSERT INTO butler_daily_stats (butler_id, day, ${STATS_COLUMNS.join(', ')})
           SELECT butler_id, day, ${STATS_COLUMNS.join(', ')} FROM fresh_stats
           ON CONFLICT (butler_id, day) DO UPDATE SET ${STATS_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
        );
      }
      return { drifted, rows };
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
