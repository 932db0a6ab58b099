export * from './sms.module';
export * from './sms.provider';
export * from './aliyun-sms.client';
export * from './aliyun-signature';
export * from './sms-rules';
export * from './tencent-sms.client';
export * from './tencent-signature';
