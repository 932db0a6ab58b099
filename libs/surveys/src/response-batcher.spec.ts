import type { Pool } from 'pg';

import { PendingResponse, ResponseBatcher } from './response-batcher';

// A pool that records each statement's tokens and answers one row per token (`n` its position),
// failing any statement that holds a poisoned token.
function fakePool(poisoned: string[] = []) {
  const statements: string[][] = [];
  const pool = {
    query: async (config: { values: unknown[] }) => {
      const tokens = (config.values[0] as Buffer[]).map((b) => b.toString());
      statements.push(tokens);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (tokens.some((t) => poisoned.includes(t))) throw new Error('poisoned');
      return { rows: tokens.map((t, i) => ({ n: String(i + 1), id: t, response_id: `r-${t}` })) };
    },
  };
  return { pool: pool as unknown as Pool, statements };
}

const answer = (token: string): PendingResponse => ({
  tokenHash: Buffer.from(token),
  answers: {
    csat: 5,
    nps: 10,
    servqual: { reliability: 5, responsiveness: 5, assurance: 5, empathy: 5, tangibles: 5 },
    comment: '',
  },
  now: new Date('2026-11-22T08:00:00Z'),
});

describe('ResponseBatcher', () => {
  it('sends a lone answer at once and groups those that arrive while statements run', async () => {
    const { pool, statements } = fakePool();
    const batcher = new ResponseBatcher(() => pool);
    const tokens = Array.from({ length: 30 }, (_, i) => `t${i}`);
    const rows = await Promise.all(tokens.map((t) => batcher.record(answer(t))));
    expect(rows.map((r) => r?.response_id)).toEqual(tokens.map((t) => `r-${t}`));
    // The first goes alone at once; the other 29 wait for it and go together (one statement at a
    // time: they would queue on the summary's shared rows).
    expect(statements.map((s) => s.length)).toEqual([1, 29]);
  });

  it('never puts two answers to the same link in one statement', async () => {
    const { pool, statements } = fakePool();
    const batcher = new ResponseBatcher(() => pool);
    const burst = ['a', 'b', 'c', 'd', 'x', 'x', 'y', 'x'];
    await Promise.all(burst.map((t) => batcher.record(answer(t))));
    for (const s of statements) expect(new Set(s).size).toBe(s.length);
    expect(statements.flat().filter((t) => t === 'x')).toHaveLength(3);
  });

  it('retries a failed statement one answer at a time, so only the bad answer fails', async () => {
    const { pool, statements } = fakePool(['bad']);
    const batcher = new ResponseBatcher(() => pool);
    const burst = ['a', 'b', 'c', 'd', 'e', 'bad', 'f'];
    const results = await Promise.allSettled(burst.map((t) => batcher.record(answer(t))));
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(statements).toEqual([['a'], ['b', 'c', 'd', 'e', 'bad', 'f'], ['b'], ['c'], ['d'], ['e'], ['bad'], ['f']]);
  });
});
