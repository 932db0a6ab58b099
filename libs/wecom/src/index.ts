export * from './wecom.module';
export * from './wecom-api.client';
export * from './wecom-errors';
