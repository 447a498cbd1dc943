export * from './account';
export * from './errors';
export * from './health';
export * from './otp';
export * from './rpc';
export * from './security-events';
export * from './http-access';
export * from './http-views';
