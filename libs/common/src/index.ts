export * from './app-error';
export * from './all-exceptions.filter';
export * from './privacy';
export * from './auth-context';
export * from './shutdown';
export * from './transformers';
export * from './validators';
export * from './clock';
