import { MigrationInterface, QueryRunner } from 'typeorm';

export class CustomerPurchaseStats1795346981837 implements MigrationInterface {
  name = 'CustomerPurchaseStats1795346981837';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "customers" ADD "first_purchase_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "customers" ADD "purchase_count" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "customers" ADD "total_spent_fen" bigint NOT NULL DEFAULT '0'`);

    // Existing purchases (the demo seed) fill the statistics once.
    await queryRunner.query(
      `UPDATE "customers" c SET "purchase_count" = p.n, "total_spent_fen" = p.total, "first_purchase_at" = p.first, "last_purchase_at" = p.last FROM (SELECT customer_id, count(*) AS n, sum(total_fen) AS total, min(purchased_at) AS first, max(purchased_at) AS last FROM "purchases" GROUP BY customer_id) p WHERE p.customer_id = c.id`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "total_spent_fen"`);
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "purchase_count"`);
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "first_purchase_at"`);
  }
}
