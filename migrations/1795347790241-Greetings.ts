import { MigrationInterface, QueryRunner } from 'typeorm';

export class Greetings1795347790241 implements MigrationInterface {
  name = 'Greetings1795347790241';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "message_templates" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(100) NOT NULL, "occasion" character varying(40) NOT NULL, "subject" character varying(200) NOT NULL, "body" text NOT NULL, "is_default" boolean NOT NULL DEFAULT false, "active" boolean NOT NULL DEFAULT true, "updated_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_message_templates" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_message_templates_default" ON "message_templates" ("occasion") WHERE is_default`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_message_templates_occasion" ON "message_templates" ("occasion") `);
    await queryRunner.query(
      `CREATE TYPE "public"."campaign_status" AS ENUM('draft', 'scheduled', 'sending', 'completed', 'cancelled')`,
    );
    await queryRunner.query(
      `CREATE TABLE "greeting_campaigns" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "occasion" character varying(40) NOT NULL, "template_id" uuid, "subject" character varying(200) NOT NULL, "body" text NOT NULL, "send_at" TIMESTAMP WITH TIME ZONE NOT NULL, "audience" jsonb NOT NULL, "status" "public"."campaign_status" NOT NULL DEFAULT 'scheduled', "manager_id" uuid, "created_by" uuid, "auto_key" character varying(80), "audience_count" integer, "planned_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_greeting_campaigns" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_greeting_campaigns_auto_key" ON "greeting_campaigns" ("auto_key") WHERE auto_key IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_greeting_campaigns_due" ON "greeting_campaigns" ("send_at") WHERE status = 'scheduled'`,
    );
    await queryRunner.query(`ALTER TABLE "messages" ADD "batch_no" integer`);
    await queryRunner.query(
      `CREATE INDEX "IDX_messages_campaign_batch" ON "messages" ("campaign_id", "batch_no") WHERE campaign_id IS NOT NULL AND status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_messages_campaign_status" ON "messages" ("campaign_id", "status") WHERE campaign_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_messages_campaign_customer" ON "messages" ("campaign_id", "customer_id") WHERE campaign_id IS NOT NULL`,
    );
    // Default Chinese templates for each festival and for birthdays, signed by the client's butler.
    const defaults: [string, string, string, string][] = [
      [
        'new_year',
        '元旦问候',
        '{{customer.salutation}}，元旦快乐',
        '尊敬的{{customer.salutation}}：\n\n新年伊始，万象更新。感谢您一直以来的信任与支持，愿新的一年里您事业顺遂、阖家安康，杯中常有好酒，身边常有知己。\n\n您的专属管家 {{butler.name}} 敬上',
      ],
      [
        'spring_festival',
        '春节问候',
        '{{customer.salutation}}，恭贺新春',
        '尊敬的{{customer.salutation}}：\n\n爆竹声中辞旧岁，{{year}}年春节将至。在此给您和家人拜个早年：新春大吉，万事如意！团圆宴上若需{{favoriteAroma}}佳酿助兴，随时吩咐。\n\n您的专属管家 {{butler.name}} 敬上',
      ],
      [
        'lantern',
        '元宵节问候',
        '元宵佳节，愿您团圆美满',
        '尊敬的{{customer.salutation}}：\n\n月圆灯明，又是一年元宵节。祝您与家人花好月圆、幸福安康。\n\n您的专属管家 {{butler.name}} 敬上',
      ],
      [
        'dragon_boat',
        '端午节问候',
        '端午安康',
        '尊敬的{{customer.salutation}}：\n\n粽叶飘香，端午将至。愿您端午安康，诸事顺意。\n\n您的专属管家 {{butler.name}} 敬上',
      ],
      [
        'qixi',
        '七夕问候',
        '七夕快乐',
        '尊敬的{{customer.salutation}}：\n\n金风玉露一相逢。七夕佳节，祝您与挚爱相伴，岁岁情长。\n\n您的专属管家 {{butler.name}} 敬上',
      ],
      [
        'mid_autumn',
        '中秋节问候',
        '{{customer.salutation}}，中秋快乐',
        '尊敬的{{customer.salutation}}：\n\n但愿人长久，千里共婵娟。中秋佳节，祝您和家人团圆美满、阖家幸福。佳节宴饮若需{{favoriteAroma}}好酒，随时吩咐。\n\n您的专属管家 {{butler.name}} 敬上',
      ],
      [
        'national_day',
        '国庆节问候',
        '国庆快乐',
        '尊敬的{{customer.salutation}}：\n\n金秋十月，举国同庆。祝您国庆假期愉快，出行顺利。\n\n您的专属管家 {{butler.name}} 敬上',
      ],
      [
        'double_ninth',
        '重阳节问候',
        '重阳安康',
        '尊敬的{{customer.salutation}}：\n\n九九重阳，登高望远。祝您与家中长辈身体康健、福寿绵长。\n\n您的专属管家 {{butler.name}} 敬上',
      ],
      [
        'birthday',
        '生日祝福',
        '{{customer.salutation}}，生日快乐',
        '尊敬的{{customer.salutation}}：\n\n今天是您的生日，在此为您送上最诚挚的祝福：愿您福如东海、寿比南山，岁岁有今朝。\n\n您的专属管家 {{butler.name}} 敬上',
      ],
    ];
    for (const [occasion, name, subject, body] of defaults) {
      await queryRunner.query(
        `INSERT INTO "message_templates" ("occasion", "name", "subject", "body", "is_default") VALUES ($1, $2, $3, $4, true)`,
        [occasion, name, subject, body],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."UQ_messages_campaign_customer"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_campaign_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_campaign_batch"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP COLUMN "batch_no"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_greeting_campaigns_due"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_greeting_campaigns_auto_key"`);
    await queryRunner.query(`DROP TABLE "greeting_campaigns"`);
    await queryRunner.query(`DROP TYPE "public"."campaign_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_message_templates_occasion"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_message_templates_default"`);
    await queryRunner.query(`DROP TABLE "message_templates"`);
  }
}
