import { MigrationInterface, QueryRunner } from 'typeorm';

// Campaigns that ended before issue 16 with failed messages say so (the value was committed by
// the previous migration: PostgreSQL refuses a new enum value in the transaction that added it).
export class CampaignsCompletedWithFailures1795485100000 implements MigrationInterface {
  name = 'CampaignsCompletedWithFailures1795485100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE greeting_campaigns g SET status = 'completed_with_failures'
        WHERE g.status = 'completed'
          AND EXISTS (SELECT 1 FROM messages m WHERE m.campaign_id = g.id AND m.status = 'failed')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE greeting_campaigns SET status = 'completed' WHERE status = 'completed_with_failures'`,
    );
  }
}
