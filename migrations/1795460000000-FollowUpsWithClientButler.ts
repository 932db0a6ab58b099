import { MigrationInterface, QueryRunner } from 'typeorm';

// A follow-up goes only to its client's butler (issue 15): open follow-ups that an earlier
// reassignment left with another butler (seen on his 今日, while the client page was closed to him
// and the owner no longer saw the call) go back to the client's butler. Recovery tasks stay with
// the manager they were given to. The previous assignee is kept so `down` can put it back.
export class FollowUpsWithClientButler1795460000000 implements MigrationInterface {
  name = 'FollowUpsWithClientButler1795460000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "follow_ups_realigned_1795460000000" ("id" uuid PRIMARY KEY, "butler_id" uuid NOT NULL)`,
    );
    await queryRunner.query(
      `INSERT INTO "follow_ups_realigned_1795460000000" (id, butler_id)
         SELECT f.id, f.butler_id FROM follow_ups f JOIN customers c ON c.id = f.customer_id
          WHERE f.status = 'open' AND f.kind <> 'recovery' AND f.butler_id <> c.butler_id`,
    );
    await queryRunner.query(
      `UPDATE follow_ups f SET butler_id = c.butler_id, updated_at = now()
         FROM customers c, "follow_ups_realigned_1795460000000" r
        WHERE r.id = f.id AND c.id = f.customer_id`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE follow_ups f SET butler_id = r.butler_id FROM "follow_ups_realigned_1795460000000" r WHERE r.id = f.id`,
    );
    await queryRunner.query(`DROP TABLE "follow_ups_realigned_1795460000000"`);
  }
}
