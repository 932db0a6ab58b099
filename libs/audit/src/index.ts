export * from './entities/audit-log.entity';
