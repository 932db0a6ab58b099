import { MigrationInterface, QueryRunner } from 'typeorm';

// WeCom (issue 17): a butler's WeCom userid (set by an admin) and a client's external user id
// (from the contact sync, the callbacks, or set by the butler). Each binds at most one row.
export class WecomBinding1795500000000 implements MigrationInterface {
  name = 'WecomBinding1795500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "wecom_user_id" character varying(64)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_users_wecom_user_id" ON "users" ("wecom_user_id") WHERE wecom_user_id IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "customers" ADD "external_user_id" character varying(64)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_customers_external_user_id" ON "customers" ("external_user_id")
        WHERE deleted_at IS NULL AND external_user_id IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."UQ_customers_external_user_id"`);
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "external_user_id"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_users_wecom_user_id"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "wecom_user_id"`);
  }
}
