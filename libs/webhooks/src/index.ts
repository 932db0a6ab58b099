export * from './webhooks.module';
export * from './entities/webhook-endpoint.entity';
export * from './webhook-signature';
export * from './webhook-url';
