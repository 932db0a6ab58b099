import { Logger } from '@nestjs/common';

import { AppConfig, loadConfig } from '@app/config';
import { LimitsRedis } from '@app/queue';

import { ChannelCircuit } from './channel-circuit';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The circuit with Redis away (its connection closed before first use: every command fails at
// once): each process keeps its own, and it behaves as the shared one does (the e2e tests cover it
// with Redis, across processes).
describe('ChannelCircuit without Redis', () => {
  let redis: LimitsRedis;
  let circuit: ChannelCircuit;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const config = new AppConfig(
      loadConfig({ REDIS_URL: 'redis://127.0.0.1:1', OUTBOX_PROBE_MS: '100', OUTBOX_MAX_OUTAGE: '1s' }),
    );
    redis = new LimitsRedis(config);
    redis.client.disconnect();
    circuit = new ChannelCircuit(redis, config);
  });
  afterEach(() => jest.restoreAllMocks());

  it('lets everything through while closed', async () => {
    expect(await circuit.gate('email')).toEqual({ pass: true, probe: false });
  });

  it('pauses a channel after an outage, lets one probe through per interval, and closes on an answer', async () => {
    const outage = await circuit.reportOutage('email', 'connect ECONNREFUSED 127.0.0.1:25');
    expect(outage).toMatchObject({ state: 'open', reason: 'connect ECONNREFUSED 127.0.0.1:25' });
    expect(await circuit.gate('email')).toMatchObject({ pass: false, outage: { since: outage.since } });
    // Another channel is not affected.
    expect(await circuit.gate('sms')).toEqual({ pass: true, probe: false });
    await sleep(120);
    expect(await circuit.gate('email')).toEqual({ pass: true, probe: true });
    expect((await circuit.gate('email')).pass).toBe(false);
    // The probe found the provider down again: still open since the first report.
    expect((await circuit.reportOutage('email', 'timeout')).since).toBe(outage.since);
    await circuit.reportReachable('email');
    expect(await circuit.gate('email')).toEqual({ pass: true, probe: false });
  });

  it('counts a message overdue only once it has waited OUTBOX_MAX_OUTAGE, from the later of outage and due time', () => {
    const now = Date.now();
    const outage = { state: 'open' as const, since: new Date(now - 5_000).toISOString(), reason: 'x' };
    expect(circuit.overdue(outage, new Date(now - 10_000))).toBe(true);
    expect(circuit.overdue(outage, new Date(now - 500))).toBe(false);
    expect(circuit.overdue({ ...outage, since: new Date(now - 200).toISOString() }, new Date(now - 10_000))).toBe(
      false,
    );
  });
});
