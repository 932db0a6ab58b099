import { classifySendError } from './smtp-errors';

describe('classifySendError', () => {
  it('treats a 5xx reply as final and keeps the server reason', () => {
    expect(classifySendError({ responseCode: 550, response: '550 5.1.1 mailbox unavailable' })).toEqual({
      kind: 'permanent',
      reason: '550 5.1.1 mailbox unavailable',
    });
  });

  it('retries a 4xx reply', () => {
    expect(classifySendError({ responseCode: 451, response: '451 4.3.0 try later' }).kind).toBe('retry');
  });

  it('retries connection errors that carry no SMTP reply', () => {
    expect(classifySendError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:2525' })).toEqual({
      kind: 'retry',
      reason: 'connect ECONNREFUSED 127.0.0.1:2525',
    });
  });

  it('reads the recipient rejection nodemailer nests in rejectedErrors', () => {
    const error = {
      code: 'EENVELOPE',
      message: 'Can not send mail to any recipients',
      rejectedErrors: [{ responseCode: 553, response: '553 no such user' }],
    };
    expect(classifySendError(error)).toEqual({ kind: 'permanent', reason: '553 no such user' });
  });
});
