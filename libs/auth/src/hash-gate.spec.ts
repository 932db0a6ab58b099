import { AppError } from '@app/common';

import { HashGate } from './hash-gate';

describe('HashGate', () => {
  it('runs at most `concurrency` at once, queues the next ones in order, and refuses past the queue', async () => {
    const gate = new HashGate(2, 1);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const job = (n: number) =>
      gate.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        order.push(n);
        running--;
        return n;
      });
    const first = job(1);
    const second = job(2);
    const third = job(3);
    await expect(job(4)).rejects.toMatchObject({ kind: 'too_many', details: { code: 'LOGIN_BUSY' } });
    await expect(job(5)).rejects.toBeInstanceOf(AppError);
    await new Promise((r) => setImmediate(r));
    expect(releases).toHaveLength(2);
    releases.shift()!();
    expect(await first).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(releases).toHaveLength(2); // the queued third took the freed slot
    releases.splice(0).forEach((release) => release());
    expect(await Promise.all([second, third])).toEqual([2, 3]);
    expect(peak).toBe(2);
    expect(order).toEqual([1, 2, 3]);
    // A failed job frees its slot too.
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'free')).toBe('free');
  });
});
