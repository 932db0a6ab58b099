import { MigrationInterface, QueryRunner } from 'typeorm';

export class ClientBook1795346535029 implements MigrationInterface {
  name = 'ClientBook1795346535029';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."gender" AS ENUM('male', 'female', 'other')`);
    await queryRunner.query(`CREATE TYPE "public"."birthday_calendar" AS ENUM('solar', 'lunar')`);
    await queryRunner.query(`CREATE TYPE "public"."customer_tier" AS ENUM('regular', 'silver', 'gold', 'black')`);
    await queryRunner.query(
      `CREATE TABLE "customers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(100) COLLATE "zh-x-icu" NOT NULL, "mobile" character varying(11), "email" character varying(254), "gender" "public"."gender", "birthday_calendar" "public"."birthday_calendar", "birthday_year" smallint, "birthday_month" smallint, "birthday_day" smallint, "birthday_leap_month" boolean NOT NULL DEFAULT false, "city" character varying(50), "tier" "public"."customer_tier" NOT NULL DEFAULT 'regular', "tags" text array NOT NULL DEFAULT '{}', "butler_id" uuid NOT NULL, "consent_greetings" boolean NOT NULL DEFAULT false, "consent_surveys" boolean NOT NULL DEFAULT false, "consent_updated_at" TIMESTAMP WITH TIME ZONE, "consent_source" character varying(40), "notes" text NOT NULL DEFAULT '', "last_purchase_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "CK_customers_birthday_leap" CHECK (NOT birthday_leap_month OR birthday_calendar = 'lunar'), CONSTRAINT "CK_customers_birthday" CHECK ((birthday_calendar IS NULL) = (birthday_month IS NULL) AND (birthday_month IS NULL) = (birthday_day IS NULL)), CONSTRAINT "PK_customers" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_customers_last_purchase" ON "customers" ("last_purchase_at") WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_customers_butler_name" ON "customers" ("butler_id", "name") WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_customers_mobile" ON "customers" ("mobile") WHERE deleted_at IS NULL AND mobile IS NOT NULL`,
    );
    // Written by hand: TypeORM cannot express a GIN index (the entity marks it synchronize: false).
    await queryRunner.query(`CREATE INDEX "IDX_customers_tags" ON "customers" USING GIN ("tags")`);
    await queryRunner.query(
      `CREATE TABLE "taste_profiles" ("customer_id" uuid NOT NULL, "aromas" jsonb NOT NULL DEFAULT '[]', "abv_min" numeric(4,1), "abv_max" numeric(4,1), "price_min_fen" integer, "price_max_fen" integer, "brands" text array NOT NULL DEFAULT '{}', "occasions" text array NOT NULL DEFAULT '{}', "notes" text NOT NULL DEFAULT '', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_taste_profiles" PRIMARY KEY ("customer_id"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."aroma_type" AS ENUM('jiang', 'nong', 'qing', 'mi', 'feng', 'jian', 'zhima', 'te', 'chi', 'yao', 'laobaigan', 'fuyu')`,
    );
    await queryRunner.query(
      `CREATE TABLE "products" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "sku" character varying(64) NOT NULL, "name" character varying(200) NOT NULL, "brand" character varying(100) NOT NULL, "series" character varying(100), "aroma" "public"."aroma_type" NOT NULL, "abv" numeric(4,1) NOT NULL, "volume_ml" integer NOT NULL, "price_fen" integer NOT NULL, "vintage" smallint, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_products_volume" CHECK (volume_ml > 0), CONSTRAINT "CK_products_abv" CHECK (abv > 0 AND abv <= 100), CONSTRAINT "CK_products_price" CHECK (price_fen >= 0), CONSTRAINT "PK_products" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_products_sku" ON "products" ("sku") `);
    await queryRunner.query(`CREATE INDEX "IDX_products_brand" ON "products" ("brand") `);
    await queryRunner.query(`CREATE INDEX "IDX_products_active_aroma" ON "products" ("aroma") WHERE active`);
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "actor_id" uuid, "action" character varying(40) NOT NULL, "entity_type" character varying(40) NOT NULL, "entity_id" uuid NOT NULL, "changes" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_audit_log" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_audit_log_entity" ON "audit_log" ("entity_type", "entity_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."purchase_channel" AS ENUM('store', 'wechat', 'phone', 'event', 'online', 'other')`,
    );
    await queryRunner.query(
      `CREATE TABLE "purchases" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "customer_id" uuid NOT NULL, "butler_id" uuid NOT NULL, "order_ref" character varying(64) NOT NULL, "channel" "public"."purchase_channel" NOT NULL, "purchased_at" TIMESTAMP WITH TIME ZONE NOT NULL, "total_fen" bigint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_purchases_total" CHECK (total_fen >= 0), CONSTRAINT "PK_purchases" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_purchases_butler" ON "purchases" ("butler_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_purchases_order_ref" ON "purchases" ("order_ref") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_purchases_customer_time" ON "purchases" ("customer_id", "purchased_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "purchase_items" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "purchase_id" uuid NOT NULL, "product_id" uuid NOT NULL, "quantity" integer NOT NULL, "unit_price_fen" integer NOT NULL, "line_total_fen" bigint NOT NULL, CONSTRAINT "CK_purchase_items_price" CHECK (unit_price_fen >= 0), CONSTRAINT "CK_purchase_items_quantity" CHECK (quantity > 0), CONSTRAINT "PK_purchase_items" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_purchase_items_purchase" ON "purchase_items" ("purchase_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_purchase_items_product" ON "purchase_items" ("product_id") `);
    await queryRunner.query(
      `ALTER TABLE "customers" ADD CONSTRAINT "FK_customers_butler" FOREIGN KEY ("butler_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "taste_profiles" ADD CONSTRAINT "FK_taste_profiles_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "purchases" ADD CONSTRAINT "FK_purchases_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "purchases" ADD CONSTRAINT "FK_purchases_butler" FOREIGN KEY ("butler_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "purchase_items" ADD CONSTRAINT "FK_purchase_items_purchase" FOREIGN KEY ("purchase_id") REFERENCES "purchases"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "purchase_items" ADD CONSTRAINT "FK_purchase_items_product" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "purchase_items" DROP CONSTRAINT "FK_purchase_items_product"`);
    await queryRunner.query(`ALTER TABLE "purchase_items" DROP CONSTRAINT "FK_purchase_items_purchase"`);
    await queryRunner.query(`ALTER TABLE "purchases" DROP CONSTRAINT "FK_purchases_butler"`);
    await queryRunner.query(`ALTER TABLE "purchases" DROP CONSTRAINT "FK_purchases_customer"`);
    await queryRunner.query(`ALTER TABLE "taste_profiles" DROP CONSTRAINT "FK_taste_profiles_customer"`);
    await queryRunner.query(`ALTER TABLE "customers" DROP CONSTRAINT "FK_customers_butler"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_purchase_items_product"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_purchase_items_purchase"`);
    await queryRunner.query(`DROP TABLE "purchase_items"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_purchases_customer_time"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_purchases_order_ref"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_purchases_butler"`);
    await queryRunner.query(`DROP TABLE "purchases"`);
    await queryRunner.query(`DROP TYPE "public"."purchase_channel"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_audit_log_entity"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_products_active_aroma"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_products_brand"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_products_sku"`);
    await queryRunner.query(`DROP TABLE "products"`);
    await queryRunner.query(`DROP TYPE "public"."aroma_type"`);
    await queryRunner.query(`DROP TABLE "taste_profiles"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_customers_tags"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_customers_mobile"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_customers_butler_name"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_customers_last_purchase"`);
    await queryRunner.query(`DROP TABLE "customers"`);
    await queryRunner.query(`DROP TYPE "public"."customer_tier"`);
    await queryRunner.query(`DROP TYPE "public"."birthday_calendar"`);
    await queryRunner.query(`DROP TYPE "public"."gender"`);
  }
}
