import { MigrationInterface, QueryRunner } from 'typeorm';

// The client's WeChat ID (微信号), as the butler notes it.
export class CustomerWechatId1795420000000 implements MigrationInterface {
  name = 'CustomerWechatId1795420000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "customers" ADD "wechat_id" character varying(40)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "wechat_id"`);
  }
}
