import { MigrationInterface, QueryRunner } from 'typeorm';

// A campaign whose messages include failures ends `completed_with_failures`, and its failed
// messages can be retried once (issue 16): `retried_at` marks a message that was. The new enum
// value is committed here; the next migration moves the campaigns that already ended with failures.
export class CampaignFailures1795485000000 implements MigrationInterface {
  name = 'CampaignFailures1795485000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."campaign_status" ADD VALUE IF NOT EXISTS 'completed_with_failures'`);
    await queryRunner.query(`ALTER TABLE "messages" ADD "retried_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "retried_at"`);
    // An enum value cannot be dropped: the type is rebuilt, and a campaign with failures reads as completed.
    await queryRunner.query(`DROP INDEX "public"."IDX_greeting_campaigns_due"`);
    await queryRunner.query(`ALTER TABLE "greeting_campaigns" ALTER COLUMN "status" DROP DEFAULT`);
    await queryRunner.query(`ALTER TYPE "public"."campaign_status" RENAME TO "campaign_status_old"`);
    await queryRunner.query(
      `CREATE TYPE "public"."campaign_status" AS ENUM('draft', 'scheduled', 'sending', 'completed', 'cancelled')`,
    );
    await queryRunner.query(
      `ALTER TABLE "greeting_campaigns" ALTER COLUMN "status" TYPE "public"."campaign_status"
         USING (CASE WHEN "status"::text = 'completed_with_failures' THEN 'completed' ELSE "status"::text END)::"public"."campaign_status"`,
    );
    await queryRunner.query(`ALTER TABLE "greeting_campaigns" ALTER COLUMN "status" SET DEFAULT 'scheduled'`);
    await queryRunner.query(`DROP TYPE "public"."campaign_status_old"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_greeting_campaigns_due" ON "greeting_campaigns" ("send_at") WHERE status = 'scheduled'`,
    );
  }
}
