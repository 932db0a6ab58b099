import { Injectable } from '@nestjs/common';

import type { ChannelProvider, ProviderRequest, ProviderResult } from './channel-provider';
import { DeliveryResult, MailTransportService } from './mail-transport.service';
import { classifySendError, SendFailure } from './smtp-errors';

function firstRejection(result: DeliveryResult): SendFailure | null {
  if (result.rejected.length === 0 && result.accepted.length > 0) return null;
  if (result.rejectedErrors.length > 0) return classifySendError(result.rejectedErrors[0]);
  return { kind: 'permanent', reason: `recipient rejected: ${result.rejected.join(', ') || 'no recipient accepted'}` };
}

// The email channel: the pooled SMTP transport (or the .eml folder with no SMTP_URL).
@Injectable()
export class EmailProvider implements ChannelProvider {
  readonly channel = 'email' as const;

  constructor(private readonly transport: MailTransportService) {}

  async send({ message, to, content }: ProviderRequest): Promise<ProviderResult> {
    try {
      const result = await this.transport.send({
        messageId: message.id,
        to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        unsubscribeUrl: content.unsubscribeUrl ?? message.unsubscribeUrl,
      });
      const failure = firstRejection(result);
      return failure
        ? { accepted: false, failure }
        : { accepted: true, providerMessageId: result.providerMessageId.slice(0, 300) };
    } catch (error) {
      return { accepted: false, failure: classifySendError(error) };
    }
  }
}
