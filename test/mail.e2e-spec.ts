import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';

import { MailSenderService, OutboxReconciler, OutboxService } from '@app/mail';
import { QUEUES } from '@app/queue';

import { SmtpSink } from './support/smtp-sink';
import { bootApp, eventually, TestApp } from './support/test-app';

const address = (label: string) => `${label}-${randomUUID().slice(0, 8)}@client.test`;

describe('mail through the outbox and a real SMTP server', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let admin: string;

  const messageRow = async (id: string) =>
    (await t.db.query('SELECT status, attempts, last_error, sent_at FROM messages WHERE id = $1', [id]))[0];

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await bootApp({ withWorkers: true, env: { SMTP_URL: sink.url } });
    admin = await t.adminToken();
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('delivers an admin test email in Chinese, once, and marks it sent', async () => {
    const to = address('ops');
    const res = await t.as(admin).post('/api/v1/admin/test-email', { to });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'pending', queued: true, toAddress: to });
    await eventually(
      () => messageRow(res.body.id),
      (row) => row.status === 'sent',
    );
    const mails = sink.to(to);
    expect(mails).toHaveLength(1);
    expect(mails[0].parsed.subject).toBe('白酒管家 · 测试邮件');
    expect(mails[0].parsed.text).toContain('测试邮件');
    expect(mails[0].parsed.html).toContain('<p>');
    expect(mails[0].parsed.messageId).toBe(`<${res.body.id}@butler-crm.local>`);
  });

  it('refuses the test email to non-admins and a bad address with 400 naming "to", recording nothing', async () => {
    const manager = await t.createUser(admin, { role: 'manager' });
    const count = async () =>
      Number((await t.db.query(`SELECT count(*) AS n FROM messages WHERE purpose = 'test'`))[0].n);
    const before = await count();
    expect((await t.as(manager.token).post('/api/v1/admin/test-email', { to: address('x') })).status).toBe(403);
    const bad = await t.as(admin).post('/api/v1/admin/test-email', { to: 'not an address' });
    expect(bad.status).toBe(400);
    expect(bad.body.message.join(' ')).toContain('to must be an email');
    expect(await count()).toBe(before);
  });

  it('marks a message failed with the server reason on a 5xx, without retrying', async () => {
    const to = address('gone');
    sink.reply = (a) => (a === to ? 550 : undefined);
    const res = await t.as(admin).post('/api/v1/admin/test-email', { to });
    const row = await eventually(
      () => messageRow(res.body.id),
      (r) => !['pending', 'sending'].includes(r.status),
    );
    expect(row.status).toBe('failed');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain('550');
    expect(sink.to(to)).toHaveLength(0);
  });

  it('retries a 4xx with backoff and delivers exactly once', async () => {
    const to = address('busy');
    let refusals = 0;
    sink.reply = (a) => (a === to && refusals++ < 2 ? 451 : undefined);
    const res = await t.as(admin).post('/api/v1/admin/test-email', { to });
    const row = await eventually(
      () => messageRow(res.body.id),
      (r) => !['pending', 'sending'].includes(r.status),
    );
    expect(row.status).toBe('sent');
    expect(row.attempts).toBe(3);
    expect(sink.to(to)).toHaveLength(1);
  });

  it('gives up after the configured attempts on a lasting 4xx and keeps the reason', async () => {
    const to = address('never');
    sink.reply = (a) => (a === to ? 421 : undefined);
    const res = await t.as(admin).post('/api/v1/admin/test-email', { to });
    const row = await eventually(
      () => messageRow(res.body.id),
      (r) => !['pending', 'sending'].includes(r.status),
    );
    expect(row).toMatchObject({ status: 'failed', attempts: 4 });
    expect(row.last_error).toContain('421');
  });

  it('sends once when the same message is processed twice at the same time', async () => {
    const to = address('twice');
    const outbox = t.app.get(OutboxService);
    const message = await outbox.record({
      key: `dup:${randomUUID()}`,
      purpose: 'test',
      toAddress: to,
      subject: '重复测试',
      bodyText: '正文',
      bodyHtml: '<p>正文</p>',
    });
    const sender = t.app.get(MailSenderService);
    const outcomes = await Promise.all([
      sender.sendPending(message.id),
      sender.sendPending(message.id),
      sender.sendPending(message.id),
    ]);
    expect(outcomes.filter((o) => o.outcome === 'sent')).toHaveLength(1);
    expect((await sender.sendPending(message.id)).outcome).toBe('not_pending');
    expect(sink.to(to)).toHaveLength(1);
  });

  it('records a message only once per key', async () => {
    const outbox = t.app.get(OutboxService);
    const key = `once:${randomUUID()}`;
    const first = await outbox.record({ key, purpose: 'test', toAddress: address('k'), subject: 'a', bodyText: 'a' });
    const second = await outbox.record({ key, purpose: 'test', toAddress: address('k'), subject: 'b', bodyText: 'b' });
    expect(second.id).toBe(first.id);
    expect(second.subject).toBe('a');
  });

  it('re-queues a pending message whose job Redis lost, and delivers it once', async () => {
    const to = address('lost');
    const outbox = t.app.get(OutboxService);
    // Recorded but never queued: what PostgreSQL holds after Redis lost the job.
    const message = await outbox.record({
      key: `lost:${randomUUID()}`,
      purpose: 'test',
      toAddress: to,
      subject: '补发',
      bodyText: '补发',
    });
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.mail));
    expect(await queue.getJob(`msg-${message.id}`)).toBeUndefined();
    expect(await t.app.get(OutboxReconciler).reconcile(0)).toBeGreaterThanOrEqual(1);
    await eventually(
      () => messageRow(message.id),
      (r) => r.status === 'sent',
    );
    // A second pass finds nothing left to do for it.
    await t.app.get(OutboxReconciler).reconcile(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.to(to)).toHaveLength(1);
  });

  it('adds List-Unsubscribe headers (RFC 8058 one-click) when the message has an unsubscribe link', async () => {
    const to = address('unsub');
    const outbox = t.app.get(OutboxService);
    const { message } = await outbox.recordAndEnqueue({
      key: `unsub:${randomUUID()}`,
      purpose: 'greeting',
      toAddress: to,
      subject: '中秋快乐',
      bodyText: '中秋快乐',
      unsubscribeUrl: 'http://localhost:3000/u/abc123',
    });
    await eventually(
      () => messageRow(message.id),
      (r) => r.status === 'sent',
    );
    const [mail] = sink.to(to);
    expect(mail.raw).toMatch(/List-Unsubscribe: <http:\/\/localhost:3000\/u\/abc123>/);
    expect(mail.raw).toMatch(/List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
  });
});

