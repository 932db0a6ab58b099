import { MigrationInterface, QueryRunner } from 'typeorm';

// A loop that closes (issue 18, part 4): each SLA escalation step recorded once (a case's first
// response or resolution, a recovery task), the breach marked on the case or the follow-up, a
// recovery task's outcome and root cause, and the recovery re-survey as an invitation source.
export class SlaLoop1795520000000 implements MigrationInterface {
  name = 'SlaLoop1795520000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sla_escalations" (
         "id" uuid NOT NULL DEFAULT gen_random_uuid(),
         "subject_type" varchar(10) NOT NULL,
         "subject_id" uuid NOT NULL,
         "clock" varchar(20) NOT NULL,
         "level" smallint NOT NULL,
         "due_at" TIMESTAMP WITH TIME ZONE NOT NULL,
         "recipient_id" uuid,
         "message_ids" uuid[] NOT NULL DEFAULT '{}',
         "escalated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
         "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         CONSTRAINT "PK_sla_escalations" PRIMARY KEY ("id"),
         CONSTRAINT "UQ_sla_escalations_step" UNIQUE ("subject_type", "subject_id", "clock", "level"),
         CONSTRAINT "CHK_sla_escalations_subject" CHECK ("subject_type" IN ('case', 'follow_up')),
         CONSTRAINT "CHK_sla_escalations_clock" CHECK ("clock" IN ('first_response', 'resolution', 'recovery')),
         CONSTRAINT "CHK_sla_escalations_level" CHECK ("level" BETWEEN 1 AND 3),
         CONSTRAINT "FK_sla_escalations_recipient" FOREIGN KEY ("recipient_id") REFERENCES "users"("id")
           ON DELETE SET NULL
       )`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_sla_escalations_time" ON "sla_escalations" ("escalated_at")`);
    await queryRunner.query(`ALTER TABLE "cases" ADD "sla_breached_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "cases" ADD "sla_level" smallint NOT NULL DEFAULT 0`);
    await queryRunner.query(
      `CREATE INDEX "IDX_cases_breached" ON "cases" ("sla_breached_at") WHERE sla_breached_at IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "follow_ups" ADD "sla_breached_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "follow_ups" ADD "sla_level" smallint NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE "follow_ups" ADD "root_cause" varchar(20)`);
    await queryRunner.query(`ALTER TABLE "follow_ups" ADD "recovery_outcome" varchar(20)`);
    await queryRunner.query(
      `ALTER TABLE "follow_ups" ADD CONSTRAINT "CHK_follow_ups_root_cause" CHECK ("root_cause" IN
         ('product_quality', 'logistics', 'authenticity', 'price', 'butler_service', 'other'))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_follow_ups_breached" ON "follow_ups" ("sla_breached_at") WHERE sla_breached_at IS NOT NULL`,
    );
    // The root-cause report: completed recovery tasks by month.
    await queryRunner.query(
      `CREATE INDEX "IDX_follow_ups_root_cause" ON "follow_ups" ("completed_at", "root_cause")
         WHERE kind = 'recovery' AND root_cause IS NOT NULL`,
    );
    // The SLA worker's scan of open recovery tasks.
    await queryRunner.query(
      `CREATE INDEX "IDX_follow_ups_open_recovery" ON "follow_ups" ("created_at")
         WHERE kind = 'recovery' AND status = 'open'`,
    );
    await queryRunner.query(`ALTER TYPE "survey_invitation_source" ADD VALUE IF NOT EXISTS 'recovery'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "survey_responses" r USING "survey_invitations" i
                              WHERE i.id = r.invitation_id AND i.source = 'recovery'`);
    await queryRunner.query(`DELETE FROM "survey_invitations" WHERE source = 'recovery'`);
    await queryRunner.query(`ALTER TYPE "survey_invitation_source" RENAME TO "survey_invitation_source_old"`);
    await queryRunner.query(`CREATE TYPE "survey_invitation_source" AS ENUM ('follow_up', 'case', 'contact')`);
    await queryRunner.query(
      `ALTER TABLE "survey_invitations" ALTER COLUMN "source" TYPE "survey_invitation_source"
         USING "source"::text::"survey_invitation_source"`,
    );
    await queryRunner.query(`DROP TYPE "survey_invitation_source_old"`);
    await queryRunner.query(`DROP INDEX "IDX_follow_ups_open_recovery"`);
    await queryRunner.query(`DROP INDEX "IDX_follow_ups_root_cause"`);
    await queryRunner.query(`DROP INDEX "IDX_follow_ups_breached"`);
    await queryRunner.query(`ALTER TABLE "follow_ups" DROP CONSTRAINT "CHK_follow_ups_root_cause"`);
    await queryRunner.query(
      `ALTER TABLE "follow_ups" DROP COLUMN "recovery_outcome", DROP COLUMN "root_cause",
         DROP COLUMN "sla_level", DROP COLUMN "sla_breached_at"`,
    );
    await queryRunner.query(`DROP INDEX "IDX_cases_breached"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP COLUMN "sla_level", DROP COLUMN "sla_breached_at"`);
    await queryRunner.query(`DROP TABLE "sla_escalations"`);
  }
}
