import { startTracing } from '@twofold/platform/tracing';

startTracing('gateway');
