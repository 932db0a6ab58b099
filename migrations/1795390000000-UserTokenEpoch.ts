import { MigrationInterface, QueryRunner } from 'typeorm';

// A per-user token epoch: tokens issued before it are refused (password, role or active flag
// changed, or "sign out everywhere").
export class UserTokenEpoch1795390000000 implements MigrationInterface {
  name = 'UserTokenEpoch1795390000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "tokens_valid_after" TIMESTAMP(3) WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "tokens_valid_after"`);
  }
}
