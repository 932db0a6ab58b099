import { MigrationInterface, QueryRunner } from 'typeorm';

// Detractor alerts by SMS (issue 16): a staff member's mainland mobile (unique when present) and
// the channels they want alerts on (email, sms; email for everyone until they choose).
export class UserMobileAlertChannels1795495000000 implements MigrationInterface {
  name = 'UserMobileAlertChannels1795495000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "users" ADD "mobile" character varying(11),
         ADD "alert_channels" character varying(10) array NOT NULL DEFAULT '{email}',
         ADD CONSTRAINT "CK_users_mobile" CHECK (mobile ~ '^1[3-9][0-9]{9}$'),
         ADD CONSTRAINT "CK_users_alert_channels"
           CHECK (cardinality(alert_channels) BETWEEN 1 AND 2 AND alert_channels <@ ARRAY['email', 'sms']::varchar[])`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_mobile" ON "users" ("mobile") WHERE mobile IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."UQ_users_mobile"`);
    await queryRunner.query(
      `ALTER TABLE "users" DROP CONSTRAINT "CK_users_alert_channels", DROP CONSTRAINT "CK_users_mobile",
         DROP COLUMN "alert_channels", DROP COLUMN "mobile"`,
    );
  }
}
