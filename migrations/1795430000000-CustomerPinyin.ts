import { MigrationInterface, QueryRunner } from 'typeorm';

import { nameSearchKeys } from '../libs/customers/src/name-keys';

const BATCH = 5_000;

// Search the way butlers think (issue 15): the name's pinyin and initials in columns of their own,
// filled here for the clients already stored (pinyin-pro is JavaScript: rows are read and written
// back in batches; about 20 s for 100,000 clients), and the indexes that make `q` a prefix range:
// the pinyin and the initials, each followed by the butler (a butler's search checks the owner in
// the index and reads only their own matches from the table; a team's or an admin's reads the
// range), the mobile from its start and, reversed, from its end. All partial like the queries
// (deleted clients are never listed); text_pattern_ops so LIKE 'cdm%' uses them whatever the
// database's collation.
export class CustomerPinyin1795430000000 implements MigrationInterface {
  name = 'CustomerPinyin1795430000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "customers" ADD "name_pinyin" text NOT NULL DEFAULT '', ADD "name_initials" text NOT NULL DEFAULT ''`,
    );
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: { id: string; name: string }[] = await queryRunner.query(
        `SELECT id, name FROM customers WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) break;
      const keys = rows.map((r) => nameSearchKeys(r.name));
      // updated_at stays: nothing the client or a butler did changed.
      await queryRunner.query(
        `UPDATE customers c SET name_pinyin = k.pinyin, name_initials = k.initials
           FROM unnest($1::uuid[], $2::text[], $3::text[]) AS k(id, pinyin, initials)
          WHERE c.id = k.id`,
        [rows.map((r) => r.id), keys.map((k) => k.pinyin), keys.map((k) => k.initials)],
      );
      after = rows[rows.length - 1].id;
    }
    await queryRunner.query(
      `CREATE INDEX "IDX_customers_name_pinyin" ON "customers" ("name_pinyin" text_pattern_ops, "butler_id")
        WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_customers_name_initials" ON "customers" ("name_initials" text_pattern_ops, "butler_id")
        WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_customers_mobile_prefix" ON "customers" ("mobile" text_pattern_ops)
        WHERE deleted_at IS NULL AND mobile IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_customers_mobile_reversed" ON "customers" (reverse("mobile") text_pattern_ops)
        WHERE deleted_at IS NULL AND mobile IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_customers_mobile_reversed"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_customers_mobile_prefix"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_customers_name_initials"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_customers_name_pinyin"`);
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "name_initials", DROP COLUMN "name_pinyin"`);
  }
}
