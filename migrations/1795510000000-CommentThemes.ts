import { MigrationInterface, QueryRunner } from 'typeorm';

// What the comments say (issue 18): the themes of each client comment (a survey answer's comment,
// a case's summary), one row per theme with the client's stance, frozen to the butler the comment
// is about. A manager's correction replaces a comment's rows and is marked on them.
export class CommentThemes1795510000000 implements MigrationInterface {
  name = 'CommentThemes1795510000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "comment_themes" (
         "id" uuid NOT NULL DEFAULT gen_random_uuid(),
         "source" varchar(20) NOT NULL,
         "source_id" uuid NOT NULL,
         "customer_id" uuid NOT NULL,
         "butler_id" uuid,
         "commented_at" TIMESTAMP WITH TIME ZONE NOT NULL,
         "theme" varchar(20) NOT NULL,
         "polarity" varchar(10) NOT NULL,
         "corrected_by" uuid,
         "corrected_at" TIMESTAMP WITH TIME ZONE,
         "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         CONSTRAINT "PK_comment_themes" PRIMARY KEY ("id"),
         CONSTRAINT "UQ_comment_themes_source_theme" UNIQUE ("source", "source_id", "theme"),
         CONSTRAINT "CHK_comment_themes_source" CHECK ("source" IN ('survey', 'case')),
         CONSTRAINT "CHK_comment_themes_theme" CHECK ("theme" IN
           ('taste', 'packaging', 'delivery', 'price', 'authenticity', 'attitude', 'responsiveness', 'event', 'other')),
         CONSTRAINT "CHK_comment_themes_polarity" CHECK ("polarity" IN ('positive', 'negative', 'neutral')),
         CONSTRAINT "FK_comment_themes_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id")
           ON DELETE CASCADE,
         CONSTRAINT "FK_comment_themes_butler" FOREIGN KEY ("butler_id") REFERENCES "users"("id") ON DELETE SET NULL,
         CONSTRAINT "FK_comment_themes_corrected_by" FOREIGN KEY ("corrected_by") REFERENCES "users"("id")
           ON DELETE SET NULL
       )`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_comment_themes_time" ON "comment_themes" ("commented_at", "theme")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_comment_themes_butler_time" ON "comment_themes" ("butler_id", "commented_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "comment_themes"`);
  }
}
