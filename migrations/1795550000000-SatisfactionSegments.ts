import { MigrationInterface, QueryRunner } from 'typeorm';

const DIMENSIONS = ['reliability', 'responsiveness', 'assurance', 'empathy', 'tangibles'];
const PER_DIMENSION = ['count', 'sum', 'e_count', 'e_sum', 'gap_count', 'gap_sum'];

// Segments (issue 18, part 2): the satisfaction summary by client group, and a team's region.
// satisfaction_stats holds one row per (kind, grouping, scope, grain, period, group value): kind
// transactional | relationship, the grouping (team, butler, tier, city, …), the scope it is counted
// in ('*' every team, or one team's manager id), the grain (d = one Asia/Shanghai day, m = the
// month starting on `period`), and the counters the report divides. Written in the transaction of
// each invitation sent and each answer recorded (libs/surveys/src/satisfaction-stats.ts).
export class SatisfactionSegments1795550000000 implements MigrationInterface {
  name = 'SatisfactionSegments1795550000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const counters = [
      'invitations',
      'responses',
      'csat_sum',
      'csat_satisfied',
      'nps_count',
      'nps_promoters',
      'nps_detractors',
      ...DIMENSIONS.flatMap((d) => PER_DIMENSION.map((s) => `${d}_${s}`)),
    ]
      .map((c) => `"${c}" integer NOT NULL DEFAULT 0`)
      .join(',\n         ');
    await queryRunner.query(
      `CREATE TABLE "satisfaction_stats" (
         "kind" varchar(16) NOT NULL,
         "dim" varchar(16) NOT NULL,
         "scope" varchar(36) NOT NULL,
         "grain" char(1) NOT NULL,
         "period" date NOT NULL,
         "value" varchar(64) NOT NULL,
         ${counters},
         CONSTRAINT "PK_satisfaction_stats" PRIMARY KEY ("kind", "dim", "scope", "grain", "period", "value"),
         CONSTRAINT "CHK_satisfaction_stats_kind" CHECK ("kind" IN ('transactional', 'relationship')),
         CONSTRAINT "CHK_satisfaction_stats_grain" CHECK ("grain" IN ('d', 'm'))
       )`,
    );
    await queryRunner.query(`ALTER TABLE "users" ADD "region" varchar(40)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "region"`);
    await queryRunner.query(`DROP TABLE "satisfaction_stats"`);
  }
}
