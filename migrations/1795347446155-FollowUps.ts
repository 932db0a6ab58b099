import { MigrationInterface, QueryRunner } from 'typeorm';

export class FollowUps1795347446155 implements MigrationInterface {
  name = 'FollowUps1795347446155';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."interaction_kind" AS ENUM('follow_up', 'after_sales', 'greeting_reply', 'visit', 'call', 'wechat', 'tasting_event', 'other')`,
    );
    await queryRunner.query(
      `CREATE TABLE "interactions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "customer_id" uuid NOT NULL, "butler_id" uuid NOT NULL, "kind" "public"."interaction_kind" NOT NULL, "channel" character varying(20), "outcome" character varying(40), "summary" text NOT NULL DEFAULT '', "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "follow_up_id" uuid, "case_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_interactions" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_interactions_butler_time" ON "interactions" ("butler_id", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_interactions_customer_time" ON "interactions" ("customer_id", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."follow_up_kind" AS ENUM('post_purchase', 'manual', 'recovery', 'churn_risk')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."follow_up_status" AS ENUM('open', 'done', 'cancelled')`);
    await queryRunner.query(
      `CREATE TABLE "follow_ups" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "customer_id" uuid NOT NULL, "butler_id" uuid NOT NULL, "kind" "public"."follow_up_kind" NOT NULL, "title" character varying(100) NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" "public"."follow_up_status" NOT NULL DEFAULT 'open', "assigned_by" uuid, "purchase_id" uuid, "cadence_step" character varying(20), "note" text NOT NULL DEFAULT '', "outcome" character varying(40), "completed_at" TIMESTAMP WITH TIME ZONE, "interaction_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_follow_ups" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_follow_ups_customer" ON "follow_ups" ("customer_id", "due_at") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_follow_ups_butler_open" ON "follow_ups" ("butler_id", "due_at") WHERE status = 'open'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_follow_ups_purchase_step" ON "follow_ups" ("purchase_id", "cadence_step") WHERE purchase_id IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "interactions" ADD CONSTRAINT "FK_interactions_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "interactions" ADD CONSTRAINT "FK_interactions_butler" FOREIGN KEY ("butler_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "follow_ups" ADD CONSTRAINT "FK_follow_ups_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "follow_ups" ADD CONSTRAINT "FK_follow_ups_butler" FOREIGN KEY ("butler_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "follow_ups" DROP CONSTRAINT "FK_follow_ups_butler"`);
    await queryRunner.query(`ALTER TABLE "follow_ups" DROP CONSTRAINT "FK_follow_ups_customer"`);
    await queryRunner.query(`ALTER TABLE "interactions" DROP CONSTRAINT "FK_interactions_butler"`);
    await queryRunner.query(`ALTER TABLE "interactions" DROP CONSTRAINT "FK_interactions_customer"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_follow_ups_purchase_step"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_follow_ups_butler_open"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_follow_ups_customer"`);
    await queryRunner.query(`DROP TABLE "follow_ups"`);
    await queryRunner.query(`DROP TYPE "public"."follow_up_status"`);
    await queryRunner.query(`DROP TYPE "public"."follow_up_kind"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_interactions_customer_time"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_interactions_butler_time"`);
    await queryRunner.query(`DROP TABLE "interactions"`);
    await queryRunner.query(`DROP TYPE "public"."interaction_kind"`);
  }
}