describe('graceful shutdown with a message being sent', () => {
  it('lets the active send finish and records it as sent before the app closes', async () => {
    const sink = await new SmtpSink().start();
    sink.delayMs = 1500;
    const t = await bootApp({ withWorkers: true, env: { SMTP_URL: sink.url } });
    try {
      const admin = await t.adminToken();
      const to = address('closing');
      const res = await t.as(admin).post('/api/v1/admin/test-email', { to });
      const queue = t.app.get<Queue>(getQueueToken(QUEUES.mail));
      await eventually(
        () => queue.getActiveCount(),
        (n) => n > 0,
      );
      const db = t.db;
      const row = async () => (await db.query('SELECT status FROM messages WHERE id = $1', [res.body.id]))[0].status;
      await t.app.close();
      expect(sink.to(to)).toHaveLength(1);
      // The pool is closed now; read the outcome through a fresh connection.
      await db.initialize();
      expect(await row()).toBe('sent');
      await db.destroy();
    } finally {
      await sink.stop();
    }
  });
});

describe('mail with no SMTP server configured', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await bootApp({ withWorkers: true, env: { SMTP_URL: undefined } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('writes the message as an .eml file to the outbox folder', async () => {
    const admin = await t.adminToken();
    const to = address('outbox');
    const res = await t.as(admin).post('/api/v1/admin/test-email', { to });
    await eventually(
      async () => (await t.db.query('SELECT status FROM messages WHERE id = $1', [res.body.id]))[0].status,
      (s) => s === 'sent',
    );
    const dir = process.env.OUTBOX_DIR!;
    const file = readdirSync(dir).find((f) => f.endsWith(`${res.body.id}.eml`));
    expect(file).toBeDefined();
    const eml = readFileSync(join(dir, file!), 'utf8');
    expect(eml).toContain(`To: ${to}`);
    expect(eml).toMatch(/Subject: =\?UTF-8\?/);
  });
});
