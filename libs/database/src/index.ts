export * from './database.module';
export * from './prepare-database';
export * from './typeorm-options';
export * from './startup-errors';
