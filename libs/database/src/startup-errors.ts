import { isDatabaseUnavailable } from '@app/common';

// A URL as it may be printed: the password replaced.
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1:***@');
  }
}

// What a newcomer sees when `npm start` finds no PostgreSQL: one line saying which service, at
// which URL, and how to start it, instead of a stack trace. Null for any other error.
export function explainStartupError(error: unknown, databaseUrl: string): string | null {
  if (!isDatabaseUnavailable(error)) return null;
  const reason = error instanceof Error ? error.message : String(error);
  return (
    `PostgreSQL is not reachable at ${safeUrl(databaseUrl)} (${reason}). Start it: Debian/Ubuntu ` +
    '`sudo pg_ctlcluster $(ls /etc/postgresql) main start`, macOS `brew services start postgresql@16`, ' +
    'Docker `docker compose up -d postgres redis`; or set DATABASE_URL.'
  );
}

export function redisUnreachableWarning(redisUrl: string, reason: string): string {
  return (
    `Redis is not reachable at ${safeUrl(redisUrl)} (${reason}): the API works from PostgreSQL, but nothing is sent ` +
    'until it is. Start it: Debian/Ubuntu `sudo systemctl start redis-server` (or `redis-server --daemonize yes`), ' +
    'macOS `brew services start redis`, Docker `docker compose up -d redis`; or set REDIS_URL.'
  );
}
