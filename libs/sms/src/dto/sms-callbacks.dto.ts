import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// Aliyun's HTTP push (消息回执, HTTP 批量推送): a JSON array of reports, snake_case as Aliyun sends it.
// Documented here; the service reads each item leniently (Aliyun may add fields).

// SmsReport: a delivery receipt for a message sent with SendSms.
export class AliyunReceiptDto {
  @ApiProperty({ example: '13812345678' })
  phone_number!: string;

  @ApiProperty({ example: '2026-12-06 10:00:00' })
  send_time!: string;

  @ApiProperty({ example: '2026-12-06 10:00:03', description: 'Asia/Shanghai' })
  report_time!: string;

  @ApiProperty()
  success!: boolean;

  @ApiProperty({ example: 'DELIVERED' })
  err_code!: string;

  @ApiPropertyOptional({ example: '用户接收成功' })
  err_msg?: string;

  @ApiPropertyOptional({ example: '1' })
  sms_size?: string;

  @ApiProperty({ example: '9006197469364984^0' })
  biz_id!: string;

  @ApiProperty({ description: 'The OutId of SendSms: our message id' })
  out_id!: string;
}

// SmsUp: a message a client sent back.
export class AliyunUplinkDto {
  @ApiProperty({ example: '13812345678' })
  phone_number!: string;

  @ApiProperty({ example: '2026-12-06 10:05:00' })
  send_time!: string;

  @ApiProperty({ example: 'T' })
  content!: string;

  @ApiPropertyOptional({ example: '白酒管家' })
  sign_name?: string;

  @ApiPropertyOptional()
  dest_code?: string;

  @ApiPropertyOptional()
  sequence_id?: number;
}

// The answer Aliyun expects: code 0, or it pushes the batch again.
export class AliyunCallbackAnswerDto {
  @ApiProperty({ example: 0 })
  code!: number;

  @ApiProperty({ example: '接收成功' })
  msg!: string;
}

// Tencent Cloud's status callback (短信下发状态通知): one item per SMS, snake_case as Tencent sends it.
export class TencentReceiptDto {
  @ApiProperty({ example: '2026-12-06 10:00:03', description: 'Asia/Shanghai' })
  user_receive_time!: string;

  @ApiProperty({ example: '86' })
  nationcode!: string;

  @ApiProperty({ example: '13812345678' })
  mobile!: string;

  @ApiProperty({ enum: ['SUCCESS', 'FAIL'] })
  report_status!: string;

  @ApiProperty({ example: 'DELIVRD' })
  errmsg!: string;

  @ApiPropertyOptional({ example: '用户短信送达成功' })
  description?: string;

  @ApiProperty({ description: 'The SerialNo SendSms answered', example: '2640:1045710669157053657849499619' })
  sid!: string;
}

// Tencent Cloud's reply callback (短信回复): a message a client sent back.
export class TencentUplinkDto {
  @ApiProperty({ example: '13812345678' })
  mobile!: string;

  @ApiProperty({ example: '86' })
  nationcode!: string;

  @ApiProperty({ example: 'T' })
  text!: string;

  @ApiPropertyOptional({ example: '白酒管家' })
  sign?: string;

  @ApiPropertyOptional({ example: 1796000000, description: 'Unix seconds' })
  time?: number;

  @ApiPropertyOptional()
  extend?: string;
}

// The answer Tencent expects: result 0, or it calls back again.
export class TencentCallbackAnswerDto {
  @ApiProperty({ example: 0 })
  result!: number;

  @ApiProperty({ example: 'OK' })
  errmsg!: string;
}

// GET /sms/status: how SMS is configured (the console's settings page shows it and counts the 签名
// in its preview). Read from the configuration; no secret in it.
export class SmsStatusDto {
  @ApiProperty({ enum: ['none', 'aliyun', 'tencent'] })
  provider!: 'none' | 'aliyun' | 'tencent';

  @ApiProperty({ type: String, nullable: true, example: '白酒管家' })
  signName!: string | null;

  // Whether SMS_CALLBACK_SECRET is set (without it receipts and uplinks are refused).
  @ApiProperty()
  callbacksEnabled!: boolean;

  @ApiProperty({ example: 'https://crm.example.com/s/' })
  surveyShortBaseUrl!: string;
}
