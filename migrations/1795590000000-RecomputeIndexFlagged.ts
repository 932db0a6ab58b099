import { MigrationInterface, QueryRunner } from 'typeorm';

// The summary recompute reads survey responses from their covering index alone (butler-stats.ts,
// statsFromRawSql). Rating integrity added `flagged` to that index; relationship programs, merged
// beside it, rebuilt the index for `kind` from the older column list and dropped `flagged` again,
// so every response's row was read from the table: the recompute over 20M rows went from 6 s to
// 50 s. Both now: transactional rows only, `flagged` included.
export class RecomputeIndexFlagged1795590000000 implements MigrationInterface {
  name = 'RecomputeIndexFlagged1795590000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_responses_butler_day"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_responses_butler_day" ON "survey_responses" ("butler_id", ((responded_at AT TIME ZONE 'Asia/Shanghai')::date)) INCLUDE ("responded_at", "channel", "csat", "nps", "reliability", "responsiveness", "assurance", "empathy", "tangibles", "flagged") WHERE kind = 'transactional'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_responses_butler_day"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_responses_butler_day" ON "survey_responses" ("butler_id", ((responded_at AT TIME ZONE 'Asia/Shanghai')::date)) INCLUDE ("responded_at", "channel", "csat", "nps", "reliability", "responsiveness", "assurance", "empathy", "tangibles") WHERE kind = 'transactional'`,
    );
  }
}
