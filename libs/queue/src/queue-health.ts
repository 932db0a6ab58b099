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
