import { MigrationInterface, QueryRunner } from 'typeorm';

// A default template for `custom` campaigns (a tasting invitation, a thank-you): since a
// campaign's template must fit its occasion, custom campaigns need one of their own.
export class CustomTemplate1795400000000 implements MigrationInterface {
  name = 'CustomTemplate1795400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO "message_templates" ("occasion", "name", "subject", "body", "is_default")
             SELECT 'custom', '通用问候', '{{customer.salutation}}，您好', $1, true
             WHERE NOT EXISTS (SELECT 1 FROM "message_templates" WHERE "occasion" = 'custom' AND "is_default")`,
      [
        '尊敬的{{customer.salutation}}：\n\n感谢您一直以来对我们的信任与支持。近来天气多变，还请保重身体。若有品鉴、宴请或送礼用酒的需要，随时联系我。\n\n您的专属管家 {{butler.name}} 敬上',
      ],
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DELETE FROM "message_templates" WHERE "occasion" = 'custom' AND "is_default" AND "name" = '通用问候'`,
    );
  }
}
