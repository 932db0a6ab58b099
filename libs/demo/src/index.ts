export * from './demo-data';
export * from './demo-generator';
export * from './seed-demo';
export * from './demo.module';
