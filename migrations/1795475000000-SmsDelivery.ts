import { MigrationInterface, QueryRunner } from 'typeorm';

// SMS (issue 16): what the provider's delivery receipt said about a sent message (delivered or
// undelivered, when, and the carrier's code), and an index for the per-number daily SMS cap.
export class SmsDelivery1795475000000 implements MigrationInterface {
  name = 'SmsDelivery1795475000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "messages" ADD "delivery_status" character varying(20),
         ADD "delivered_at" TIMESTAMP WITH TIME ZONE, ADD "delivery_error" character varying(100),
         ADD CONSTRAINT "CK_messages_delivery_status" CHECK (delivery_status IN ('delivered', 'undelivered'))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_messages_sms_sent" ON "messages" ("to_address", "sent_at")
        WHERE channel = 'sms' AND status = 'sent'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_messages_sms_sent"`);
    await queryRunner.query(
      `ALTER TABLE "messages" DROP CONSTRAINT "CK_messages_delivery_status", DROP COLUMN "delivery_error",
         DROP COLUMN "delivered_at", DROP COLUMN "delivery_status"`,
    );
  }
}
