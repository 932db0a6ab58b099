import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// SQL lives in `<feature>.repository.ts` files (docs/architecture.md, "Writing SQL"): services,
// controllers, listeners and processors use TypeORM's Repository<T> for simple reads and writes
// and call their library's repository for anything else. This reads the sources and names every
// `.query(` or `createQueryBuilder(` outside a repository file.
const root = join(__dirname, '..');
// Exempt: infrastructure, not features — preparing the database (the migrations runner) and the
// demo and benchmark seed scripts (bulk fixtures); and the survey answers' batch writer, a hot
// path whose one prepared statement sits with the batching it serves (docs/architecture.md).
// (`src/sql.ts` modules hold SQL text lent to other owners, not calls; they need no exemption.)
const EXEMPT = ['libs/database/src/prepare-database.ts', 'libs/demo/src/', 'libs/surveys/src/response-batcher.ts'];
// `.query(`, `.query<Row>(` (pg's pool), `createQueryBuilder(`.
const SQL_CALL = /\.query(<[^(]*>)?\(|createQueryBuilder\(/;
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.spec\.ts$/.test(name) ? [relative(root, path)] : [];
  });
}

describe('SQL placement', () => {
  const files = [...sources(join(root, 'libs')), ...sources(join(root, 'apps'))];

  it('writes SQL only in repository files', () => {
    const misplaced = files
      .filter((f) => !f.endsWith('.repository.ts') && !EXEMPT.some((e) => f.startsWith(e)))
      .flatMap((f) =>
        readFileSync(join(root, f), 'utf8')
          .split('\n')
          .flatMap((line, i) => (SQL_CALL.test(line) ? [`${f}:${i + 1}`] : [])),
      );
    expect(misplaced).toEqual([]);
  });

  it('reads the sources it means to (repositories hold SQL)', () => {
    const repositories = files.filter((f) => f.endsWith('.repository.ts'));
    expect(repositories.length).toBeGreaterThan(3);
    expect(repositories.every((f) => SQL_CALL.test(readFileSync(join(root, f), 'utf8')))).toBe(true);
  });
});
