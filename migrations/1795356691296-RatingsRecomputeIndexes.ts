import { MigrationInterface, QueryRunner } from 'typeorm';

export class RatingsRecomputeIndexes1795356691296 implements MigrationInterface {
  name = 'RatingsRecomputeIndexes1795356691296';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The summary recompute (libs/surveys/src/butler-stats.ts, statsFromRawSql) groups the raw
    // rows by butler and Asia/Shanghai day: these covering indexes give it that order from the
    // index alone. Written by hand: TypeORM cannot declare expression or INCLUDE indexes (the
    // entities declare them with synchronize: false). The expressions must match the query's.
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_invitations_butler_sent_day" ON "survey_invitations" ("butler_id", ((sent_at AT TIME ZONE 'Asia/Shanghai')::date)) INCLUDE ("sent_at") WHERE sent_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_responses_butler_day" ON "survey_responses" ("butler_id", ((responded_at AT TIME ZONE 'Asia/Shanghai')::date)) INCLUDE ("responded_at", "csat", "nps", "reliability", "responsiveness", "assurance", "empathy", "tangibles")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_responses_butler_day"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_invitations_butler_sent_day"`);
  }
}
