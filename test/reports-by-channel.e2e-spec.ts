import { Clock } from '@app/common';

import { MailProcessor } from '../libs/mail/src/mail.processor';
import { statsFromRawSql } from '../libs/surveys/src/butler-stats';
import { customerBody, Team, twoTeams } from './support/factories';
import { FakeAliyunSms } from './support/fake-aliyun-sms';
import { bootWithFakeSms, surveyFlow } from './support/fake-sms-app';
import { SmtpSink } from './support/smtp-sink';
import { eventually, TestApp } from './support/test-app';

type ChannelFigures = { channel: string; invitations: number; responses: number; responseRate: number | null };

// Reports by channel (issue 16): each invitation records the channel its message went by, the
// answer the channel that brought the client, and the butler's scorecard and trend count
// invitations, responses and response rate per channel from the per-butler-per-day summary,
// which the recompute still finds in step with the raw rows.
describe('reports by channel', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let admin: string;
  let ours: Team;
  let clock: Clock;
  // The second channel: SMS, through a fake Aliyun server on loopback.
  const SURVEY = { code: 'SMS_910002', text: '${name}您好，请花1分钟评价${butler}的服务：${link}' };
  const fake = new FakeAliyunSms('LTAI5tReportsKey', 'reports-key-secret', '白酒管家');

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    fake.templates.set(SURVEY.code, SURVEY.text);
    await fake.start();
    t = await bootWithFakeSms(fake, { SMTP_URL: sink.url });
    // The test sends each message itself (sendPending), after choosing its channel.
    await t.app.get(MailProcessor).worker.pause(true);
    ({ admin, ours } = await twoTeams(t));
    clock = t.app.get(Clock);
    clock.travelTo(new Date('2027-04-06T10:00:00+08:00'));
    const templates = await t.as(admin).patch('/api/v1/settings', {
      sms: { templates: { greetings: [], surveyInvitation: SURVEY, recoveryAlert: null }, maxPerNumberPerDay: 3 },
    });
    expect(templates.status).toBe(200);
  });
  afterAll(async () => {
    clock.reset();
    await t.close();
    await sink.stop();
    await fake.stop();
  });

  // Invite (the Clock moves past the survey delay), send, and answer through the link.
  const flow = () => surveyFlow(t, ours);
  const invite = (customerId: string) => flow().invite(customerId);
  const send = (messageId: string) => flow().send(messageId);
  const tokenIn = (text: string): string => flow().tokenIn(text);
  const answer = (token: string, csat: number) => flow().answer(token, `csat=${csat}&nps=9`);

  it('counts invitations, responses and response rate by the channel each invitation went by', async () => {
    // The survey summary is shared with every test file, and some write survey rows directly: repair
    // what they left out of step, so the drift this test checks for is its own.
    expect((await t.as(admin).post('/api/v1/reports/recompute')).status).toBe(200);
    const client = async () =>
      (await t.as(ours.butler.token).post('/api/v1/customers', customerBody())).body as { id: string; email: string };
    const [byEmail, silent] = [await client(), await client()];
    // A client with a mobile and SMS consent but no email: channel choice sends by SMS.
    const bySms = (
      await t
        .as(ours.butler.token)
        .post('/api/v1/customers', customerBody({ email: null, consent: { channels: { surveys: { sms: true } } } }))
    ).body as { id: string; mobile: string };

    // Two invitations by email, one answered.
    await send(await invite(byEmail.id));
    await answer(tokenIn(sink.to(byEmail.email)[0].parsed.text ?? ''), 5);
    await send(await invite(silent.id));
    // One by SMS (the channel is the message's: chosen when it was recorded), answered.
    await send(await invite(bySms.id));
    await eventually(
      async () => fake.to(bySms.mobile),
      (sent) => sent.length === 1,
    );
    const [sms] = fake.to(bySms.mobile);
    expect(sms.templateCode).toBe(SURVEY.code);
    await answer(tokenIn(sms.templateParam.link), 4);

    // The survey page recorded which channel brought each client.
    const rows: { customer_id: string; invitation: string; response: string | null }[] = await t.db.query(
      `SELECT i.customer_id, i.channel AS invitation, r.channel AS response
         FROM survey_invitations i LEFT JOIN survey_responses r ON r.invitation_id = i.id
        WHERE i.customer_id = ANY($1) ORDER BY i.sent_at`,
      [[byEmail.id, silent.id, bySms.id]],
    );
    expect(rows).toEqual([
      { customer_id: byEmail.id, invitation: 'email', response: 'email' },
      { customer_id: silent.id, invitation: 'email', response: null },
      { customer_id: bySms.id, invitation: 'sms', response: 'sms' },
    ]);
    // And the butler's answers say it.
    const answers = await t.as(ours.butler.token).get('/api/v1/surveys/responses');
    const channels = Object.fromEntries(
      (answers.body.items as { customerId: string; channel: string }[]).map((r) => [r.customerId, r.channel]),
    );
    expect(channels).toEqual({ [byEmail.id]: 'email', [bySms.id]: 'sms' });

    const expected: ChannelFigures[] = [
      { channel: 'email', invitations: 2, responses: 1, responseRate: 0.5 },
      { channel: 'sms', invitations: 1, responses: 1, responseRate: 1 },
      { channel: 'wecom', invitations: 0, responses: 0, responseRate: null },
    ];
    const report = await t.as(ours.manager.token).get('/api/v1/reports/butlers?from=2027-04-01&to=2027-04-30');
    const item = (report.body.items as { butlerId: string; invitations: number; byChannel: ChannelFigures[] }[]).find(
      (i) => i.butlerId === ours.butler.id,
    )!;
    expect(item).toMatchObject({ invitations: 3, responses: 2, responseRate: 0.667 });
    expect(item.byChannel).toEqual(expected);

    const trend = await t
      .as(ours.butler.token)
      .get(`/api/v1/reports/butlers/${ours.butler.id}/trend?interval=month&from=2027-04-01&to=2027-04-30`);
    expect(trend.status).toBe(200);
    expect(trend.body.items).toHaveLength(1);
    expect(trend.body.items[0].byChannel).toEqual(expected);

    // The summary the reports read is what the raw rows say, channel by channel.
    const check = await t.as(admin).post('/api/v1/reports/recompute');
    expect(check.body.driftedRows).toBe(0);
    await t.db.query(
      `UPDATE butler_daily_stats SET responses_sms = responses_sms + 1
        WHERE butler_id = $1 AND responses_sms > 0`,
      [ours.butler.id],
    );
    expect((await t.as(admin).post('/api/v1/reports/recompute')).body.driftedRows).toBe(1);
    const again = await t.as(ours.manager.token).get('/api/v1/reports/butlers?from=2027-04-01&to=2027-04-30');
    expect(
      (again.body.items as { butlerId: string; byChannel: ChannelFigures[] }[]).find(
        (i) => i.butlerId === ours.butler.id,
      )!.byChannel,
    ).toEqual(expected);
  });

  // The recompute sums 20M answers in seconds only while both sides are read from their covering
  // indexes alone: a column the sums use but the index does not include (as `flagged` once was,
  // migrations/1795590000000) makes PostgreSQL read every answer's row, ten times slower.
  it('recomputes the summary from the covering indexes alone', async () => {
    const plan = await t.db.transaction(async (em) => {
      await em.query('SET LOCAL enable_seqscan = off');
      const [row] = await em.query(`EXPLAIN (FORMAT JSON) ${statsFromRawSql()}`);
      return JSON.stringify(row['QUERY PLAN']);
    });
    const indexOnly = [...plan.matchAll(/"Node Type":"Index Only Scan"[^}]*?"Index Name":"(\w+)"/g)].map((m) => m[1]);
    expect(indexOnly.sort()).toEqual(['IDX_survey_invitations_butler_sent_day', 'IDX_survey_responses_butler_day']);
  });
});
