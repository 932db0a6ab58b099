import { randomInt } from 'node:crypto';

import { Clock } from '@app/common';

import { customerBody, defaultTemplateIds, Team, twoTeams } from './support/factories';
import { SmtpSink } from './support/smtp-sink';
import { bootApp, eventually, TestApp } from './support/test-app';

// Campaigns a manager can trust before confirming (issue 15): the template fits the occasion, a
// night send is confirmed on purpose, and the preview shows the greeting three clients would read
// and the reach — which the runner then really sends and skips.
describe('campaigns: template fit, quiet hours, preview', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let admin: string;
  let ours: Team;
  let theirs: Team;
  let clock: Clock;
  let templates: Map<string, string>;

  const CAMPAIGNS = '/api/v1/greetings/campaigns';
  // A weekday morning before 元宵节 2027 (02-20).
  const MORNING = new Date('2027-02-18T10:00:00+08:00');
  const client = async (token: string, overrides: Record<string, unknown>) => {
    const res = await t.as(token).post('/api/v1/customers', customerBody(overrides));
    if (res.status !== 201) throw new Error(res.text);
    return res.body as { id: string; email: string; name: string };
  };
  const campaignsNamed = async (name: string) =>
    Number((await t.db.query(`SELECT count(*) AS n FROM greeting_campaigns WHERE name = $1`, [name]))[0].n);
  const post = (body: Record<string, unknown>, token = ours.manager.token) =>
    t.as(token).post(CAMPAIGNS, { occasion: 'custom', audience: { scope: 'team' }, ...body });
  const done = (id: string) =>
    eventually(
      async () => (await t.as(ours.manager.token).get(`${CAMPAIGNS}/${id}`)).body,
      (c) => c.status === 'completed',
      20_000,
    );

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await bootApp({ withWorkers: true, env: { SMTP_URL: sink.url } });
    ({ admin, ours, theirs } = await twoTeams(t));
    templates = await defaultTemplateIds(t, admin);
    clock = t.app.get(Clock);
  });
  beforeEach(() => clock.travelTo(MORNING));
  afterEach(() => clock.reset());
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('refuses a template written for another occasion with a 400 naming templateId, and writes nothing', async () => {
    // Seen by a red team: a 元宵节 campaign with the 生日祝福 template was accepted for 205 clients.
    const name = `元宵错配 ${randomInt(1e6)}`;
    const mismatch = await post({
      name,
      occasion: 'lantern',
      templateId: templates.get('birthday'),
      sendAt: '2027-02-20T10:00:00+08:00',
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: [
        {
          field: 'templateId',
          code: 'templateOccasion',
          params: { occasion: 'lantern', templateOccasion: 'birthday' },
        },
      ],
    });
    // Another festival's template too, confirmed or not.
    const midAutumn = await post({
      name,
      occasion: 'lantern',
      templateId: templates.get('mid_autumn'),
      sendAt: '2027-02-20T10:00:00+08:00',
      draft: true,
    });
    expect(midAutumn.status).toBe(400);
    expect(midAutumn.body.fields.map((f: { field: string }) => f.field)).toEqual(['templateId']);
    expect(await campaignsNamed(name)).toBe(0);

    // The occasion's own template, and a custom one, fit.
    for (const templateId of [templates.get('lantern'), templates.get('custom')]) {
      const ok = await post({
        name: `${name} 合适`,
        occasion: 'lantern',
        templateId,
        sendAt: '2027-02-20T10:00:00+08:00',
        draft: true,
      });
      expect(ok.status).toBe(201);
    }
    // A custom template fits every occasion a campaign may have.
    for (const occasion of ['mid_autumn', 'national_day', 'custom']) {
      const ok = await post({
        name: `${name} 通用`,
        occasion,
        templateId: templates.get('custom'),
        sendAt: '2027-02-19T10:00:00+08:00',
        draft: true,
      });
      expect(ok.status).toBe(201);
    }
  });

  it('asks for an explicit confirmation of a send time between 21:00 and 08:00 Shanghai', async () => {
    const name = `夜间问候 ${randomInt(1e6)}`;
    const base = { name, templateId: templates.get('custom') };
    for (const sendAt of ['2027-02-19T04:10:00+08:00', '2027-02-18T21:00:00+08:00', '2027-02-19T07:59:00+08:00']) {
      const night = await post({ ...base, sendAt });
      expect(night.status).toBe(400);
      expect(night.body).toMatchObject({
        code: 'CAMPAIGN_QUIET_HOURS',
        fields: [{ field: 'sendAt', code: 'quietHours', params: { from: '21:00', to: '08:00' } }],
      });
      expect(night.body.fields[0].params.time).toBe(sendAt.slice(11, 16));
      expect(await campaignsNamed(name)).toBe(0);
    }
    // The edges: 08:00 and 20:59 are daytime.
    for (const sendAt of ['2027-02-19T08:00:00+08:00', '2027-02-18T20:59:00+08:00']) {
      const day = await post({ ...base, sendAt });
      expect(day.status).toBe(201);
      await t.as(ours.manager.token).patch(`${CAMPAIGNS}/${day.body.id}`, { status: 'cancelled' });
    }
    // Confirmed on purpose: scheduled.
    const confirmed = await post({ ...base, sendAt: '2027-02-19T04:10:00+08:00', confirmQuietHours: true });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body).toMatchObject({ status: 'scheduled', sendAt: '2027-02-18T20:10:00.000Z' });
    await t.as(ours.manager.token).patch(`${CAMPAIGNS}/${confirmed.body.id}`, { status: 'cancelled' });

    // A draft sends nothing, so it is saved; confirming it asks, and its preview says it is at night.
    const draft = await post({ ...base, sendAt: '2027-02-19T04:10:00+08:00', draft: true });
    expect(draft.status).toBe(201);
    const preview = await t.as(ours.manager.token).get(`${CAMPAIGNS}/${draft.body.id}/preview`);
    expect(preview.body).toMatchObject({ quietHours: true, sendsAt: '2027-02-18T20:10:00.000Z' });
    const unconfirmed = await t.as(ours.manager.token).patch(`${CAMPAIGNS}/${draft.body.id}`, { status: 'scheduled' });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body).toMatchObject({ code: 'CAMPAIGN_QUIET_HOURS', fields: [{ field: 'sendAt' }] });
    expect((await t.as(ours.manager.token).get(`${CAMPAIGNS}/${draft.body.id}`)).body.status).toBe('draft');
    const ok = await t
      .as(ours.manager.token)
      .patch(`${CAMPAIGNS}/${draft.body.id}`, { status: 'scheduled', confirmQuietHours: true });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('scheduled');
    await t.as(ours.manager.token).patch(`${CAMPAIGNS}/${draft.body.id}`, { status: 'cancelled' });

    // 立即发送 at 23:30 is a night send too.
    clock.travelTo(new Date('2027-02-18T23:30:00+08:00'));
    const now = await post({ ...base, sendAt: new Date(clock.now().getTime() + 200).toISOString() });
    expect(now.body.code).toBe('CAMPAIGN_QUIET_HOURS');
  });

  it('previews three clients greeted by name and a reach that the runner then really sends and skips', async () => {
    const tag = `预览名单${randomInt(1e6)}`;
    const capTag = `已问候${randomInt(1e6)}`;
    const reachable = [
      await client(ours.butler.token, { name: '王建国', gender: 'male', tags: [tag] }),
      await client(ours.colleague.token, { name: '李秀英', gender: 'female', tags: [tag] }),
      await client(ours.butler.token, { name: '欧阳明辉', gender: 'male', tags: [tag] }),
      await client(ours.butler.token, { name: '赵敏', gender: 'female', tags: [tag] }),
    ];
    const noConsent = await client(ours.butler.token, {
      name: '钱不收',
      tags: [tag],
      consent: { greetings: false, surveys: true, source: 'store' },
    });
    const noEmail = await client(ours.butler.token, { name: '孙无邮', tags: [tag], email: null });
    const capped = await client(ours.butler.token, { name: '周已问', tags: [tag, capTag] });
    // Another team's client with the tag is not in our audience.
    const otherTeam = await client(theirs.butler.token, { name: '吴外队', tags: [tag] });

    // The capped client was greeted yesterday (within the 3-day cap).
    clock.travelTo(new Date('2027-02-17T10:00:00+08:00'));
    const earlier = await post({
      name: '昨日问候',
      templateId: templates.get('custom'),
      sendAt: new Date(clock.now().getTime() + 200).toISOString(),
      audience: { scope: 'team', tags: [capTag] },
    });
    expect(earlier.status).toBe(201);
    await done(earlier.body.id);
    expect(sink.to(capped.email)).toHaveLength(1);

    clock.travelTo(MORNING);
    const draft = await post({
      name: '预览问候',
      templateId: templates.get('custom'),
      sendAt: new Date(clock.now().getTime() + 200).toISOString(),
      audience: { scope: 'team', tags: [tag] },
      draft: true,
    });
    expect(draft.status).toBe(201);
    const res = await t.as(ours.manager.token).get(`${CAMPAIGNS}/${draft.body.id}/preview`);
    expect(res.status).toBe(200);
    const preview = res.body as {
      quietHours: boolean;
      samples: { customerId: string; customerName: string; subject: string; text: string }[];
      counts: { audience: number; reachable: number; skipped: Record<string, number> };
    };
    expect(preview.quietHours).toBe(false);
    expect(preview.counts).toEqual({
      audience: 7,
      reachable: 4,
      reachableBy: { email: 4 },
      // 孙无邮 said yes to greetings on email, and has none.
      skipped: { no_consent: 1, no_channel: 1, capped: 1 },
    });
    // Three clients who will get it, each addressed as the greeting addresses them.
    const salutations: Record<string, string> = {
      王建国: '王先生',
      李秀英: '李女士',
      欧阳明辉: '欧阳先生',
      赵敏: '赵女士',
    };
    expect(preview.samples).toHaveLength(3);
    for (const s of preview.samples) {
      expect(reachable.map((c) => c.id)).toContain(s.customerId);
      expect(s.subject).toBe(`${salutations[s.customerName]}，您好`);
      // Every client's link is masked: it is the client's key to unsubscribe.
      expect(s.text).toContain(
        '如不希望再收到节日与生日问候，可在此退订：http://localhost:3000/u/（客户专属退订链接）',
      );
    }
    expect(new Set(preview.samples.map((s) => s.customerId)).size).toBe(3);
    // The other team's manager does not see the draft; a butler may not preview; an admin may.
    expect((await t.as(theirs.manager.token).get(`${CAMPAIGNS}/${draft.body.id}/preview`)).status).toBe(404);
    expect((await t.as(ours.butler.token).get(`${CAMPAIGNS}/${draft.body.id}/preview`)).status).toBe(403);
    expect((await t.as(admin).get(`${CAMPAIGNS}/${draft.body.id}/preview`)).body.counts).toEqual(preview.counts);
    // A preview sends and writes nothing.
    expect(
      Number((await t.db.query(`SELECT count(*) AS n FROM messages WHERE campaign_id = $1`, [draft.body.id]))[0].n),
    ).toBe(0);

    const confirmed = await t.as(ours.manager.token).patch(`${CAMPAIGNS}/${draft.body.id}`, { status: 'scheduled' });
    expect(confirmed.status).toBe(200);
    const finished = await done(draft.body.id);
    // What the preview said is what happened.
    expect(finished.progress).toMatchObject({
      audience: preview.counts.audience,
      sent: preview.counts.reachable,
      failed: 0,
      pending: 0,
    });
    expect(finished.progress.skippedBy).toEqual(preview.counts.skipped);
    for (const c of reachable) expect(sink.to(c.email)).toHaveLength(1);
    for (const c of [noConsent, otherTeam]) expect(sink.to(c.email)).toHaveLength(0);
    expect(noEmail.email).toBeNull();
    expect(sink.to(capped.email)).toHaveLength(1);
    // Each sample is the mail its client received, word for word, but for the client's own link.
    for (const s of preview.samples) {
      const address = reachable.find((c) => c.id === s.customerId)!.email;
      const [mail] = sink.to(address);
      expect(mail.parsed.subject).toBe(s.subject);
      const received = mail.parsed.text?.trim() ?? '';
      expect(received).toMatch(/\/u\/[\w-]{22}\.[\w-]{22}$/);
      expect(received.replace(/\/u\/[\w.-]+$/, '/u/（客户专属退订链接）')).toBe(s.text.trim());
    }
  });
});
