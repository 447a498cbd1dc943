export * from './isolation';
export * from './stack';
export * from './test-database';
export * from './integration-env';
export * from './deployment-env';
export * from './expectations';
export * from './totp-reference';
export * from './clock';
