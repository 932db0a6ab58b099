export * from './calendar';
export * from './festivals';
