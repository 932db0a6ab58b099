import type { Queue } from 'bullmq';

// Producers fail fast: when the queue's Redis connection is not ready they do not wait for it.
// PostgreSQL already holds the work, and the outbox reconciler queues it once Redis is back.
export async function queueReady(queue: Queue): Promise<boolean> {
  const client = await Promise.race([queue.client, new Promise<null>((r) => setTimeout(() => r(null), 200))]);
  return client !== null && client.status === 'ready';
}

export async function pingRedis(queue: Queue, timeoutMs = 1000): Promise<void> {
  if (!(await queueReady(queue))) throw new Error('Redis connection is not ready');
  const client = await queue.client;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.get('health:probe'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('Redis ping timed out')), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

// How long a request waits for Redis to take a job after its data committed. Queue clients retry
// forever (BullMQ needs it), so a Redis that accepts connections but never answers would hold the
// request; past this the job is left to the reconcilers (same job id: no duplicate if the first
// add lands after all).
export const QUEUE_ADD_TIMEOUT_MS = 2_000;

export async function withinQueueTimeout<T>(adding: Promise<T>, timeoutMs = QUEUE_ADD_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      adding,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

// At start: can Redis be reached at all? A short-lived connection of its own; the reason if not.
export async function redisUnreachable(url: string, timeoutMs = 1500): Promise<string | null> {
  const { Redis } = await import('ioredis');
  const { redisOptionsFromUrl } = await import('./redis-options');
  const client = new Redis({
    ...redisOptionsFromUrl(url),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    client.disconnect();
  }
}
