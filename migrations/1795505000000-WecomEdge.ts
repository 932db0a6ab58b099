import { MigrationInterface, QueryRunner } from 'typeorm';

// WeCom callbacks, sidebar and hand-over (issue 17, docs/wecom.md):
// - customers.wecom_removed_at: the client deleted their butler on WeCom (del_follow_user), a
//   churn-risk reason until they add a butler again (owner: libs/customers);
// - wecom_contact_events: each external-contact change WeCom reported, matched to a client or not
//   (the unmatched ones are the butler's to link), shown on the client's timeline (owner: libs/wecom);
// - wecom_transfers: each hand-over of a client's WeCom relationship (在职继承 / 离职继承) and its
//   result (owner: libs/wecom).
export class WecomEdge1795505000000 implements MigrationInterface {
  name = 'WecomEdge1795505000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "customers" ADD "wecom_removed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "IDX_customers_wecom_removed" ON "customers" ("wecom_removed_at") WHERE wecom_removed_at IS NOT NULL AND deleted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "wecom_contact_events" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "change_type" character varying(40) NOT NULL,
        "wecom_user_id" character varying(64) NOT NULL,
        "external_user_id" character varying(64) NOT NULL,
        "customer_id" uuid,
        "butler_id" uuid,
        "matched_by" character varying(20),
        "detail" jsonb NOT NULL DEFAULT '{}',
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_wecom_contact_events" PRIMARY KEY ("id"),
        CONSTRAINT "FK_wecom_contact_events_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE SET NULL,
        CONSTRAINT "FK_wecom_contact_events_butler" FOREIGN KEY ("butler_id") REFERENCES "users"("id") ON DELETE SET NULL
      )`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_wecom_contact_events_customer" ON "wecom_contact_events" ("customer_id", "occurred_at") WHERE customer_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_wecom_contact_events_unmatched" ON "wecom_contact_events" ("wecom_user_id", "external_user_id") WHERE customer_id IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "wecom_transfers" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "customer_id" uuid NOT NULL,
        "kind" character varying(10) NOT NULL,
        "from_butler_id" uuid NOT NULL,
        "to_butler_id" uuid NOT NULL,
        "handover_user_id" character varying(64),
        "takeover_user_id" character varying(64),
        "external_user_id" character varying(64),
        "status" character varying(12) NOT NULL,
        "reason" character varying(40),
        "errcode" integer,
        "errmsg" character varying(200),
        "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "takeover_at" TIMESTAMP WITH TIME ZONE,
        "checked_at" TIMESTAMP WITH TIME ZONE,
        "requested_by" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_wecom_transfers" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_wecom_transfers_kind" CHECK (kind IN ('on_job', 'resigned')),
        CONSTRAINT "CHK_wecom_transfers_status" CHECK (status IN ('queued', 'waiting', 'succeeded', 'failed', 'skipped')),
        CONSTRAINT "FK_wecom_transfers_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_wecom_transfers_from" FOREIGN KEY ("from_butler_id") REFERENCES "users"("id"),
        CONSTRAINT "FK_wecom_transfers_to" FOREIGN KEY ("to_butler_id") REFERENCES "users"("id")
      )`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_wecom_transfers_customer" ON "wecom_transfers" ("customer_id", "requested_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_wecom_transfers_waiting" ON "wecom_transfers" ("requested_at") WHERE status IN ('queued', 'waiting')`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_wecom_transfers_status" ON "wecom_transfers" ("status", "created_at", "id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "wecom_transfers"`);
    await queryRunner.query(`DROP TABLE "wecom_contact_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_customers_wecom_removed"`);
    await queryRunner.query(`ALTER TABLE "customers" DROP COLUMN "wecom_removed_at"`);
  }
}
