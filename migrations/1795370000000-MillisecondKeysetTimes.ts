import { MigrationInterface, QueryRunner } from 'typeorm';

// The times lists page by are kept at millisecond precision, the precision the API writes them
// in (ISO 8601 from JavaScript) and so the precision a cursor carries back. At microseconds, rows
// whose times differ only below a millisecond (one statement's or one transaction's rows, or now()
// in SQL) were skipped between pages: the next page asked for times below the rounded-down cursor.
// The timeline is a union over many tables and truncates in its query instead.
const COLUMNS: [table: string, column: string][] = [
  ['purchases', 'purchased_at'],
  ['customers', 'first_purchase_at'],
  ['customers', 'last_purchase_at'],
  ['follow_ups', 'due_at'],
  ['cases', 'opened_at'],
  ['survey_responses', 'responded_at'],
];

export class MillisecondKeysetTimes1795370000000 implements MigrationInterface {
  name = 'MillisecondKeysetTimes1795370000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [table, column] of COLUMNS) {
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "${column}" TYPE TIMESTAMP(3) WITH TIME ZONE`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, column] of COLUMNS) {
      await queryRunner.query(`ALTER TABLE "${table}" ALTER COLUMN "${column}" TYPE TIMESTAMP WITH TIME ZONE`);
    }
  }
}
