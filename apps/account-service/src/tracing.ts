import { startTracing } from '@twofold/platform/tracing';

startTracing('account-service');
