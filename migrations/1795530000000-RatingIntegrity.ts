import { MigrationInterface, QueryRunner } from 'typeorm';

// Ratings you can trust (issue 18, part 5; docs/rating-integrity.md):
// - customer_address_changes (libs/customers): when a client's email, mobile or WeCom id was set or
//   changed, and by whom (no addresses kept);
// - sign_ins (libs/auth): each sign-in's network address and browser, as keyed hashes;
// - the survey's integrity flag: reasons found when the invitation went out (on the invitation),
//   those found when it was answered, the answer's own hashes, and a manager's clearing;
// - butler_daily_stats.flagged: answers held out of the figures. The recompute's covering index
//   includes `flagged`, so it still sums from the index alone.
export class RatingIntegrity1795530000000 implements MigrationInterface {
  name = 'RatingIntegrity1795530000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "customer_address_changes" (
         "id" uuid NOT NULL DEFAULT gen_random_uuid(),
         "customer_id" uuid NOT NULL,
         "field" varchar(20) NOT NULL,
         "changed_by" uuid,
         "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
         "source" varchar(40) NOT NULL,
         CONSTRAINT "PK_customer_address_changes" PRIMARY KEY ("id"),
         CONSTRAINT "CHK_customer_address_changes_field" CHECK ("field" IN ('email', 'mobile', 'wecom')),
         CONSTRAINT "FK_customer_address_changes_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id")
           ON DELETE CASCADE,
         CONSTRAINT "FK_customer_address_changes_changed_by" FOREIGN KEY ("changed_by") REFERENCES "users"("id")
           ON DELETE SET NULL
       )`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_customer_address_changes_customer" ON "customer_address_changes" ("customer_id", "field", "changed_at")`,
    );
    await queryRunner.query(
      `CREATE TABLE "sign_ins" (
         "id" uuid NOT NULL DEFAULT gen_random_uuid(),
         "user_id" uuid NOT NULL,
         "at" TIMESTAMP WITH TIME ZONE NOT NULL,
         "method" varchar(20) NOT NULL,
         "ip_hash" bytea,
         "ua_hash" bytea,
         CONSTRAINT "PK_sign_ins" PRIMARY KEY ("id"),
         CONSTRAINT "FK_sign_ins_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
       )`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_sign_ins_user_at" ON "sign_ins" ("user_id", "at")`);
    await queryRunner.query(
      `ALTER TABLE "survey_invitations" ADD "integrity_reasons" jsonb NOT NULL DEFAULT '[]'::jsonb`,
    );
    await queryRunner.query(
      `ALTER TABLE "survey_responses"
         ADD "flagged" boolean NOT NULL DEFAULT false,
         ADD "integrity_reasons" jsonb NOT NULL DEFAULT '[]'::jsonb,
         ADD "answer_ip_hash" bytea,
         ADD "answer_ua_hash" bytea,
         ADD "flag_cleared_at" TIMESTAMP WITH TIME ZONE,
         ADD "flag_cleared_by" uuid,
         ADD "flag_clear_note" text,
         ADD CONSTRAINT "FK_survey_responses_flag_cleared_by" FOREIGN KEY ("flag_cleared_by") REFERENCES "users"("id")
           ON DELETE SET NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_responses_flagged" ON "survey_responses" ("responded_at") WHERE flagged`,
    );
    await queryRunner.query(`ALTER TABLE "butler_daily_stats" ADD "flagged" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_responses_butler_day"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_responses_butler_day" ON "survey_responses" ("butler_id", ((responded_at AT TIME ZONE 'Asia/Shanghai')::date)) INCLUDE ("responded_at", "channel", "csat", "nps", "reliability", "responsiveness", "assurance", "empathy", "tangibles", "flagged")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_responses_butler_day"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_responses_butler_day" ON "survey_responses" ("butler_id", ((responded_at AT TIME ZONE 'Asia/Shanghai')::date)) INCLUDE ("responded_at", "channel", "csat", "nps", "reliability", "responsiveness", "assurance", "empathy", "tangibles")`,
    );
    await queryRunner.query(`ALTER TABLE "butler_daily_stats" DROP COLUMN "flagged"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_responses_flagged"`);
    await queryRunner.query(
      `ALTER TABLE "survey_responses" DROP CONSTRAINT "FK_survey_responses_flag_cleared_by",
         DROP COLUMN "flag_clear_note", DROP COLUMN "flag_cleared_by", DROP COLUMN "flag_cleared_at",
         DROP COLUMN "answer_ua_hash", DROP COLUMN "answer_ip_hash", DROP COLUMN "integrity_reasons",
         DROP COLUMN "flagged"`,
    );
    await queryRunner.query(`ALTER TABLE "survey_invitations" DROP COLUMN "integrity_reasons"`);
    await queryRunner.query(`DROP TABLE "sign_ins"`);
    await queryRunner.query(`DROP TABLE "customer_address_changes"`);
  }
}
