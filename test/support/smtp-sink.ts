import type { AddressInfo } from 'node:net';

import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, SMTPServerAddress } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  parsed: ParsedMail;
  raw: string;
}

// A real SMTP server in the test process. `reply` decides per recipient: undefined accepts,
// a number answers with that SMTP code.
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  reply: (address: string) => number | undefined = () => undefined;
  // Holds each message this long before accepting it, like a slow server.
  delayMs = 0;
  private server!: SMTPServer;
  port = 0;

  // `port`: listen where a stopped sink listened (a mail server coming back); 0 picks a free one.
  async start(port = this.port): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      // Stopping drops open sessions at once, as a server going down does.
      closeTimeout: 100,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        const code = this.reply(address.address);
        if (code === undefined) return callback();
        const error = Object.assign(new Error(`${code} ${code >= 500 ? 'mailbox unavailable' : 'try again later'}`), {
          responseCode: code,
        });
        callback(error);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw)
            .then(async (parsed) => {
              if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
              this.received.push({ to: session.envelope.rcptTo.map((r) => r.address), parsed, raw });
              callback();
            })
            .catch(callback);
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.includes(address));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
