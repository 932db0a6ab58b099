import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiQuery, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';

import { Public } from '@app/common';

import { AliyunCallbackAnswerDto, AliyunReceiptDto, AliyunUplinkDto } from './dto/sms-callbacks.dto';
import { SmsCallbacksService } from './sms-callbacks.service';

const ANSWER: AliyunCallbackAnswerDto = { code: 0, msg: '接收成功' };

// Aliyun's HTTP pushes (public: Aliyun has no bearer token; verified by SMS_CALLBACK_SECRET).
@ApiTags('sms')
@Public()
@Controller('sms/aliyun')
export class SmsCallbacksController {
  constructor(private readonly callbacks: SmsCallbacksService) {}

  @Post('receipts')
  @HttpCode(200)
  @ApiQuery({ name: 'token', required: false, description: 'SMS_CALLBACK_SECRET' })
  @ApiBody({ type: AliyunReceiptDto, isArray: true })
  @ApiOkResponse({ type: AliyunCallbackAnswerDto })
  @ApiUnauthorizedResponse({ description: 'No token, or a wrong one' })
  async receipts(@Query('token') token: string | undefined, @Body() body: unknown): Promise<AliyunCallbackAnswerDto> {
    this.callbacks.verify(token);
    await this.callbacks.receipts(body);
    return ANSWER;
  }

  @Post('uplinks')
  @HttpCode(200)
  @ApiQuery({ name: 'token', required: false, description: 'SMS_CALLBACK_SECRET' })
  @ApiBody({ type: AliyunUplinkDto, isArray: true })
  @ApiOkResponse({ type: AliyunCallbackAnswerDto })
  @ApiUnauthorizedResponse({ description: 'No token, or a wrong one' })
  async uplinks(@Query('token') token: string | undefined, @Body() body: unknown): Promise<AliyunCallbackAnswerDto> {
    this.callbacks.verify(token);
    await this.callbacks.uplinks(body);
    return ANSWER;
  }
}
