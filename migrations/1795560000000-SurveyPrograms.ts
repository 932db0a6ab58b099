import { MigrationInterface, QueryRunner } from 'typeorm';

// Relationship survey programs (issue 18, part 1; docs/relationship-surveys.md):
// - survey_programs: a yearly (window or anniversary) survey of a sample of clients about the brand;
// - survey_invitations and survey_responses gain `kind` ('transactional' | 'relationship'); a
//   relationship invitation hangs off its program (no contact), carries the cycle (year), the client's
//   tier when it was sent, and its one reminder (a second link, so the first keeps working);
// - survey_relationship_answers: the questions only a relationship survey asks, one row per response;
// - the recompute's covering indexes keep only transactional rows: the scorecards never count a
//   relationship answer.
export class SurveyPrograms1795560000000 implements MigrationInterface {
  name = 'SurveyPrograms1795560000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "survey_programs" (
         "id" uuid NOT NULL DEFAULT gen_random_uuid(),
         "kind" character varying(20) NOT NULL DEFAULT 'relationship',
         "name" character varying(100) NOT NULL,
         "status" character varying(20) NOT NULL DEFAULT 'draft',
         "manager_id" uuid,
         "schedule_kind" character varying(20) NOT NULL,
         "window_start" character(5),
         "window_end" character(5),
         "sample" jsonb NOT NULL,
         "reminder_after_days" integer NOT NULL,
         "expiry_days" integer NOT NULL,
         "brands" text array NOT NULL DEFAULT '{}',
         "created_by" uuid NOT NULL,
         "started_at" TIMESTAMP WITH TIME ZONE,
         "paused_at" TIMESTAMP WITH TIME ZONE,
         "last_run_day" date,
         "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         CONSTRAINT "PK_survey_programs" PRIMARY KEY ("id"),
         CONSTRAINT "CK_survey_programs_kind" CHECK (kind = 'relationship'),
         CONSTRAINT "CK_survey_programs_status" CHECK (status IN ('draft', 'active', 'paused')),
         CONSTRAINT "CK_survey_programs_schedule" CHECK (
           (schedule_kind = 'window' AND window_start IS NOT NULL AND window_end IS NOT NULL)
           OR (schedule_kind = 'anniversary' AND window_start IS NULL AND window_end IS NULL)),
         CONSTRAINT "FK_survey_programs_manager" FOREIGN KEY ("manager_id") REFERENCES "users"("id") ON DELETE RESTRICT,
         CONSTRAINT "FK_survey_programs_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT
       )`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_programs_active" ON "survey_programs" ("id") WHERE status = 'active'`,
    );

    await queryRunner.query(
      `ALTER TABLE "survey_invitations"
         ADD "kind" character varying(20) NOT NULL DEFAULT 'transactional',
         ADD "program_id" uuid,
         ADD "cycle" smallint,
         ADD "tier" "public"."customer_tier",
         ADD "reminder_message_id" uuid,
         ADD "reminded_at" TIMESTAMP WITH TIME ZONE,
         ADD "reminder_token_hash" bytea,
         ALTER "interaction_id" DROP NOT NULL,
         ALTER "source" DROP NOT NULL,
         ADD CONSTRAINT "FK_survey_invitations_program" FOREIGN KEY ("program_id") REFERENCES "survey_programs"("id")
           ON DELETE RESTRICT,
         ADD CONSTRAINT "CK_survey_invitations_kind" CHECK (
           (kind = 'transactional' AND interaction_id IS NOT NULL AND source IS NOT NULL AND program_id IS NULL)
           OR (kind = 'relationship' AND program_id IS NOT NULL AND cycle IS NOT NULL AND interaction_id IS NULL))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_survey_invitations_program_cycle" ON "survey_invitations" ("program_id", "cycle", "customer_id")
        WHERE program_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_survey_invitations_reminder_token_hash" ON "survey_invitations" ("reminder_token_hash")
        WHERE reminder_token_hash IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_invitations_reminder_due" ON "survey_invitations" ("program_id", "sent_at")
        WHERE program_id IS NOT NULL AND status = 'sent' AND reminded_at IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "survey_responses" ADD "kind" character varying(20) NOT NULL DEFAULT 'transactional',
         ADD CONSTRAINT "CK_survey_responses_kind" CHECK (kind IN ('transactional', 'relationship'))`,
    );
    await queryRunner.query(
      `CREATE TABLE "survey_relationship_answers" (
         "response_id" uuid NOT NULL,
         "program_id" uuid NOT NULL,
         "tier" "public"."customer_tier" NOT NULL,
         "quality" smallint,
         "value" smallint,
         "favourability" smallint,
         "comparison" character varying(10),
         "compared_brands" text array NOT NULL DEFAULT '{}',
         "other_brands" text NOT NULL DEFAULT '',
         "expect_reliability" smallint,
         "expect_responsiveness" smallint,
         "expect_assurance" smallint,
         "expect_empathy" smallint,
         "expect_tangibles" smallint,
         CONSTRAINT "PK_survey_relationship_answers" PRIMARY KEY ("response_id"),
         CONSTRAINT "FK_survey_relationship_answers_response" FOREIGN KEY ("response_id")
           REFERENCES "survey_responses"("id") ON DELETE RESTRICT,
         CONSTRAINT "FK_survey_relationship_answers_program" FOREIGN KEY ("program_id")
           REFERENCES "survey_programs"("id") ON DELETE RESTRICT,
         CONSTRAINT "CK_survey_relationship_answers_scores" CHECK (
           (quality IS NULL OR quality BETWEEN 1 AND 5) AND (value IS NULL OR value BETWEEN 1 AND 5)
           AND (favourability IS NULL OR favourability BETWEEN 1 AND 5)
           AND (expect_reliability IS NULL OR expect_reliability BETWEEN 1 AND 5)
           AND (expect_responsiveness IS NULL OR expect_responsiveness BETWEEN 1 AND 5)
           AND (expect_assurance IS NULL OR expect_assurance BETWEEN 1 AND 5)
           AND (expect_empathy IS NULL OR expect_empathy BETWEEN 1 AND 5)
           AND (expect_tangibles IS NULL OR expect_tangibles BETWEEN 1 AND 5)),
         CONSTRAINT "CK_survey_relationship_answers_comparison" CHECK (
           comparison IS NULL OR comparison IN ('better', 'same', 'worse'))
       )`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_relationship_answers_program" ON "survey_relationship_answers" ("program_id", "tier")`,
    );

    // The recompute reads only transactional rows, each from its covering index.
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_invitations_butler_sent_day"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_invitations_butler_sent_day" ON "survey_invitations" ("butler_id", ((sent_at AT TIME ZONE 'Asia/Shanghai')::date)) INCLUDE ("sent_at", "channel") WHERE sent_at IS NOT NULL AND kind = 'transactional'`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_responses_butler_day"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_responses_butler_day" ON "survey_responses" ("butler_id", ((responded_at AT TIME ZONE 'Asia/Shanghai')::date)) INCLUDE ("responded_at", "channel", "csat", "nps", "reliability", "responsiveness", "assurance", "empathy", "tangibles") WHERE kind = 'transactional'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_responses_butler_day"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_responses_butler_day" ON "survey_responses" ("butler_id", ((responded_at AT TIME ZONE 'Asia/Shanghai')::date)) INCLUDE ("responded_at", "channel", "csat", "nps", "reliability", "responsiveness", "assurance", "empathy", "tangibles")`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_invitations_butler_sent_day"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_invitations_butler_sent_day" ON "survey_invitations" ("butler_id", ((sent_at AT TIME ZONE 'Asia/Shanghai')::date)) INCLUDE ("sent_at", "channel") WHERE sent_at IS NOT NULL`,
    );
    await queryRunner.query(`DROP TABLE "survey_relationship_answers"`);
    // Relationship answers and invitations go with their programs (they have no contact to hang off).
    await queryRunner.query(`DELETE FROM "survey_responses" WHERE kind = 'relationship'`);
    await queryRunner.query(`DELETE FROM "survey_invitations" WHERE kind = 'relationship'`);
    await queryRunner.query(
      `ALTER TABLE "survey_responses" DROP CONSTRAINT "CK_survey_responses_kind", DROP COLUMN "kind"`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_invitations_reminder_due"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_survey_invitations_reminder_token_hash"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_survey_invitations_program_cycle"`);
    await queryRunner.query(
      `ALTER TABLE "survey_invitations" DROP CONSTRAINT "CK_survey_invitations_kind",
         DROP CONSTRAINT "FK_survey_invitations_program",
         ALTER "source" SET NOT NULL, ALTER "interaction_id" SET NOT NULL,
         DROP COLUMN "reminder_token_hash", DROP COLUMN "reminded_at", DROP COLUMN "reminder_message_id",
         DROP COLUMN "tier", DROP COLUMN "cycle", DROP COLUMN "program_id", DROP COLUMN "kind"`,
    );
    await queryRunner.query(`DROP TABLE "survey_programs"`);
  }
}
