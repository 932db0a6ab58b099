// The date-sensitive tests (follow-ups, greetings, the morning round, surveys, reports and insights,
// the holiday calendar) run again under libfaketime: once with the clock 400 days on, once on a
// leap day. Tests set the app's Clock; this proves none of them, and no rule, reads another clock.
// Needs the `faketime` command (Debian package faketime; .ci/run installs it).
const { spawnSync } = require('node:child_process');

const FILES = [
  'follow-ups',
  'greetings',
  'campaigns',
  'daily-care',
  'surveys',
  'survey-programs',
  'holidays',
  'insights',
  'cases',
  'console-api',
];
const SHIFTS = process.argv.slice(2).length ? process.argv.slice(2) : ['+400d', '@2028-02-29 12:00:00'];

if (spawnSync('faketime', ['-f', '+0d', 'true']).status !== 0) {
  console.error('faketime is not installed: apt-get install -y faketime (or run .ci/run, which does).');
  process.exit(1);
}
for (const shift of SHIFTS) {
  console.log(`\n==> jest under faketime -f '${shift}': ${FILES.join(', ')}`);
  const pattern = `test/(${FILES.join('|')})[^/]*\\.e2e-spec\\.ts$`;
  const run = spawnSync(
    'faketime',
    [
      '-f',
      shift,
      process.execPath,
      require.resolve('jest/bin/jest'),
      '--selectProjects',
      'e2e',
      '--testPathPattern',
      pattern,
    ],
    {
      stdio: 'inherit',
    },
  );
  if (run.status !== 0) process.exit(run.status ?? 1);
}
