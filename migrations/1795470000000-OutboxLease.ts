import { MigrationInterface, QueryRunner } from 'typeorm';

// Outbox v2 (issue 16): a message is claimed (status `sending`, a lease with the worker's id and
// an expiry), sent with no database connection held, then marked. A lease whose worker is gone and
// whose expiry has passed goes back to pending (OutboxReconciler).
export class OutboxLease1795470000000 implements MigrationInterface {
  name = 'OutboxLease1795470000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."message_status" ADD VALUE IF NOT EXISTS 'sending' AFTER 'pending'`);
    await queryRunner.query(`ALTER TABLE "messages" ADD "lease_owner" character varying(100)`);
    await queryRunner.query(`ALTER TABLE "messages" ADD "lease_until" TIMESTAMP WITH TIME ZONE`);
    // The new enum value cannot be named before this transaction commits: the leases' index is on
    // their expiry, which only a claimed message carries.
    await queryRunner.query(
      `CREATE INDEX "IDX_messages_lease" ON "messages" ("lease_until") WHERE lease_until IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_lease"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "lease_until"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "lease_owner"`);
    // An enum value cannot be dropped: the type is rebuilt, and a message being sent reads as
    // pending (it is sent again). The partial indexes that name a status are rebuilt with it.
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_pending"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_campaign_batch"`);
    await queryRunner.query(`ALTER TYPE "public"."message_status" RENAME TO "message_status_old"`);
    await queryRunner.query(`CREATE TYPE "public"."message_status" AS ENUM('pending', 'sent', 'failed', 'skipped')`);
    await queryRunner.query(`ALTER TABLE "messages" ALTER COLUMN "status" DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE "messages" ALTER COLUMN "status" TYPE "public"."message_status"
         USING (CASE WHEN "status"::text = 'sending' THEN 'pending' ELSE "status"::text END)::"public"."message_status"`,
    );
    await queryRunner.query(`ALTER TABLE "messages" ALTER COLUMN "status" SET DEFAULT 'pending'`);
    await queryRunner.query(`DROP TYPE "public"."message_status_old"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_messages_pending" ON "messages" ("scheduled_at") WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_messages_campaign_batch" ON "messages" ("campaign_id", "batch_no") WHERE campaign_id IS NOT NULL AND status = 'pending'`,
    );
  }
}
