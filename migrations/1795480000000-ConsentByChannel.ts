import { MigrationInterface, QueryRunner } from 'typeorm';

const PURPOSES = ['greetings', 'surveys'] as const;
const CHANNELS = ['email', 'sms', 'wecom'] as const;
const COLUMNS = PURPOSES.flatMap((p) =>
  CHANNELS.map((ch) => ({ purpose: p, channel: ch, column: `consent_${p}_${ch}` })),
);

// Consent per purpose and channel (issue 16, docs/channels.md "Channels and consent").
// - customers gains consent_<purpose>_<channel> (what planning statements read, one row, no join) and
//   preferred_channel.
// - customer_consents is the record PIPL asks for: per client, purpose and channel, whether consent
//   is given, when and how (source) it was last given or withdrawn.
// - consent_greetings / consent_surveys stay, meaning "on any channel". One trigger keeps them and the
//   channel columns equal, so every writer of the old columns (CSV import, seeds, fixtures) keeps
//   working: a yes without a channel is a yes to email (what it always meant), a no withdraws every
//   channel. Another records each change of a channel column in customer_consents, stamped with the
//   row's consent_updated_at and consent_source.
// - Existing consent becomes consent on email only: every message so far went by email, and a yes to
//   an email greeting is no yes to an SMS (the safest reading under PIPL).
export class ConsentByChannel1795480000000 implements MigrationInterface {
  name = 'ConsentByChannel1795480000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "customers" ${COLUMNS.map((c) => `ADD "${c.column}" boolean NOT NULL DEFAULT false`).join(', ')},
         ADD "preferred_channel" character varying(10),
         ADD CONSTRAINT "CHK_customers_preferred_channel" CHECK (preferred_channel IN ('email', 'sms', 'wecom'))`,
    );
    await queryRunner.query(
      `UPDATE "customers" SET consent_greetings_email = consent_greetings, consent_surveys_email = consent_surveys
        WHERE consent_greetings OR consent_surveys`,
    );
    await queryRunner.query(
      `CREATE TABLE "customer_consents" (
         "customer_id" uuid NOT NULL,
         "purpose" character varying(20) NOT NULL,
         "channel" character varying(10) NOT NULL,
         "granted" boolean NOT NULL,
         "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
         "source" character varying(40),
         CONSTRAINT "PK_customer_consents" PRIMARY KEY ("customer_id", "purpose", "channel"),
         CONSTRAINT "CHK_customer_consents_purpose" CHECK (purpose IN ('greetings', 'surveys')),
         CONSTRAINT "CHK_customer_consents_channel" CHECK (channel IN ('email', 'sms', 'wecom')),
         CONSTRAINT "FK_customer_consents_customer" FOREIGN KEY ("customer_id") REFERENCES "customers"("id")
           ON DELETE CASCADE)`,
    );
    // The answers already recorded, as answers on email.
    await queryRunner.query(
      `INSERT INTO "customer_consents" (customer_id, purpose, channel, granted, updated_at, source)
       SELECT c.id, v.purpose, 'email', v.granted, COALESCE(c.consent_updated_at, c.created_at), c.consent_source
         FROM customers c
        CROSS JOIN LATERAL (VALUES ('greetings', c.consent_greetings), ('surveys', c.consent_surveys)) v(purpose, granted)
        WHERE c.consent_updated_at IS NOT NULL OR v.granted`,
    );

    const any = (p: string, row: string) => CHANNELS.map((ch) => `${row}.consent_${p}_${ch}`).join(' OR ');
    const tuple = (p: string, row: string) => `(${CHANNELS.map((ch) => `${row}.consent_${p}_${ch}`).join(', ')})`;
    const sync = (p: string) => `
      IF TG_OP = 'INSERT' THEN
        IF NEW.consent_${p} AND NOT (${any(p, 'NEW')}) THEN NEW.consent_${p}_email := true; END IF;
        NEW.consent_${p} := ${any(p, 'NEW')};
      ELSIF ${tuple(p, 'NEW')} IS DISTINCT FROM ${tuple(p, 'OLD')} THEN
        NEW.consent_${p} := ${any(p, 'NEW')};
      ELSIF NEW.consent_${p} IS DISTINCT FROM OLD.consent_${p} THEN
        NEW.consent_${p}_email := NEW.consent_${p};
        IF NOT NEW.consent_${p} THEN ${CHANNELS.filter((ch) => ch !== 'email')
          .map((ch) => `NEW.consent_${p}_${ch} := false;`)
          .join(' ')} END IF;
      END IF;`;
    await queryRunner.query(
      `CREATE FUNCTION customers_consent_sync() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         ${PURPOSES.map(sync).join('\n')}
         RETURN NEW;
       END $$`,
    );
    const consentColumns = ['consent_greetings', 'consent_surveys', ...COLUMNS.map((c) => c.column)];
    await queryRunner.query(
      `CREATE TRIGGER customers_consent_sync BEFORE INSERT OR UPDATE OF ${consentColumns.join(', ')}
         ON customers FOR EACH ROW EXECUTE FUNCTION customers_consent_sync()`,
    );

    const values = (row: string, old?: string) =>
      COLUMNS.map(
        (c) => `('${c.purpose}', '${c.channel}', ${row}.${c.column}${old ? `, ${old}.${c.column}` : ''})`,
      ).join(', ');
    // A new client: the channels consent was given on (a no is the default, recorded once it changes).
    // Statement-level, so a COPY of a million clients records them in one INSERT.
    await queryRunner.query(
      `CREATE FUNCTION customers_consent_record_new() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO customer_consents (customer_id, purpose, channel, granted, updated_at, source)
         SELECT n.id, v.purpose, v.channel, true, COALESCE(n.consent_updated_at, now()), n.consent_source
           FROM new_rows n CROSS JOIN LATERAL (VALUES ${values('n')}) v(purpose, channel, granted)
          WHERE v.granted
         ON CONFLICT DO NOTHING;
         RETURN NULL;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER customers_consent_record_new AFTER INSERT ON customers
         REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customers_consent_record_new()`,
    );
    await queryRunner.query(
      `CREATE FUNCTION customers_consent_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO customer_consents (customer_id, purpose, channel, granted, updated_at, source)
         SELECT NEW.id, v.purpose, v.channel, v.granted, COALESCE(NEW.consent_updated_at, now()), NEW.consent_source
           FROM (VALUES ${values('NEW', 'OLD')}) v(purpose, channel, granted, was)
          WHERE v.granted IS DISTINCT FROM v.was
         ON CONFLICT (customer_id, purpose, channel)
           DO UPDATE SET granted = EXCLUDED.granted, updated_at = EXCLUDED.updated_at, source = EXCLUDED.source;
         RETURN NULL;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER customers_consent_record_change AFTER UPDATE OF ${consentColumns.join(', ')}
         ON customers FOR EACH ROW EXECUTE FUNCTION customers_consent_record_change()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER customers_consent_record_change ON customers`);
    await queryRunner.query(`DROP TRIGGER customers_consent_record_new ON customers`);
    await queryRunner.query(`DROP TRIGGER customers_consent_sync ON customers`);
    await queryRunner.query(`DROP FUNCTION customers_consent_record_change()`);
    await queryRunner.query(`DROP FUNCTION customers_consent_record_new()`);
    await queryRunner.query(`DROP FUNCTION customers_consent_sync()`);
    await queryRunner.query(`DROP TABLE "customer_consents"`);
    // Back to what the old columns meant: consent to email.
    await queryRunner.query(
      `UPDATE "customers" SET consent_greetings = consent_greetings_email, consent_surveys = consent_surveys_email
        WHERE (consent_greetings, consent_surveys) IS DISTINCT FROM (consent_greetings_email, consent_surveys_email)`,
    );
    await queryRunner.query(
      `ALTER TABLE "customers" DROP CONSTRAINT "CHK_customers_preferred_channel", DROP COLUMN "preferred_channel",
         ${COLUMNS.map((c) => `DROP COLUMN "${c.column}"`).join(', ')}`,
    );
  }
}
