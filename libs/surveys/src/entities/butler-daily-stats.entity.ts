import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

import { CHANNELS } from '@app/mail';
import { UserEntity } from '@app/users';

import { SERVQUAL_DIMENSIONS } from './survey-response.entity';

// Per dimension: n answers, Σx, Σx², and over the same answers Σcsat, Σcsat², Σ(x·csat) — enough
// for each dimension's mean and its correlation with CSAT (the drivers report) without raw rows.
export const DIMENSION_SUMS = ['Count', 'Sum', 'SqSum', 'CsatSum', 'CsatSqSum', 'CrossSum'] as const;

// The reports' summary: one row per butler per Asia/Shanghai day, incremented in the same
// transaction as each invitation sent and each response recorded, and recomputable from the raw
// rows (see StatsRecomputeService).
@Entity('butler_daily_stats')
export class ButlerDailyStatsEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_butler_daily_stats' })
  butlerId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'butler_id', foreignKeyConstraintName: 'FK_butler_daily_stats_butler' })
  butler?: UserEntity;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'PK_butler_daily_stats' })
  day!: string;

  @Column({ type: 'int', default: 0 })
  invitations!: number;

  @Column({ type: 'int', default: 0 })
  responses!: number;

  @Column({ type: 'int', default: 0 })
  csatSum!: number;

  @Column({ type: 'int', default: 0 })
  csatSqSum!: number;

  // Answers of 4 or 5 (CSAT %).
  @Column({ type: 'int', default: 0 })
  csatSatisfied!: number;

  // Answers of 1 or 2 (detractors that open a recovery task).
  @Column({ type: 'int', default: 0 })
  csatLow!: number;

  @Column({ type: 'int', default: 0 })
  npsCount!: number;

  @Column({ type: 'int', default: 0 })
  npsPromoters!: number;

  @Column({ type: 'int', default: 0 })
  npsDetractors!: number;

  // Answers held out of every figure above by rating integrity (flagged, not cleared).
  @Column({ type: 'int', default: 0 })
  flagged!: number;
}

// The 30 dimension columns (reliability_count … tangibles_cross_sum), declared in a loop; the
// stats are read and written with SQL built from the same lists (butler-stats.ts).
for (const dimension of SERVQUAL_DIMENSIONS) {
  for (const sum of DIMENSION_SUMS) {
    Column({ type: 'int', default: 0 })(ButlerDailyStatsEntity.prototype, `${dimension}${sum}`);
  }
}

// Invitations and responses per channel (invitations_email … responses_wecom): the reports by channel.
for (const kind of ['invitations', 'responses']) {
  for (const channel of CHANNELS) {
    Column({ type: 'int', default: 0 })(
      ButlerDailyStatsEntity.prototype,
      `${kind}${channel[0].toUpperCase()}${channel.slice(1)}`,
    );
  }
}
