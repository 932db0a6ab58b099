export * from './exports.module';
export * from './exports.service';
export * from './export-writers';
export * from './export-columns';
export { ExportsRepository } from './exports.repository';
