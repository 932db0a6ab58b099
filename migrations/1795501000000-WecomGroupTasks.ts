import { MigrationInterface, QueryRunner } from 'typeorm';

// WeCom 群发 tasks (issue 17): one row per add_msg_template call (one butler, many clients), its
// msgid at WeCom, and what the send-result poller learnt. Messages point at their task through
// messages.provider_message_id (= msgid). A message's WeCom outcome is its delivery_status:
// unconfirmed (the butler has not pressed 发送 yet), delivered, or undelivered.
export class WecomGroupTasks1795501000000 implements MigrationInterface {
  name = 'WecomGroupTasks1795501000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "wecom_group_tasks" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "msgid" character varying(128) NOT NULL,
        "butler_id" uuid NOT NULL,
        "sender" character varying(64) NOT NULL,
        "purpose" character varying(40) NOT NULL,
        "campaign_id" uuid,
        "label" character varying(100) NOT NULL,
        "client_count" integer NOT NULL,
        "status" character varying(20) NOT NULL DEFAULT 'unconfirmed',
        "delivered_count" integer NOT NULL DEFAULT 0,
        "undelivered_count" integer NOT NULL DEFAULT 0,
        "confirmed_at" TIMESTAMP WITH TIME ZONE,
        "polled_at" TIMESTAMP WITH TIME ZONE,
        "reminders" integer NOT NULL DEFAULT 0,
        "reminded_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_wecom_group_tasks" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_wecom_group_tasks_msgid" UNIQUE ("msgid"),
        CONSTRAINT "FK_wecom_group_tasks_butler" FOREIGN KEY ("butler_id") REFERENCES "users"("id") ON DELETE RESTRICT,
        CONSTRAINT "CK_wecom_group_tasks_status" CHECK (status IN ('unconfirmed', 'sent', 'cancelled')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_wecom_group_tasks_open" ON "wecom_group_tasks" ("butler_id", "created_at")
        WHERE status = 'unconfirmed'`,
    );
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "CK_messages_delivery_status"`);
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "CK_messages_delivery_status"
        CHECK (delivery_status IN ('delivered', 'undelivered', 'unconfirmed'))`,
    );
    // The month's WeCom messages of a client (the 4-a-month limit) and a task's messages.
    await queryRunner.query(
      `CREATE INDEX "IDX_messages_wecom_sent" ON "messages" ("customer_id", "sent_at")
        WHERE channel = 'wecom' AND status IN ('sending', 'sent')`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_messages_wecom_task" ON "messages" ("provider_message_id") WHERE channel = 'wecom'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_wecom_task"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_wecom_sent"`);
    await queryRunner.query(`UPDATE messages SET delivery_status = NULL WHERE delivery_status = 'unconfirmed'`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "CK_messages_delivery_status"`);
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "CK_messages_delivery_status"
        CHECK (delivery_status IN ('delivered', 'undelivered'))`,
    );
    await queryRunner.query(`DROP INDEX "public"."IDX_wecom_group_tasks_open"`);
    await queryRunner.query(`DROP TABLE "wecom_group_tasks"`);
  }
}
