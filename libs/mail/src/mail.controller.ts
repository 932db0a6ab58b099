import { randomUUID } from 'node:crypto';

import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import { AuthUser, CurrentUser, Roles } from '@app/common';

import { mapMessage, TestEmailDto, TestEmailResultDto } from './dto/test-email.dto';
import { OutboxService } from './outbox.service';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin')
export class MailController {
  constructor(private readonly outbox: OutboxService) {}

  // Checks the mail settings end to end: recorded, queued, and sent by a worker.
  @Post('test-email')
  @Roles('admin')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: TestEmailResultDto })
  async testEmail(@CurrentUser() actor: AuthUser, @Body() dto: TestEmailDto): Promise<TestEmailResultDto> {
    const requestedAt = new Intl.DateTimeFormat('zh-CN', {
      dateStyle: 'long',
      timeStyle: 'medium',
      timeZone: 'Asia/Shanghai',
    }).format(new Date());
    const { message, queued } = await this.outbox.recordAndEnqueue({
      key: `test-email:${randomUUID()}`,
      purpose: 'test',
      toAddress: dto.to,
      template: 'test-email',
      context: { requestedBy: actor.name, requestedAt },
    });
    return { ...mapMessage(message), queued };
  }
}
