import { MigrationInterface, QueryRunner } from 'typeorm';

export class InsightsIndexes1795348499295 implements MigrationInterface {
  name = 'InsightsIndexes1795348499295';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // RFM percent ranks (range counts on the client statistics) and the co-purchase sample
    // (orders per product, index only). Declared in libs/insights/src/entities/insights-indexes.entity.ts.
    await queryRunner.query(
      `CREATE INDEX "IDX_customers_rfm_frequency" ON "customers" ("purchase_count") WHERE deleted_at IS NULL AND purchase_count > 0`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_customers_rfm_monetary" ON "customers" ("total_spent_fen") WHERE deleted_at IS NULL AND purchase_count > 0`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_purchase_items_product_purchase" ON "purchase_items" ("product_id", "purchase_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_purchase_items_product_purchase"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_customers_rfm_monetary"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_customers_rfm_frequency"`);
  }
}
