export * from './health.module';
export * from './metrics.service';
