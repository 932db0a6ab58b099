import { MigrationInterface, QueryRunner } from 'typeorm';

// 记一笔: the client's last touch (a reached contact, a purchase, an answered survey), filled for
// existing clients from what is already recorded, and surveys after a contact the butler logged.
export class ContactLog1795450000000 implements MigrationInterface {
  name = 'ContactLog1795450000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "customers" ADD "last_touch_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `UPDATE customers c SET last_touch_at = t.at
         FROM (SELECT x.customer_id, max(x.at) AS at FROM (
                 SELECT customer_id, occurred_at AS at FROM interactions WHERE outcome = 'reached'
                 UNION ALL SELECT customer_id, responded_at FROM survey_responses
                 UNION ALL SELECT id, last_purchase_at FROM customers WHERE last_purchase_at IS NOT NULL
               ) x GROUP BY x.customer_id) t
        WHERE c.id = t.customer_id`,
    );
    await queryRunner.query(`ALTER TYPE "public"."survey_invitation_source" ADD VALUE IF NOT EXISTS 'contact'`);
    await queryRunner.query(`ALTER TABLE "interactions" ADD "recorded_by" uuid`);
    await queryRunner.query(
      `ALTER TABLE "interactions" ADD CONSTRAINT "FK_interactions_recorded_by" FOREIGN KEY ("recorded_by")
         REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "interactions" DROP CONSTRAINT "FK_interactions_recorded_by"`);
    await queryRunner.query(`ALTER TABLE "interactions" DROP COLUMN "recorded_by"`);
    // An enum value cannot be dropped: the type is rebuilt, and invitations after a logged contact
    // read as follow-up ones.
    await queryRunner.query(`ALTER TYPE "public"."survey_invitation_source" RENAME TO "survey_invitation_source_old"`);
    await queryRunner.query(`CREATE TYPE "public"."survey_invitation_source" AS ENUM('follow_up', 'case')`);
    await queryRunner.query(
      `ALTER TABLE "survey_invitations" ALTER COLUMN "source" TYPE "public"."survey_invitation_source"
         USING (CASE WHEN "source"::text = 'contact' THEN 'follow_up' ELSE "source"::text END)::"public"."survey_invitation_source"`,
    );
    await queryRunner.query(`DROP TYPE "public"."survey_invitation_source_old"`);
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "last_touch_at"`);
  }
}
