export * from './timeline.module';
export * from './timeline.service';
