import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// Every table has one owning library (docs/architecture.md): only the owner's code writes it;
// other features call the owner's service or listen to its events. This reads the sources for
// SQL that writes the most shared tables and names every file outside the owner that does.
const root = join(__dirname, '..');
const OWNERS: Record<string, string> = {
  customers: 'libs/customers',
  follow_ups: 'libs/follow-ups',
  cases: 'libs/after-sales',
  messages: 'libs/mail',
  survey_responses: 'libs/surveys',
  survey_programs: 'libs/surveys',
  survey_relationship_answers: 'libs/surveys',
  interactions: 'libs/interactions',
  comment_themes: 'libs/comment-themes',
  sla_escalations: 'libs/sla',
  customer_address_changes: 'libs/customers',
  sign_ins: 'libs/auth',
  webhook_endpoints: 'libs/webhooks',
  satisfaction_stats: 'libs/surveys',
};
// Demo and benchmark data are fixtures written in bulk (10M rows), not product writes.
const FIXTURES = 'libs/demo/';
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.spec\.ts$/.test(name) ? [relative(root, path)] : [];
  });
}

describe('table owners', () => {
  const files = [...sources(join(root, 'libs')), ...sources(join(root, 'apps'))].filter((f) => !f.startsWith(FIXTURES));
  const texts = new Map(files.map((f) => [f, readFileSync(join(root, f), 'utf8')]));

  it.each(Object.keys(OWNERS))('only its owner writes %s', (table) => {
    const writes = new RegExp(`\\b(INSERT INTO|UPDATE|DELETE FROM)\\s+${table}\\b`);
    const writers = files.filter((f) => writes.test(texts.get(f) as string) && !f.startsWith(`${OWNERS[table]}/`));
    expect(writers).toEqual([]);
  });

  // The contact log is written through the ORM: only InteractionsService.record creates its rows.
  it('only libs/interactions writes interactions through the ORM', () => {
    const writes = /\.(create|insert|update|delete|upsert|save)\(\s*InteractionEntity\b/;
    const writers = files.filter((f) => writes.test(texts.get(f) as string) && !f.startsWith('libs/interactions/'));
    expect(writers).toEqual([]);
    expect(files.filter((f) => writes.test(texts.get(f) as string))).toEqual([
      'libs/interactions/src/interactions.service.ts',
    ]);
  });

  it('reads the sources it means to (the owners write their tables)', () => {
    expect(
      files.filter((f) => /\bUPDATE\s+customers\b/.test(texts.get(f) as string) && f.startsWith('libs/customers/'))
        .length,
    ).toBeGreaterThan(0);
  });

  // One way to bind parameters (docs/architecture.md, "Writing SQL"): positional in raw SQL,
  // shared conditions as SqlFragments; never TypeORM's named-to-positional escape hatch, never a
  // string replace on the SQL.
  it('binds SQL parameters one way', () => {
    const other = files.filter((f) =>
      /escapeQueryWithParameters|sql\.replace\(|\.replace\(\/:\w+/.test(texts.get(f) as string),
    );
    expect(other).toEqual([]);
  });
});
