export * from './entities/audit-log.entity';
export * from './audit.service';
export * from './audit.module';
export * from './existence-probes';
