import { randomInt } from 'node:crypto';

import { Clock } from '@app/common';
import { MailSenderService } from '@app/mail';
import { SurveyDispatcher } from '@app/surveys';

import type { Team } from './factories';
import type { FakeAliyunSms } from './fake-aliyun-sms';
import { FakeTencentSms } from './fake-tencent-sms';
import { bootApp, eventually, request, TestApp } from './test-app';

const HOUR = 3_600_000;

// The app booted against a fake SMS provider on loopback (test/support/fake-aliyun-sms.ts or
// fake-tencent-sms.ts), its keys and 签名 configured; `env` adds or overrides (SMTP_URL,
// SMS_CALLBACK_SECRET, …).
export async function bootWithFakeSms(
  fake: FakeAliyunSms | FakeTencentSms,
  env: Record<string, string | undefined> = {},
  withWorkers = true,
): Promise<TestApp> {
  const provider =
    fake instanceof FakeTencentSms
      ? {
          SMS_PROVIDER: 'tencent',
          SMS_TENCENT_BASE_URL: fake.url,
          SMS_TENCENT_SECRET_ID: fake.secretId,
          SMS_TENCENT_SECRET_KEY: fake.secretKey,
          SMS_TENCENT_SDK_APP_ID: fake.sdkAppId,
        }
      : {
          SMS_PROVIDER: 'aliyun',
          SMS_ALIYUN_BASE_URL: fake.url,
          SMS_ALIYUN_ACCESS_KEY_ID: fake.accessKeyId,
          SMS_ALIYUN_ACCESS_KEY_SECRET: fake.accessKeySecret,
        };
  return bootApp({
    withWorkers,
    env: { ...provider, SMS_SIGN_NAME: fake.signName, SURVEY_SHORT_BASE_URL: 'https://b.example.cn/s/', ...env },
  });
}

// A survey taken from the contact to the answer: a follow-up completed with the client, the survey
// delay passed (the Clock moved on), the invitation's message recorded, sent, and answered through
// the link it carried.
export function surveyFlow(t: TestApp, team: Team) {
  const clock = t.app.get(Clock);
  return {
    // Records the invitation's message for a client: its id.
    async invite(customerId: string): Promise<string> {
      const created = await t.as(team.manager.token).post('/api/v1/follow-ups', {
        customerId,
        butlerId: team.butler.id,
        dueAt: new Date(clock.now().getTime() + HOUR).toISOString(),
        kind: 'manual',
      });
      const done = await t.as(team.butler.token).post(`/api/v1/follow-ups/${created.body.id}/complete`, {
        outcome: 'reached',
        channel: 'phone',
        note: '满意',
      });
      if (done.body.survey?.invited !== true) throw new Error(`no survey invited: ${JSON.stringify(done.body)}`);
      clock.travelTo(new Date(clock.now().getTime() + 2 * HOUR + 60_000));
      await t.app.get(SurveyDispatcher).dispatchDue();
      const [row]: { message_id: string }[] = await t.db.query(
        `SELECT message_id FROM survey_invitations WHERE customer_id = $1 AND status = 'queued'`,
        [customerId],
      );
      return row.message_id;
    },
    // Sent here, or by a worker that took it first: either way once, and sent.
    async send(messageId: string): Promise<void> {
      const { outcome } = await t.app.get(MailSenderService).sendPending(messageId);
      if (outcome !== 'sent' && outcome !== 'not_pending') throw new Error(`message ${messageId}: ${outcome}`);
      await eventually(
        async () => (await t.db.query(`SELECT status FROM messages WHERE id = $1`, [messageId]))[0].status as string,
        (status) => status === 'sent',
      );
    },
    // The survey token in an email's text or an SMS's link.
    tokenIn: (text: string): string => /\/s\/([A-Za-z0-9_-]{43}|[A-Za-z0-9]{12})/.exec(text)![1],
    async answer(token: string, answers: string): Promise<void> {
      const res = await request(t.app, 'POST', `/s/${token}`, {
        body: answers,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        remoteAddress: `10.9.${randomInt(0, 255)}.${randomInt(1, 254)}`,
      });
      if (res.status !== 200) throw new Error(`answer refused: ${res.status}`);
    },
  };
}
