import { MigrationInterface, QueryRunner } from 'typeorm';

export class AfterSalesSurveys1795354531998 implements MigrationInterface {
  name = 'AfterSalesSurveys1795354531998';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."survey_invitation_source" AS ENUM('follow_up', 'case')`);
    await queryRunner.query(
      `CREATE TYPE "public"."survey_invitation_status" AS ENUM('scheduled', 'queued', 'sent', 'responded', 'skipped')`,
    );
    await queryRunner.query(
      `CREATE TABLE "survey_invitations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "customer_id" uuid NOT NULL, "butler_id" uuid NOT NULL, "interaction_id" uuid NOT NULL, "source" "public"."survey_invitation_source" NOT NULL, "status" "public"."survey_invitation_status" NOT NULL DEFAULT 'scheduled', "send_at" TIMESTAMP WITH TIME ZONE NOT NULL, "message_id" uuid, "token_hash" bytea, "sent_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, "responded_at" TIMESTAMP WITH TIME ZONE, "skip_reason" character varying(40), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_survey_invitations" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_invitations_due" ON "survey_invitations" ("send_at") WHERE status = 'scheduled'`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_invitations_customer" ON "survey_invitations" ("customer_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_survey_invitations_token_hash" ON "survey_invitations" ("token_hash") WHERE token_hash IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_survey_invitations_interaction" ON "survey_invitations" ("interaction_id") `,
    );
    await queryRunner.query(`CREATE TABLE "survey_responses" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "invitation_id" uuid NOT NULL, "customer_id" uuid NOT NULL, "butler_id" uuid NOT NULL, "csat" smallint NOT NULL, "nps" smallint, "reliability" smallint, "responsiveness" smallint, "assurance" smallint, "empathy" smallint, "tangibles" smallint, "comment" text NOT NULL DEFAULT '', "responded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "REL_7e82b5cc23ee037b01d7c7aaf1" UNIQUE ("invitation_id"), CONSTRAINT "CK_survey_responses_servqual" CHECK ((reliability IS NULL OR reliability BETWEEN 1 AND 5) AND (responsiveness IS NULL OR responsiveness BETWEEN 1 AND 5)
   AND (assurance IS NULL OR assurance BETWEEN 1 AND 5) AND (empathy IS NULL OR empathy BETWEEN 1 AND 5)
   AND (tangibles IS NULL OR tangibles BETWEEN 1 AND 5)), CONSTRAINT "CK_survey_responses_nps" CHECK (nps IS NULL OR nps BETWEEN 0 AND 10), CONSTRAINT "CK_survey_responses_csat" CHECK (csat BETWEEN 1 AND 5), CONSTRAINT "PK_survey_responses" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_responses_customer_time" ON "survey_responses" ("customer_id", "responded_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_responses_butler_time" ON "survey_responses" ("butler_id", "responded_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_survey_responses_invitation" ON "survey_responses" ("invitation_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "butler_daily_stats" ("butler_id" uuid NOT NULL, "day" date NOT NULL, "invitations" integer NOT NULL DEFAULT '0', "responses" integer NOT NULL DEFAULT '0', "csat_sum" integer NOT NULL DEFAULT '0', "csat_sq_sum" integer NOT NULL DEFAULT '0', "csat_satisfied" integer NOT NULL DEFAULT '0', "csat_low" integer NOT NULL DEFAULT '0', "nps_count" integer NOT NULL DEFAULT '0', "nps_promoters" integer NOT NULL DEFAULT '0', "nps_detractors" integer NOT NULL DEFAULT '0', "reliability_count" integer NOT NULL DEFAULT '0', "reliability_sum" integer NOT NULL DEFAULT '0', "reliability_sq_sum" integer NOT NULL DEFAULT '0', "reliability_csat_sum" integer NOT NULL DEFAULT '0', "reliability_csat_sq_sum" integer NOT NULL DEFAULT '0', "reliability_cross_sum" integer NOT NULL DEFAULT '0', "responsiveness_count" integer NOT NULL DEFAULT '0', "responsiveness_sum" integer NOT NULL DEFAULT '0', "responsiveness_sq_sum" integer NOT NULL DEFAULT '0', "responsiveness_csat_sum" integer NOT NULL DEFAULT '0', "responsiveness_csat_sq_sum" integer NOT NULL DEFAULT '0', "responsiveness_cross_sum" integer NOT NULL DEFAULT '0', "assurance_count" integer NOT NULL DEFAULT '0', "assurance_sum" integer NOT NULL DEFAULT '0', "assurance_sq_sum" integer NOT NULL DEFAULT '0', "assurance_csat_sum" integer NOT NULL DEFAULT '0', "assurance_csat_sq_sum" integer NOT NULL DEFAULT '0', "assurance_cross_sum" integer NOT NULL DEFAULT '0', "empathy_count" integer NOT NULL DEFAULT '0', "empathy_sum" integer NOT NULL DEFAULT '0', "empathy_sq_sum" integer NOT NULL DEFAULT '0', "empathy_csat_sum" integer NOT NULL DEFAULT '0', "empathy_csat_sq_sum" integer NOT NULL DEFAULT '0', "empathy_cross_sum" integer NOT NULL DEFAULT '0', "tangibles_count" integer NOT NULL DEFAULT '0', "tangibles_sum" integer NOT NULL DEFAULT '0', "tangibles_sq_sum" integer NOT NULL DEFAULT '0', "tangibles_csat_sum" integer NOT NULL DEFAULT '0', "tangibles_csat_sq_sum" integer NOT NULL DEFAULT '0', "tangibles_cross_sum" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_butler_daily_stats" PRIMARY KEY ("butler_id", "day"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."case_type" AS ENUM('inquiry', 'complaint', 'return', 'exchange', 'quality', 'delivery', 'other')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."case_priority" AS ENUM('low', 'normal', 'high', 'urgent')`);
    await queryRunner.query(`CREATE TYPE "public"."case_status" AS ENUM('open', 'in_progress', 'resolved', 'closed')`);
    await queryRunner.query(
      `CREATE TABLE "cases" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "customer_id" uuid NOT NULL, "purchase_id" uuid, "butler_id" uuid NOT NULL, "type" "public"."case_type" NOT NULL, "priority" "public"."case_priority" NOT NULL DEFAULT 'normal', "channel" character varying(20) NOT NULL, "summary" character varying(500) NOT NULL, "status" "public"."case_status" NOT NULL DEFAULT 'open', "opened_by" uuid, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "first_response_at" TIMESTAMP WITH TIME ZONE, "resolved_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_cases" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_cases_status_opened" ON "cases" ("status", "opened_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_cases_butler_opened" ON "cases" ("butler_id", "opened_at") `);
    await queryRunner.query(`CREATE INDEX "IDX_cases_customer_opened" ON "cases" ("customer_id", "opened_at") `);
    await queryRunner.query(
      `CREATE TABLE "case_notes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "author_id" uuid NOT NULL, "body" text NOT NULL, "transition" character varying(40), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_case_notes" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_case_notes_case" ON "case_notes" ("case_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "customers" ADD "last_detractor_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "follow_ups" ADD "survey_response_id" uuid`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_follow_ups_survey_response" ON "follow_ups" ("survey_response_id") WHERE survey_response_id IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "survey_invitations" ADD CONSTRAINT "FK_survey_invitations_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "survey_invitations" ADD CONSTRAINT "FK_survey_invitations_butler" FOREIGN KEY ("butler_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "survey_invitations" ADD CONSTRAINT "FK_survey_invitations_interaction" FOREIGN KEY ("interaction_id") REFERENCES "interactions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "survey_responses" ADD CONSTRAINT "FK_survey_responses_invitation" FOREIGN KEY ("invitation_id") REFERENCES "survey_invitations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "survey_responses" ADD CONSTRAINT "FK_survey_responses_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "survey_responses" ADD CONSTRAINT "FK_survey_responses_butler" FOREIGN KEY ("butler_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "butler_daily_stats" ADD CONSTRAINT "FK_butler_daily_stats_butler" FOREIGN KEY ("butler_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "FK_cases_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "cases" ADD CONSTRAINT "FK_cases_butler" FOREIGN KEY ("butler_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "case_notes" ADD CONSTRAINT "FK_case_notes_case" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "case_notes" ADD CONSTRAINT "FK_case_notes_author" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "case_notes" DROP CONSTRAINT "FK_case_notes_author"`);
    await queryRunner.query(`ALTER TABLE "case_notes" DROP CONSTRAINT "FK_case_notes_case"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "FK_cases_butler"`);
    await queryRunner.query(`ALTER TABLE "cases" DROP CONSTRAINT "FK_cases_customer"`);
    await queryRunner.query(`ALTER TABLE "butler_daily_stats" DROP CONSTRAINT "FK_butler_daily_stats_butler"`);
    await queryRunner.query(`ALTER TABLE "survey_responses" DROP CONSTRAINT "FK_survey_responses_butler"`);
    await queryRunner.query(`ALTER TABLE "survey_responses" DROP CONSTRAINT "FK_survey_responses_customer"`);
    await queryRunner.query(`ALTER TABLE "survey_responses" DROP CONSTRAINT "FK_survey_responses_invitation"`);
    await queryRunner.query(`ALTER TABLE "survey_invitations" DROP CONSTRAINT "FK_survey_invitations_interaction"`);
    await queryRunner.query(`ALTER TABLE "survey_invitations" DROP CONSTRAINT "FK_survey_invitations_butler"`);
    await queryRunner.query(`ALTER TABLE "survey_invitations" DROP CONSTRAINT "FK_survey_invitations_customer"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_follow_ups_survey_response"`);
    await queryRunner.query(`ALTER TABLE "follow_ups" DROP COLUMN "survey_response_id"`);
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "last_detractor_at"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_case_notes_case"`);
    await queryRunner.query(`DROP TABLE "case_notes"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cases_customer_opened"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cases_butler_opened"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cases_status_opened"`);
    await queryRunner.query(`DROP TABLE "cases"`);
    await queryRunner.query(`DROP TYPE "public"."case_status"`);
    await queryRunner.query(`DROP TYPE "public"."case_priority"`);
    await queryRunner.query(`DROP TYPE "public"."case_type"`);
    await queryRunner.query(`DROP TABLE "butler_daily_stats"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_survey_responses_invitation"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_responses_butler_time"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_responses_customer_time"`);
    await queryRunner.query(`DROP TABLE "survey_responses"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_survey_invitations_interaction"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_survey_invitations_token_hash"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_invitations_customer"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_invitations_due"`);
    await queryRunner.query(`DROP TABLE "survey_invitations"`);
    await queryRunner.query(`DROP TYPE "public"."survey_invitation_status"`);
    await queryRunner.query(`DROP TYPE "public"."survey_invitation_source"`);
  }
}
