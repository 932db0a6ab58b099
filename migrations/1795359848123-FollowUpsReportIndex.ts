import { MigrationInterface, QueryRunner } from 'typeorm';

export class FollowUpsReportIndex1795359848123 implements MigrationInterface {
  name = 'FollowUpsReportIndex1795359848123';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_follow_ups_butler_due" ON "follow_ups" ("butler_id", "due_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_follow_ups_butler_due"`);
  }
}
