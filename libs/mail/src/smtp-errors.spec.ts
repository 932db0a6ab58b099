import { classifySendError } from './smtp-errors';

describe('classifySendError', () => {
  it('treats a 5xx reply as final and keeps the server reason', () => {
    expect(classifySendError({ responseCode: 550, response: '550 5.1.1 mailbox unavailable' })).toEqual({
      kind: 'permanent',
      reason: '550 5.1.1 mailbox unavailable',
    });
  });

  it('retries any 4xx reply, 421 included (the server answered: an attempt is spent)', () => {
    expect(classifySendError({ responseCode: 451, response: '451 4.3.0 try later' }).kind).toBe('retry');
    // What nodemailer makes of a 421 to RCPT after which the server hangs up.
    expect(
      classifySendError({ code: 'ECONNECTION', command: 'CONN', responseCode: 421, response: '421 try later' }).kind,
    ).toBe('retry');
  });

  it('counts a server that cannot be reached as an outage (no attempt is spent)', () => {
    expect(classifySendError({ code: 'ESOCKET', message: 'connect ECONNREFUSED 127.0.0.1:2525' })).toEqual({
      kind: 'outage',
      reason: 'connect ECONNREFUSED 127.0.0.1:2525',
    });
    expect(classifySendError({ code: 'ETIMEDOUT', message: 'Greeting never received' }).kind).toBe('outage');
    expect(classifySendError({ code: 'ECONNECTION', message: 'Connection closed unexpectedly' }).kind).toBe('outage');
    expect(classifySendError({ code: 'ECONNRESET', message: 'read ECONNRESET' }).kind).toBe('outage');
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
