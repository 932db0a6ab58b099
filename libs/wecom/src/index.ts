export * from './wecom.module';
export * from './wecom-api.client';
export * from './wecom-errors';
export * from './wecom-edge.module';
export * from './callback-body';
export * from './callback-crypto';
export * from './wecom-transfers.service';
