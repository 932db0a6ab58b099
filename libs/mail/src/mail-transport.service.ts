import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';

import { maskEmail } from '@app/common';
import { AppConfig } from '@app/config';

export interface OutgoingMail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  unsubscribeUrl?: string | null;
}

export interface DeliveryResult {
  providerMessageId: string;
  accepted: string[];
  rejected: string[];
  rejectedErrors: unknown[];
}

const SMTP_TIMEOUTS_MS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000 };

// Sends through a pooled SMTP transport, or, with no SMTP_URL, writes .eml files to the outbox
// folder so a newcomer sees every message without a mail server.
@Injectable()
export class MailTransportService implements OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private readonly transporter: Transporter;
  private readonly outboxDir: string | null;
  private readonly domain: string;

  constructor(private readonly config: AppConfig) {
    const { SMTP_URL, OUTBOX_DIR, MAIL_FROM } = config.mail;
    this.domain = /@([^>\s]+)/.exec(MAIL_FROM)?.[1] ?? 'butler-crm.local';
    if (SMTP_URL) {
      const url = new URL(SMTP_URL);
      url.searchParams.set('pool', 'true');
      // An unreachable server is found within seconds (an outage: ChannelCircuit pauses sending),
      // not after nodemailer's defaults (2 min to connect, 10 min of silence). The URL may say otherwise.
      for (const [option, ms] of Object.entries(SMTP_TIMEOUTS_MS))
        if (!url.searchParams.has(option)) url.searchParams.set(option, String(ms));
      this.transporter = nodemailer.createTransport(url.toString());
      this.outboxDir = null;
    } else {
      this.transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
      this.outboxDir = resolve(OUTBOX_DIR);
    }
  }

  get mode(): 'smtp' | 'outbox' {
    return this.outboxDir ? 'outbox' : 'smtp';
  }

  async send(mail: OutgoingMail): Promise<DeliveryResult> {
    const info = (await this.transporter.sendMail({
      from: this.config.mail.MAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      // Stable Message-ID: should a send ever be repeated, receiving servers can tell.
      messageId: `<${mail.messageId}@${this.domain}>`,
      list: mail.unsubscribeUrl ? { unsubscribe: { url: mail.unsubscribeUrl, comment: '退订' } } : undefined,
      headers: mail.unsubscribeUrl ? { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : undefined,
    })) as {
      messageId: string;
      accepted?: unknown[];
      rejected?: unknown[];
      rejectedErrors?: unknown[];
      message?: Buffer;
    };
    const result: DeliveryResult = {
      providerMessageId: info.messageId,
      accepted: (info.accepted ?? []).map(String),
      rejected: (info.rejected ?? []).map(String),
      rejectedErrors: info.rejectedErrors ?? [],
    };
    if (this.outboxDir && info.message) {
      await mkdir(this.outboxDir, { recursive: true });
      const file = join(this.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId}.eml`);
      await writeFile(file, info.message);
      result.accepted = [mail.to];
      this.logger.log(`Wrote message ${mail.messageId} for ${maskEmail(mail.to)} to ${file}`);
    }
    return result;
  }

  async verify(): Promise<boolean> {
    return this.outboxDir ? true : this.transporter.verify();
  }

  // After the workers have finished their active sends (see GracefulWorkerHost).
  onApplicationShutdown(): void {
    this.transporter.close();
  }
}
