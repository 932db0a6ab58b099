export * from './customer-io.module';
export { registerCsvUploads } from './csv-upload';
