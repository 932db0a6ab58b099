// The modules the entry points (apps/api, apps/worker) are built from, so they share libraries
// rather than import each other.
export * from './core.module';
export * from './worker-features.module';
