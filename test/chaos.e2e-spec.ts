import { spawn } from 'node:child_process';
import { join } from 'node:path';

// The short chaos run (`npm run chaos -- --short`) as a user runs it: its own Redis, SMTP sink,
// API and worker processes and scratch database, faults injected mid-campaign, and every check
// (exactly one greeting per consenting client, purchases' follow-ups, surveys counted once, no
// failed request but clear 503s while Redis is down, flat memory) passing. It reads none of the
// TEST_* environment this suite's setup exports: everything it needs it starts itself.
const root = join(__dirname, '..');

describe('chaos (short run)', () => {
  it(
    'loses nothing and sends nothing twice while Redis crashes, ' +
      'a worker is SIGKILLed and the SMTP server refuses 20%',
    async () => {
      const child = spawn(process.execPath, [join(root, 'scripts', 'chaos.js'), '--short'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      if (code !== 0) console.error(`chaos --short exited with ${code}\n${stdout}\n${stderr}`);
      expect(code).toBe(0);
      expect(stdout).toContain('All checks passed.');
      expect(stdout).toMatch(/\| greetings: every consenting client with an email got exactly one .*\| yes \|/);
      // Cleaned up after itself: its scratch database and its processes are gone.
      expect(stderr).not.toContain('cleanup: could not');
    },
    300_000,
  );
});
