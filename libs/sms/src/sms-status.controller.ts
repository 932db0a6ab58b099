import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';

import { Roles } from '@app/common';
import { AppConfig } from '@app/config';

import { SmsStatusDto } from './dto/sms-callbacks.dto';

@ApiTags('sms')
@ApiBearerAuth()
@Controller('sms')
export class SmsStatusController {
  constructor(private readonly config: AppConfig) {}

  @Get('status')
  @Roles('admin')
  @ApiOkResponse({ type: SmsStatusDto })
  status(): SmsStatusDto {
    const sms = this.config.sms;
    return {
      provider: sms.SMS_PROVIDER,
      signName: sms.SMS_SIGN_NAME ?? null,
      callbacksEnabled: !!sms.SMS_CALLBACK_SECRET,
      surveyShortBaseUrl: sms.SURVEY_SHORT_BASE_URL,
    };
  }
}
