export * from './queue.constants';
export * from './queue.module';
export * from './queue-health';
export * from './redis-options';
export * from './graceful-worker-host';
export * from './limits-redis';
export * from './worker-heartbeat';
export * from './worker-heartbeat.repository';
