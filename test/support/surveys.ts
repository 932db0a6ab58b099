import { createHash, randomBytes, randomInt } from 'node:crypto';

import { Clock } from '@app/common';
import { SurveyDispatcher } from '@app/surveys';

import type { Member } from './factories';
import type { SmtpSink } from './smtp-sink';
import { eventually, HttpResult, request, TestApp } from './test-app';

const DAY_MS = 86_400_000;

// Makes the client's contact survey invitation answerable with a token known to the test, as if
// its email had gone out at `now` (the survey tests cover the email itself). `source` picks one
// invitation when the client has several (follow_up, case, contact). The shortcut skips the
// sender's count of sent invitations in the satisfaction summary.
export async function answerableSurvey(
  t: TestApp,
  customerId: string,
  now: Date,
  options: { source?: string; expiresAt?: Date } = {},
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const rows = (await t.db.query(
    `UPDATE survey_invitations SET status = 'sent', sent_at = $2, expires_at = $3, token_hash = $4
      WHERE customer_id = $1 AND status = 'scheduled' AND ($5::text IS NULL OR source::text = $5) RETURNING id`,
    [
      customerId,
      now,
      options.expiresAt ?? new Date(now.getTime() + 14 * DAY_MS),
      createHash('sha256').update(token).digest(),
      options.source ?? null,
    ],
  )) as [unknown[], number];
  if (rows[1] === 0) throw new Error(`no scheduled survey invitation for client ${customerId}`);
  return token;
}

// The survey link as the client gets it: the clock moved past the invitation's delay, the
// dispatcher sends what is due, and the token is read from the email `sink` received once the
// invitation is marked sent (an app started with workers and SMTP_URL at the sink).
export async function mailedSurveyToken(t: TestApp, sink: SmtpSink, email: string): Promise<string> {
  const clock = t.app.get(Clock);
  clock.travelTo(new Date(clock.now().getTime() + 2 * 3_600_000 + 60_000));
  await t.app.get(SurveyDispatcher).dispatchDue();
  const [mail] = await eventually(
    async () => sink.to(email),
    (m) => m.length > 0,
    20_000,
  );
  const token = /\/s\/([A-Za-z0-9_-]{43})/.exec(mail.parsed.text ?? '')![1];
  const hash = createHash('sha256').update(token).digest();
  await eventually(
    async () => (await t.db.query(`SELECT status FROM survey_invitations WHERE token_hash = $1`, [hash]))[0]?.status,
    (s) => s === 'sent',
  );
  return token;
}

// The client's answer on the survey page: the form as the page posts it, from a device (network
// address, browser) of its own unless given, so no integrity flag says it came from the butler's.
export function postSurveyForm(
  t: TestApp,
  token: string,
  form: string,
  device: { ip?: string; ua?: string } = {},
): Promise<HttpResult> {
  return request(t.app, 'POST', `/s/${token}`, {
    body: form,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(device.ua ? { 'user-agent': device.ua } : {}),
    },
    remoteAddress: device.ip ?? `10.${randomInt(0, 255)}.${randomInt(0, 255)}.${randomInt(1, 254)}`,
  });
}

// A butler's reached call (a follow-up due in an hour, completed) invites the client's survey; the
// client answers it with `form`. Returns the answer's id.
export async function answerAfterCall(
  t: TestApp,
  butler: Member,
  customerId: string,
  form: string,
  now: Date,
): Promise<string> {
  const planned = await t
    .as(butler.token)
    .post('/api/v1/follow-ups', { customerId, dueAt: new Date(now.getTime() + 3_600_000).toISOString() });
  const done = await t
    .as(butler.token)
    .post(`/api/v1/follow-ups/${planned.body.id}/complete`, { outcome: 'reached', channel: 'phone' });
  expect(done.body.survey).toMatchObject({ invited: true });
  const res = await postSurveyForm(t, await answerableSurvey(t, customerId, now), form);
  expect(res.status).toBe(200);
  const [row] = await t.db.query(
    `SELECT id FROM survey_responses WHERE customer_id = $1 ORDER BY responded_at DESC LIMIT 1`,
    [customerId],
  );
  return row.id as string;
}
