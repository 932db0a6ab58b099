import { MigrationInterface, QueryRunner } from 'typeorm';

// The State Council's yearly 调休 schedule as admins enter it (the years lunar-typescript does not know).
export class HolidayDays1795380000000 implements MigrationInterface {
  name = 'HolidayDays1795380000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "holiday_days" ("date" date NOT NULL, "kind" character varying(10) NOT NULL, "name" character varying(20) NOT NULL DEFAULT '', "source" character varying(100) NOT NULL DEFAULT '', "updated_by" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_holiday_days_kind" CHECK ("kind" IN ('holiday', 'workday')), CONSTRAINT "PK_holiday_days" PRIMARY KEY ("date"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "holiday_days"`);
  }
}
