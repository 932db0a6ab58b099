import { MigrationInterface, QueryRunner } from 'typeorm';

// Outbound webhooks (issue 18 part 6): the endpoints an admin configured (URL, the events chosen,
// the signing secret sealed with SETTINGS_ENCRYPTION_KEY). Deliveries are outbox messages
// (purpose 'webhook', channel 'webhook'); the delivery log reads them newest first by this index.
export class Webhooks1795540000000 implements MigrationInterface {
  name = 'Webhooks1795540000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "webhook_endpoints" (
         "id" uuid NOT NULL DEFAULT gen_random_uuid(),
         "url" varchar(254) NOT NULL,
         "description" varchar(100) NOT NULL DEFAULT '',
         "events" text[] NOT NULL,
         "secret_sealed" text NOT NULL,
         "active" boolean NOT NULL DEFAULT true,
         "created_by" uuid,
         "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         CONSTRAINT "PK_webhook_endpoints" PRIMARY KEY ("id"),
         CONSTRAINT "CHK_webhook_endpoints_events" CHECK (
           cardinality("events") > 0 AND "events" <@ ARRAY['survey.answered', 'survey.detractor', 'case.changed']::text[]),
         CONSTRAINT "FK_webhook_endpoints_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id")
           ON DELETE SET NULL
       )`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_messages_webhook" ON "messages" ("created_at", "id") WHERE purpose = 'webhook'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_messages_webhook"`);
    await queryRunner.query(`DROP TABLE "webhook_endpoints"`);
  }
}
