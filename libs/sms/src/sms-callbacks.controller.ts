import { Controller, HttpCode, Post, Query, Req } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { Public } from '@app/common';

import {
  AliyunCallbackAnswerDto,
  AliyunReceiptDto,
  AliyunUplinkDto,
  TencentCallbackAnswerDto,
  TencentReceiptDto,
  TencentUplinkDto,
} from './dto/sms-callbacks.dto';
import { SmsCallbacksService } from './sms-callbacks.service';

const ANSWER: AliyunCallbackAnswerDto = { code: 0, msg: '接收成功' };

// Aliyun's HTTP pushes (public: Aliyun has no bearer token; verified by SMS_CALLBACK_SECRET).
// The body is Aliyun's, a JSON array (this API's bodies are objects of its own classes): it is read
// as sent and described by the item classes and the operation's text, not as a request class.
@ApiTags('sms')
@ApiExtraModels(AliyunReceiptDto, AliyunUplinkDto)
@Public()
@Controller('sms/aliyun')
export class SmsCallbacksController {
  constructor(private readonly callbacks: SmsCallbacksService) {}

  @Post('receipts')
  @HttpCode(200)
  @ApiQuery({ name: 'token', required: false, description: 'SMS_CALLBACK_SECRET' })
  @ApiOperation({ description: "Aliyun's SmsReport push: a JSON array of AliyunReceiptDto" })
  @ApiOkResponse({ type: AliyunCallbackAnswerDto })
  @ApiUnauthorizedResponse({ description: 'No token, or a wrong one' })
  async receipts(
    @Query('token') token: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<AliyunCallbackAnswerDto> {
    this.callbacks.verify(token);
    await this.callbacks.receipts(request.body);
    return ANSWER;
  }

  @Post('uplinks')
  @HttpCode(200)
  @ApiQuery({ name: 'token', required: false, description: 'SMS_CALLBACK_SECRET' })
  @ApiOperation({ description: "Aliyun's SmsUp push: a JSON array of AliyunUplinkDto" })
  @ApiOkResponse({ type: AliyunCallbackAnswerDto })
  @ApiUnauthorizedResponse({ description: 'No token, or a wrong one' })
  async uplinks(
    @Query('token') token: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<AliyunCallbackAnswerDto> {
    this.callbacks.verify(token);
    await this.callbacks.uplinks(request.body);
    return ANSWER;
  }
}

const TENCENT_ANSWER: TencentCallbackAnswerDto = { result: 0, errmsg: 'OK' };

// Tencent Cloud's callbacks (status report, reply), verified the same way as Aliyun's: the
// SMS_CALLBACK_SECRET token in the URL configured at Tencent.
@ApiTags('sms')
@ApiExtraModels(TencentReceiptDto, TencentUplinkDto)
@Public()
@Controller('sms/tencent')
export class TencentCallbacksController {
  constructor(private readonly callbacks: SmsCallbacksService) {}

  @Post('receipts')
  @HttpCode(200)
  @ApiQuery({ name: 'token', required: false, description: 'SMS_CALLBACK_SECRET' })
  @ApiOperation({ description: "Tencent Cloud's SMS status callback: a JSON array of TencentReceiptDto" })
  @ApiOkResponse({ type: TencentCallbackAnswerDto })
  @ApiUnauthorizedResponse({ description: 'No token, or a wrong one' })
  async receipts(
    @Query('token') token: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<TencentCallbackAnswerDto> {
    this.callbacks.verify(token);
    await this.callbacks.tencentReceipts(request.body);
    return TENCENT_ANSWER;
  }

  @Post('uplinks')
  @HttpCode(200)
  @ApiQuery({ name: 'token', required: false, description: 'SMS_CALLBACK_SECRET' })
  @ApiOperation({ description: "Tencent Cloud's SMS reply callback: a JSON array of TencentUplinkDto" })
  @ApiOkResponse({ type: TencentCallbackAnswerDto })
  @ApiUnauthorizedResponse({ description: 'No token, or a wrong one' })
  async uplinks(
    @Query('token') token: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<TencentCallbackAnswerDto> {
    this.callbacks.verify(token);
    await this.callbacks.tencentUplinks(request.body);
    return TENCENT_ANSWER;
  }
}
