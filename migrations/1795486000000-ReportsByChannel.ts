import { MigrationInterface, QueryRunner } from 'typeorm';

// Reports by channel (issue 16): each invitation and answer records the channel its invitation
// went by (every earlier one was an email), and the per-butler-per-day summary counts invitations
// and responses per channel. The recompute's covering indexes carry the channel, so it still
// reads (butler, day) groups from the indexes alone.
export class ReportsByChannel1795486000000 implements MigrationInterface {
  name = 'ReportsByChannel1795486000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "survey_invitations" ADD "channel" character varying(20) NOT NULL DEFAULT 'email'`,
    );
    await queryRunner.query(
      `ALTER TABLE "survey_responses" ADD "channel" character varying(20) NOT NULL DEFAULT 'email'`,
    );
    for (const kind of ['invitations', 'responses'])
      for (const channel of ['email', 'sms', 'wecom'])
        await queryRunner.query(`ALTER TABLE "butler_daily_stats" ADD "${kind}_${channel}" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(
      `UPDATE butler_daily_stats SET invitations_email = invitations, responses_email = responses`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_invitations_butler_sent_day"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_invitations_butler_sent_day" ON "survey_invitations" ("butler_id", ((sent_at AT TIME ZONE 'Asia/Shanghai')::date)) INCLUDE ("sent_at", "channel") WHERE sent_at IS NOT NULL`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_responses_butler_day"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_responses_butler_day" ON "survey_responses" ("butler_id", ((responded_at AT TIME ZONE 'Asia/Shanghai')::date)) INCLUDE ("responded_at", "channel", "csat", "nps", "reliability", "responsiveness", "assurance", "empathy", "tangibles")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_responses_butler_day"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_responses_butler_day" ON "survey_responses" ("butler_id", ((responded_at AT TIME ZONE 'Asia/Shanghai')::date)) INCLUDE ("responded_at", "csat", "nps", "reliability", "responsiveness", "assurance", "empathy", "tangibles")`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_survey_invitations_butler_sent_day"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_survey_invitations_butler_sent_day" ON "survey_invitations" ("butler_id", ((sent_at AT TIME ZONE 'Asia/Shanghai')::date)) INCLUDE ("sent_at") WHERE sent_at IS NOT NULL`,
    );
    for (const kind of ['invitations', 'responses'])
      for (const channel of ['email', 'sms', 'wecom'])
        await queryRunner.query(`ALTER TABLE "butler_daily_stats" DROP COLUMN "${kind}_${channel}"`);
    await queryRunner.query(`ALTER TABLE "survey_responses" DROP COLUMN "channel"`);
    await queryRunner.query(`ALTER TABLE "survey_invitations" DROP COLUMN "channel"`);
  }
}
