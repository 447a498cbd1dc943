import { startTracing } from '@twofold/platform/tracing';

startTracing('otp-service');
