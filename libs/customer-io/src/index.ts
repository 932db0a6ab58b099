export * from './customer-io.module';
