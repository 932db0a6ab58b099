import { MigrationInterface, QueryRunner } from 'typeorm';

export class Platform1795344933194 implements MigrationInterface {
  name = 'Platform1795344933194';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."user_role" AS ENUM('admin', 'manager', 'butler')`);
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(254) NOT NULL, "name" character varying(100) NOT NULL, "role" "public"."user_role" NOT NULL, "manager_id" uuid, "active" boolean NOT NULL DEFAULT true, "password_hash" text NOT NULL, "last_login_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CK_users_team" CHECK ((role = 'butler') = (manager_id IS NOT NULL)), CONSTRAINT "PK_users" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_users_email" ON "users" ("email") `);
    await queryRunner.query(`CREATE INDEX "IDX_users_manager_id" ON "users" ("manager_id") `);
    await queryRunner.query(`CREATE TYPE "public"."message_status" AS ENUM('pending', 'sent', 'failed', 'skipped')`);
    await queryRunner.query(
      `CREATE TABLE "messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "key" character varying(200) NOT NULL, "purpose" character varying(40) NOT NULL, "channel" character varying(20) NOT NULL DEFAULT 'email', "customer_id" uuid, "campaign_id" uuid, "to_address" character varying(254), "template" character varying(100), "context" jsonb, "subject" text, "body_text" text, "body_html" text, "unsubscribe_url" text, "status" "public"."message_status" NOT NULL DEFAULT 'pending', "skip_reason" character varying(40), "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "provider_message_id" character varying(300), "scheduled_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_messages" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_messages_key" ON "messages" ("key") `);
    await queryRunner.query(`CREATE INDEX "IDX_messages_customer" ON "messages" ("customer_id", "created_at") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_messages_pending" ON "messages" ("scheduled_at") WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "FK_users_manager" FOREIGN KEY ("manager_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_users_manager"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_pending"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_customer"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_messages_key"`);
    await queryRunner.query(`DROP TABLE "messages"`);
    await queryRunner.query(`DROP TYPE "public"."message_status"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_users_manager_id"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_users_email"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TYPE "public"."user_role"`);
  }
}
